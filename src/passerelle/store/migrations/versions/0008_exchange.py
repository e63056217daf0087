"""The federation's tables: partners, replay guard, references, outbox, inbox, partner
alerts and follow-ups (see ``passerelle.store.tables.federation``); and on alerts, whether
each may leave the node (``shareable``, true for existing rows) and the restricted
matter (political, military, religious, racial) that keeps one home whatever the
agreement.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column(
        "alerts",
        sa.Column("shareable", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("alerts", sa.Column("restricted_matter", sa.String(length=16), nullable=True))
    op.create_table(
        "exchange_peers",
        sa.Column("state", sa.String(length=3), primary_key=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("url", sa.String(length=512), nullable=False),
        sa.Column("public_keys", sa.JSON(), nullable=False),
        sa.Column("inbound_kinds", sa.JSON(), nullable=False),
        sa.Column("outbound_kinds", sa.JSON(), nullable=False),
        sa.Column("alert_categories", sa.JSON(), nullable=False),
        sa.Column("follow_up_hours", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _when("added_at"),
        sa.Column("added_by", sa.String(length=128), nullable=False),
        _when("updated_at"),
    )
    op.create_table(
        "exchange_seen_messages",
        sa.Column("sender", sa.String(length=3), primary_key=True),
        sa.Column("message_id", sa.String(length=36), primary_key=True),
        _when("seen_at"),
    )
    op.create_index("ix_exchange_seen_messages_seen_at", "exchange_seen_messages", ["seen_at"])
    op.create_table(
        "exchange_references",
        sa.Column("reference", sa.String(length=48), primary_key=True),
        sa.Column("peer", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=128), nullable=False),
        sa.Column("score_band", sa.String(length=8), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        _when("created_at"),
        _when("expires_at"),
    )
    op.create_index("ix_exchange_references_expires_at", "exchange_references", ["expires_at"])
    op.create_index("ix_exchange_references_peer", "exchange_references", ["peer", "created_at"])
    op.create_table(
        "exchange_outbox",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("peer", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        _when("created_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at"),
        _when("delivered_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index(
        "ix_exchange_outbox_key", "exchange_outbox", ["peer", "idempotency_key"], unique=True
    )
    op.create_index(
        "ix_exchange_outbox_due", "exchange_outbox", ["delivered_at", "next_attempt_at"]
    )
    op.create_table(
        "exchange_inbox",
        sa.Column("sender", sa.String(length=3), primary_key=True),
        sa.Column("idempotency_key", sa.String(length=64), primary_key=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        _when("received_at"),
    )
    op.create_table(
        "partner_alerts",
        sa.Column("issuing_state", sa.String(length=3), primary_key=True),
        sa.Column("alert_id", sa.String(length=64), primary_key=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("subject_key", sa.String(length=128), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        _when("issued_at"),
        _when("received_at"),
        _when("updated_at"),
    )
    op.create_index("ix_partner_alerts_subject_key", "partner_alerts", ["subject_key"])
    op.create_table(
        "exchange_followups",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("peer", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=48), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        _when("requested_at"),
        _when("deadline_at"),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        _when("decided_at", nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("released", sa.JSON(), nullable=True),
    )
    op.create_index(
        "ix_exchange_followups_status",
        "exchange_followups",
        ["direction", "status", "deadline_at"],
    )


def downgrade() -> None:
    for table in (
        "exchange_followups",
        "partner_alerts",
        "exchange_inbox",
        "exchange_outbox",
        "exchange_references",
        "exchange_seen_messages",
        "exchange_peers",
    ):
        op.drop_table(table)
    op.drop_column("alerts", "restricted_matter")
    op.drop_column("alerts", "shareable")
