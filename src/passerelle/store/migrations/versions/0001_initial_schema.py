"""Initial schema: registries, alerts, crossings, stay rules, bulk loads, audit chain.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 08:28:37.303143
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "alerts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("subject_key", sa.String(length=128), nullable=False),
        sa.Column("issuing_authority", sa.String(length=128), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_alerts_subject_key"), "alerts", ["subject_key"], unique=False)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_records",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("actor_kind", sa.String(length=8), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column(
            "redacts_through", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_index(op.f("ix_audit_records_action"), "audit_records", ["action"], unique=False)
    op.create_table(
        "crossings",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("document_number", sa.String(length=24), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("officer", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_crossings_document",
        "crossings",
        ["issuing_state", "document_number", "at"],
        unique=False,
    )
    op.create_table(
        "load_runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("lines_done", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_load_runs_file_sha256"), "load_runs", ["file_sha256"], unique=False)
    op.create_table(
        "sltd_records",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("document_number", sa.String(length=24), nullable=False),
        sa.Column("number_key", sa.String(length=24), nullable=False),
        sa.Column("number_key9", sa.String(length=9), nullable=False),
        sa.Column("document_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("reported_by", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_sltd_lookup", "sltd_records", ["issuing_state", "number_key9"], unique=False
    )
    op.create_table(
        "stay_rules",
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("max_days", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nationality"),
    )
    op.create_table(
        "watchlist_persons",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("birth_date", sa.String(length=10), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("nationalities", sa.JSON(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("issued_by", sa.String(length=3), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "alert_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("alert_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_alert_events_alert_id"), "alert_events", ["alert_id"], unique=False)
    op.create_table(
        "audit_payloads",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["seq"], ["audit_records.seq"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "load_rejections",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["load_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_load_rejections_run_id"), "load_rejections", ["run_id"], unique=False)
    op.create_table(
        "watchlist_names",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["watchlist_persons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_watchlist_names_person_id"), "watchlist_names", ["person_id"], unique=False
    )
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer()),
            sa.column("seq", sa.BigInteger()),
            sa.column("hash", sa.String()),
        ),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )


def downgrade() -> None:

    op.drop_index(op.f("ix_watchlist_names_person_id"), table_name="watchlist_names")
    op.drop_table("watchlist_names")
    op.drop_index(op.f("ix_load_rejections_run_id"), table_name="load_rejections")
    op.drop_table("load_rejections")
    op.drop_table("audit_payloads")
    op.drop_index(op.f("ix_alert_events_alert_id"), table_name="alert_events")
    op.drop_table("alert_events")
    op.drop_table("watchlist_persons")
    op.drop_table("stay_rules")
    op.drop_index("ix_sltd_lookup", table_name="sltd_records")
    op.drop_table("sltd_records")
    op.drop_index(op.f("ix_load_runs_file_sha256"), table_name="load_runs")
    op.drop_table("load_runs")
    op.drop_index("ix_crossings_document", table_name="crossings")
    op.drop_table("crossings")
    op.drop_index(op.f("ix_audit_records_action"), table_name="audit_records")
    op.drop_table("audit_records")
    op.drop_table("audit_head")
    op.drop_index(op.f("ix_alerts_subject_key"), table_name="alerts")
    op.drop_table("alerts")
