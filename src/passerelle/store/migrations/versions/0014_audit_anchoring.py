"""Audit anchoring: a sealed chain head, and the checkpoints partners keep of their chains.

- ``audit_head`` gains ``counter`` (goes up by one with every write of the head, never
  back) and ``seal`` (the keyed hash of sequence, last hash and counter, with the node's
  audit key). The head of a chain that already has records is sealed by
  ``passerelle db upgrade``, which holds the key; a migration does not.
- ``partner_audit_checkpoints``: the checkpoints of their own audit chains that partners
  signed and sent here (``audit.checkpoint``), returned to them on request.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column(
        "audit_head",
        sa.Column("counter", BIG_ID, nullable=False, server_default=sa.text("0")),
    )
    op.add_column("audit_head", sa.Column("seal", sa.String(length=64), nullable=True))
    op.create_table(
        "partner_audit_checkpoints",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("seq", BIG_ID, nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checkpoint", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_partner_audit_checkpoints_state_seq",
        "partner_audit_checkpoints",
        ["state", "seq", "signature"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_partner_audit_checkpoints_state_seq", table_name="partner_audit_checkpoints")
    op.drop_table("partner_audit_checkpoints")
    op.drop_column("audit_head", "seal")
    op.drop_column("audit_head", "counter")
