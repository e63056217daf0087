"""A federation hub: members' sealing keys and routes, the hub's agreement matrix.

- ``exchange_peers.sealing_key``: the partner's X25519 sealing key line, signed by its
  signing key (parts relayed by a hub are sealed to it).
- ``exchange_peers.via``: the hub this node reaches the partner through (NULL: direct).
- ``exchange_peers.relays``: the partner is a hub (relays sealed parts between members).
- ``hub_agreements``: on a hub, which member may send which kinds to which.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("exchange_peers", sa.Column("sealing_key", sa.Text(), nullable=True))
    op.add_column("exchange_peers", sa.Column("via", sa.String(length=3), nullable=True))
    op.add_column(
        "exchange_peers",
        sa.Column("relays", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "hub_agreements",
        sa.Column("sender", sa.String(length=3), primary_key=True),
        sa.Column("addressee", sa.String(length=3), primary_key=True),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hub_agreements")
    op.drop_column("exchange_peers", "relays")
    op.drop_column("exchange_peers", "via")
    op.drop_column("exchange_peers", "sealing_key")
