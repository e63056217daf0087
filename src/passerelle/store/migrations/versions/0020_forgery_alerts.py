"""Forged-document alerts carry reference images, at this node and as partners sent them.

- ``alerts.reference_images`` and ``partner_alerts.reference_images``: a JSON list of
  ``{"media_type", "data" (base64), "caption"}`` (``records.forgeries``), null for
  every alert but a ``forged_document`` one. Existing rows get null: no alert had
  images before. The series a forgery concerns lives in the alert's ``subject`` JSON
  like any subject (kind ``document_series``), so it needs no column.
- Downgrade deletes the ``forged_document`` alerts (their events too) and the partners'
  ones: the code of the revision before cannot read a ``document_series`` subject.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 11:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_TABLES = ("alerts", "partner_alerts")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("reference_images", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute(
        "DELETE FROM alert_events WHERE alert_id IN "
        "(SELECT id FROM alerts WHERE category = 'forged_document')"
    )
    op.execute("DELETE FROM alerts WHERE category = 'forged_document'")
    op.execute("DELETE FROM partner_alerts WHERE category = 'forged_document'")
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("reference_images")
