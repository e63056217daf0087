"""The hub's table (migration 0017): which member may send which message kinds to which.

``hub_agreements`` is the hub's own copy of the members' agreement matrix: one row
per (sender, addressee) pair, ``*`` standing for every member on either side, and
the message kinds allowed between them (``query.document``, ``query.*``). A hub
forwards a sealed part only where a row allows its kind; members' nodes leave the
table empty.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base

__all__ = ["HubAgreement"]


class HubAgreement(Base):
    """What one member (or ``*``) may send another (or ``*``) through the hub."""

    __tablename__ = "hub_agreements"

    sender: Mapped[str] = mapped_column(String(3), primary_key=True)
    addressee: Mapped[str] = mapped_column(String(3), primary_key=True)
    kinds: Mapped[list[str]]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(128))
