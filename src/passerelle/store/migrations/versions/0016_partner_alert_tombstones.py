"""Partner alert withdrawals kept as tombstones, so that no late issue can undo them.

- ``partner_alert_tombstones``: for each partner alert withdrawn, the issuing state, the
  alert id and the highest version withdrawn. A withdrawal of an alert this node never
  received (its issue parked at the sender) is kept too, so a requeued issue of that
  version or below changes nothing.
- Existing withdrawn ``partner_alerts`` rows get their tombstone (their version, and
  their ``updated_at`` as the time the withdrawal was received).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_alert_tombstones",
        sa.Column("issuing_state", sa.String(length=3), primary_key=True),
        sa.Column("alert_id", sa.String(length=64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "INSERT INTO partner_alert_tombstones (issuing_state, alert_id, version, withdrawn_at) "
        "SELECT issuing_state, alert_id, version, updated_at FROM partner_alerts "
        "WHERE status = 'withdrawn'"
    )


def downgrade() -> None:
    op.drop_table("partner_alert_tombstones")
