"""When the officer said "not the same person", so that the word holds until the entry changes.

- ``hit_reviews.feedback_at``: the time of the feedback. A later inspection of the same
  traveller (same document, else same name and birth date) against the same watchlist
  entry is then shown as cleared before instead of alerting, as long as the entry has
  not changed since (``watchlist_persons.updated_at`` ≤ ``feedback_at``).
- Existing feedback gets the review's time (``reviewed_at``, else ``created_at``): no
  later than the feedback itself, so an entry changed since still alerts.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "hit_reviews", sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        "UPDATE hit_reviews SET feedback_at = COALESCE(reviewed_at, created_at) "
        "WHERE feedback IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("hit_reviews") as table:
        table.drop_column("feedback_at")
