"""Each line a load rejected keeps its reason's wording, to be said in the reader's language.

- ``load_rejections.wording``: the reason as its English template and values (JSON,
  ``i18n.wording``); ``NULL`` for the lines rejected before, whose English reason is shown.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("load_rejections", sa.Column("wording", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("load_rejections") as table:
        table.drop_column("wording")
