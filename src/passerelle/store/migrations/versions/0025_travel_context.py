"""An inspection's travel context: the vehicle, the travelling party, an address, a phone.

- ``inspections.vehicle_plate``: the registration as normalised (``records.travel``);
- ``inspections.party_reference``: a booking or group reference;
- ``inspections.address``: where the traveller stays in the country;
- ``inspections.phone``: a phone number, ``+`` and digits.

All optional (``NULL`` for the inspections before), each indexed: the networks
(``passerelle.networks``) look travellers up by them.

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("vehicle_plate", 16),
    ("party_reference", 64),
    ("address", 200),
    ("phone", 20),
)


def upgrade() -> None:
    for name, length in _COLUMNS:
        op.add_column("inspections", sa.Column(name, sa.String(length), nullable=True))
        op.create_index(f"ix_inspections_{name}", "inspections", [name])


def downgrade() -> None:
    for name, _ in _COLUMNS:
        op.drop_index(f"ix_inspections_{name}", table_name="inspections")
    with op.batch_alter_table("inspections") as table:
        for name, _ in _COLUMNS:
            table.drop_column(name)
