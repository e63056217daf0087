"""Border inspections and the review queue of their hits.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inspections",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("officer", sa.String(length=128), nullable=False),
        sa.Column("crossing_point", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=5), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=True),
        sa.Column("document_number", sa.String(length=24), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("crossing_id", BIG_ID, nullable=True),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("reason_code", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_inspections_document", "inspections", ["issuing_state", "document_number", "at"]
    )
    op.create_table(
        "hit_reviews",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("inspection_id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=128), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=128), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback", sa.String(length=16), nullable=True),
        sa.Column("feedback_by", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_hit_reviews_inspection_id"), "hit_reviews", ["inspection_id"])
    op.create_index("ix_hit_reviews_status", "hit_reviews", ["status", "created_at"])
    op.create_index("ix_hit_reviews_reference", "hit_reviews", ["source", "reference"])


def downgrade() -> None:
    op.drop_index("ix_hit_reviews_reference", table_name="hit_reviews")
    op.drop_index("ix_hit_reviews_status", table_name="hit_reviews")
    op.drop_index(op.f("ix_hit_reviews_inspection_id"), table_name="hit_reviews")
    op.drop_table("hit_reviews")
    op.drop_index("ix_inspections_document", table_name="inspections")
    op.drop_table("inspections")
