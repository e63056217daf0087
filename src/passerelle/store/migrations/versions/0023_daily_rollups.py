"""The dashboard's daily counts of crossings and inspections, filled from the rows already stored.

- ``daily_crossings``: crossings per UTC day, crossing point, direction and nationality
  (``''`` when none was recorded), with their count ``n``, and an index by point and day
  for the dashboard's crossing-point filter;
- ``daily_inspections``: inspections per UTC day, crossing point and decision.

The upgrade counts every crossing and inspection already stored, grouped as the
store counts them from then on (``passerelle.store.rollups``, whose
``rebuild_rollups`` runs the same ``INSERT ... SELECT ... GROUP BY``). A downgrade
drops the counts; the rows they were counted from are untouched.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def _utc_day(column: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(timezone('UTC', {column}) AS DATE)"
    return f"date({column})"


def upgrade() -> None:
    op.create_table(
        "daily_crossings",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "crossing_point", "direction", "nationality"),
    )
    op.create_index("ix_daily_crossings_point", "daily_crossings", ["crossing_point", "day"])
    op.create_table(
        "daily_inspections",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "crossing_point", "decision"),
    )
    day = _utc_day("at")
    op.execute(
        "INSERT INTO daily_crossings (day, crossing_point, direction, nationality, n)"
        f" SELECT {day}, crossing_point, direction, COALESCE(nationality, ''), COUNT(*)"
        f" FROM crossings GROUP BY {day}, crossing_point, direction, COALESCE(nationality, '')"
    )
    op.execute(
        "INSERT INTO daily_inspections (day, crossing_point, decision, n)"
        f" SELECT {day}, crossing_point, decision, COUNT(*)"
        f" FROM inspections GROUP BY {day}, crossing_point, decision"
    )


def downgrade() -> None:
    op.drop_table("daily_inspections")
    op.drop_index("ix_daily_crossings_point", table_name="daily_crossings")
    op.drop_table("daily_crossings")
