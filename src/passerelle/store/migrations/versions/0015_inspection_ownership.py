"""Whose inspections a user may read and decide: where each user works, and each check's booth.

- ``users`` gains ``crossing_point`` and ``booth``: the crossing point (and the booth of
  it) an administrator assigned the user to (``passerelle user modify --point --booth``).
  Existing users get none: an officer then reads only their own inspections, a
  supervisor every point (``PASSERELLE_UNASSIGNED_SUPERVISOR``), until assigned.
- ``inspections`` gains ``booth``: the booth the check was made at (given with the
  check, else the officer's assigned booth). Existing inspections have none.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("crossing_point", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("booth", sa.String(length=32), nullable=True))
    op.add_column("inspections", sa.Column("booth", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("inspections", "booth")
    op.drop_column("users", "booth")
    op.drop_column("users", "crossing_point")
