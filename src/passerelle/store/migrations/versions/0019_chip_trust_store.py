"""The chip trust store: the CSCAs and CRLs that passive authentication trusts (issue 18).

- ``chip_trust_versions``: one row per change of the store (an import of a master list,
  a CSCA or a CRL, a removal), numbered from 1, with the file's SHA-256, who and when.
- ``chip_cscas``: CSCA certificates (DER) with their country and validity, trusted from
  the version that added them until the one that removed them.
- ``chip_crls``: the CSCAs' CRLs (DER), in force until a newer one of the same issuer.
- ``chip_partner_cscas``: the CSCAs each partner published (message ``chip.cscas``),
  offered to the administrator, not trusted until adopted.

New tables only: existing rows are untouched; a node starts with an empty store (every
chip gets ``csca_unknown`` until its operators import a master list).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 11:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chip_trust_versions",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
    )
    op.create_table(
        "chip_cscas",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "added_in",
            sa.Integer(),
            sa.ForeignKey("chip_trust_versions.version"),
            nullable=False,
        ),
        sa.Column(
            "removed_in",
            sa.Integer(),
            sa.ForeignKey("chip_trust_versions.version"),
            nullable=True,
        ),
    )
    op.create_index("ix_chip_cscas_fingerprint", "chip_cscas", ["fingerprint"])
    op.create_table(
        "chip_crls",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("this_update", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_update", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked", sa.Integer(), nullable=False),
        sa.Column(
            "added_in",
            sa.Integer(),
            sa.ForeignKey("chip_trust_versions.version"),
            nullable=False,
        ),
        sa.Column(
            "superseded_in",
            sa.Integer(),
            sa.ForeignKey("chip_trust_versions.version"),
            nullable=True,
        ),
    )

    op.create_table(
        "chip_partner_cscas",
        sa.Column("state", sa.String(3), primary_key=True),
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chip_partner_cscas")
    op.drop_table("chip_crls")
    op.drop_index("ix_chip_cscas_fingerprint", table_name="chip_cscas")
    op.drop_table("chip_cscas")
    op.drop_table("chip_trust_versions")
