"""Alert actions: what a hit on each alert asks for, and the officers' reports of hits.

``alerts.action_code`` and ``partner_alerts.action_code`` (``records.alert_actions``:
``arrest``, ``refuse_crossing``, ``seize``, ``specific_check``, ``discreet_check``,
``inform``): existing rows get their category's default (``wanted`` → ``arrest``,
``surveillance`` → ``discreet_check``...), which is what the border check did with
them until now for every category but ``surveillance`` and ``missing_person``.

``alert_reports``: an officer's report of a hit on an alert (what was observed,
companions, vehicle, route), one per inspection and alert, filed at this node or
received from the partner whose officer filed it on this node's alert.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_DEFAULTS = {
    "wanted": "arrest",
    "travel_ban": "refuse_crossing",
    "stolen_document": "seize",
    "stolen_vehicle": "seize",
    "missing_person": "specific_check",
    "surveillance": "discreet_check",
}
"""``alert_actions.ALERT_DEFAULTS`` as of this revision (a migration does not import the
code it migrates: a later change of the defaults must not rewrite history)."""


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    for table in ("alerts", "partner_alerts"):
        op.add_column(table, sa.Column("action_code", sa.String(length=24), nullable=True))
        rows = sa.table(table, sa.column("category", sa.String), sa.column("action_code"))
        for category, code in _DEFAULTS.items():
            op.execute(rows.update().where(rows.c.category == category).values(action_code=code))
    op.create_table(
        "alert_reports",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("alert_reference", sa.String(length=72), nullable=False),
        sa.Column("alert_id", sa.String(length=64), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=True),
        sa.Column("reported_by", sa.String(length=3), nullable=True),
        sa.Column("inspection_id", sa.String(length=32), nullable=True),
        sa.Column("action_code", sa.String(length=24), nullable=False),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        _when("seen_at"),
        sa.Column("traveller", sa.JSON(), nullable=False),
        sa.Column("observed", sa.Text(), nullable=False),
        sa.Column("companions", sa.Text(), nullable=True),
        sa.Column("vehicle", sa.Text(), nullable=True),
        sa.Column("route", sa.Text(), nullable=True),
        sa.Column("filed_by", sa.String(length=128), nullable=False),
        _when("filed_at"),
    )
    op.create_index(
        "ix_alert_reports_once", "alert_reports", ["inspection_id", "alert_reference"], unique=True
    )
    op.create_index("ix_alert_reports_alert", "alert_reports", ["issuing_state", "alert_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_reports_alert", table_name="alert_reports")
    op.drop_index("ix_alert_reports_once", table_name="alert_reports")
    op.drop_table("alert_reports")
    for table in ("partner_alerts", "alerts"):
        op.drop_column(table, "action_code")
