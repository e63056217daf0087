"""Multiple-identity links and linkage runs (issue 20).

- ``linkage_runs``: one run of the linkage model (engine, records, pairs scored, outcome).
- ``identity_links``: a pair of identity records probably of one person, yellow until an
  analyst resolves it red, green or white; the pair is unique (ends stored in a fixed order).
- Downgrade drops both: links are leads derived from records the node keeps, and a run
  rebuilds the yellow ones (the analysts' resolutions are in the audit trail).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "linkage_runs",
        sa.Column("id", _BIG, primary_key=True, autoincrement=True),
        sa.Column("engine", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.String(128), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("records", _BIG, nullable=True),
        sa.Column("pairs", _BIG, nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
    )
    op.create_table(
        "identity_links",
        sa.Column("id", _BIG, primary_key=True, autoincrement=True),
        sa.Column("left_kind", sa.String(16), nullable=False),
        sa.Column("left_ref", sa.String(128), nullable=False),
        sa.Column("right_kind", sa.String(16), nullable=False),
        sa.Column("right_ref", sa.String(128), nullable=False),
        sa.Column("colour", sa.String(8), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "run_id", _BIG, sa.ForeignKey("linkage_runs.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("partner_state", sa.String(3), nullable=True),
        sa.Column("followup_id", sa.String(64), nullable=True),
        sa.Column("resolved_by", sa.String(128), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolutions", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ix_identity_links_pair",
        "identity_links",
        ["left_kind", "left_ref", "right_kind", "right_ref"],
        unique=True,
    )
    op.create_index("ix_identity_links_colour", "identity_links", ["colour", "probability"])
    op.create_index("ix_identity_links_right", "identity_links", ["right_kind", "right_ref"])


def downgrade() -> None:
    op.drop_index("ix_identity_links_right", "identity_links")
    op.drop_index("ix_identity_links_colour", "identity_links")
    op.drop_index("ix_identity_links_pair", "identity_links")
    op.drop_table("identity_links")
    op.drop_table("linkage_runs")
