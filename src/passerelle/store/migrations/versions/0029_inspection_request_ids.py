"""An inspection's request id: the client's own id of the request, so that a retry is answered.

- ``inspections.request_id``: the id a booth's client gave the request (8 to 64
  characters), ``NULL`` for the inspections before and for clients that give none;
- ``ux_inspections_request``: unique on (``officer``, ``request_id``). Two hosts that
  receive the same retried request at once both try to store it: the index lets one
  in, the other finds the first one's inspection (``screening.replays``). ``NULL``
  ids never collide (both databases treat each ``NULL`` as distinct).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("inspections", sa.Column("request_id", sa.String(64), nullable=True))
    op.create_index("ux_inspections_request", "inspections", ["officer", "request_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_inspections_request", table_name="inspections")
    with op.batch_alter_table("inspections") as table:
        table.drop_column("request_id")
