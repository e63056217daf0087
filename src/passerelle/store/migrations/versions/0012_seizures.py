"""Seizures recorded on border inspections.

A new table ``seizures``: what an officer seized at an inspection (the travel
document and/or other items in words), why, the alert it follows, who and when,
numbered 1, 2... per inspection (the receipt's number). No existing row changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seizures",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column(
            "inspection_id",
            sa.String(length=32),
            sa.ForeignKey("inspections.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document", sa.Boolean(), nullable=False),
        sa.Column("document_state", sa.String(length=3), nullable=True),
        sa.Column("document_number", sa.String(length=24), nullable=True),
        sa.Column("document_type", sa.String(length=2), nullable=True),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("alert_reference", sa.String(length=128), nullable=True),
        sa.Column("officer", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_seizures_inspection_number", "seizures", ["inspection_id", "number"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_seizures_inspection_number", table_name="seizures")
    op.drop_table("seizures")
