"""Supervisors and the second line: admissions of a HIT awaiting a supervisor, referrals.

``admission_requests``: an officer's ``admit`` on a HIT, awaiting a supervisor's
confirmation (four eyes), then confirmed or declined. ``second_line``: a traveller
referred to second line, one per inspection, with the outcome once recorded. Both
are new; existing inspections get no rows (a referral decided before this revision
stays a word on the inspection, as it was).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "admission_requests",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("inspection_id", sa.String(length=32), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("supervisor", sa.String(length=128), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_admission_requests_inspection_id"), "admission_requests", ["inspection_id"]
    )
    op.create_index(
        "ix_admission_requests_status", "admission_requests", ["status", "requested_at"]
    )
    op.create_table(
        "second_line",
        sa.Column("inspection_id", sa.String(length=32), nullable=False),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.Column("referred_by", sa.String(length=128), nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("outcome_by", sa.String(length=128), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("handed_to", sa.String(length=200), nullable=True),
        sa.Column("crossing_id", BIG_ID, nullable=True),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("inspection_id"),
    )
    op.create_index(
        "ix_second_line_queue", "second_line", ["outcome", "crossing_point", "referred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_second_line_queue", table_name="second_line")
    op.drop_table("second_line")
    op.drop_index("ix_admission_requests_status", table_name="admission_requests")
    op.drop_index(op.f("ix_admission_requests_inspection_id"), table_name="admission_requests")
    op.drop_table("admission_requests")
