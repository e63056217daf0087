"""The fingerprints of the node's keys, checked by every host before it writes.

- ``node_keys``: one row per key (``audit``, ``biometric``, ``signing``): an HMAC-SHA256
  of a fixed label under the key (never the key itself), when it was recorded and how
  (``init``, ``adopted``, ``rotated``).

The upgrade records nothing: a node set up before this revision adopts the keys of
the first host that starts after it, with a note in the audit trail. A downgrade
drops the fingerprints; the keys themselves are files, untouched.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "node_keys",
        sa.Column("name", sa.String(length=16), primary_key=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("node_keys")
