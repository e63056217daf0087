"""Analysts' cases, their hit reviews, and the notes of cases and hit reviews.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("opened_by", sa.String(length=128), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=128), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cases_year_number", "cases", ["year", "number"], unique=True)
    op.create_index("ix_cases_status", "cases", ["status", "opened_at"])
    op.create_table(
        "case_numbers",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "case_reviews",
        sa.Column("review_id", BIG_ID, nullable=False),
        sa.Column("case_id", sa.String(length=16), nullable=False),
        sa.Column("linked_by", sa.String(length=128), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["hit_reviews.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("review_id"),
    )
    op.create_index(op.f("ix_case_reviews_case_id"), "case_reviews", ["case_id"])
    op.create_table(
        "case_notes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=16), nullable=True),
        sa.Column("review_id", BIG_ID, nullable=True),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(case_id IS NULL) <> (review_id IS NULL)", name="ck_case_notes_one_thread"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["hit_reviews.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id", "id"])
    op.create_index("ix_case_notes_review", "case_notes", ["review_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_case_notes_review", table_name="case_notes")
    op.drop_index("ix_case_notes_case", table_name="case_notes")
    op.drop_table("case_notes")
    op.drop_index(op.f("ix_case_reviews_case_id"), table_name="case_reviews")
    op.drop_table("case_reviews")
    op.drop_table("case_numbers")
    op.drop_index("ix_cases_status", table_name="cases")
    op.drop_index("ix_cases_year_number", table_name="cases")
    op.drop_table("cases")
