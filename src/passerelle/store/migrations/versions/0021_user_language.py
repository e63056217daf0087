"""The language each user reads the pages in.

- ``users.language``: ``ar``, ``fr`` or ``en``; ``NULL`` until the user chooses one (at their
  first login, from the login page's choice or the browser's preference).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_column("language")
