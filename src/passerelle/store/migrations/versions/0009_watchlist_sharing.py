"""Whether each watchlist person may be disclosed to partners, as alerts already say.

``shareable`` (true for existing rows: they were shared under their category
until now) and ``restricted_matter`` (political, military, religious or racial:
such a person never leaves the node, whatever the agreement).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "watchlist_persons",
        sa.Column("shareable", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column(
        "watchlist_persons", sa.Column("restricted_matter", sa.String(length=16), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("watchlist_persons", "restricted_matter")
    op.drop_column("watchlist_persons", "shareable")
