"""Indexes on when crossings, inspections and hits happened: the dashboard's periods.

The dashboard counts crossings, inspections and hits over a period (by default
the last 30 days) and retention deletes by age; without these indexes both scan
whole tables, which at national volume (years of crossings) is seconds a page.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_crossings_at", "crossings", ["at"]),
    ("ix_inspections_at", "inspections", ["at"]),
    ("ix_hit_reviews_created", "hit_reviews", ["created_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
