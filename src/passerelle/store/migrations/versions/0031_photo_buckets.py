"""Photo buckets shared by every host: ``photo_buckets``.

One row per user who sent a photo-bearing inspection: the tokens left in their
photo-request bucket (``passerelle.access.rates``), when it was last taken from
(seconds since the epoch) and whether that take found a token. Every host takes
from the same row with one upsert, so N hosts allow the node's rate, not N times
it. The downgrade drops the table (the buckets start full again).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-08 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo_buckets",
        sa.Column("user_name", sa.String(64), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("since_s", sa.Float(), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("photo_buckets")
