"""Watchlist names live in the person's row only: drop the ``watchlist_names`` copy.

Every name was stored twice, in ``watchlist_persons.names`` (JSON, in the
issuer's order) and as a ``watchlist_names`` row, and both had to be kept in
step by every load, update and retention run. Nothing queried the copy: name
screening indexes the names in memory. A load now writes one row per person.

Downgrading rebuilds the table from the persons' JSON, names in their order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:50:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_watchlist_names_person_id"), table_name="watchlist_names")
    op.drop_table("watchlist_names")


def downgrade() -> None:
    names = op.create_table(
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
    assert names is not None
    persons = op.get_bind().execute(sa.text("SELECT id, names FROM watchlist_persons ORDER BY id"))
    rows: list[dict[str, object]] = []
    for person_id, stored in persons:
        values = json.loads(stored) if isinstance(stored, str) else stored
        rows.extend(
            {"person_id": person_id, "position": position, "name": name}
            for position, name in enumerate(values)
        )
    if rows:
        op.bulk_insert(names, rows)
