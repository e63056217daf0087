"""The change counters: how many times each watched table was written, for every host to see.

A host keeps indexes built from the store (the watchlist's and the alerts' name
indexes): to know whether another host changed what they were built from, it
reads one counter per table (a primary-key read) rather than counting the
table. The counters are moved by database triggers (migration 0030), so every
writer moves them, this program's or not, in the transaction that writes.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base

__all__ = ["StoreChange"]


class StoreChange(Base):
    """One watched table's change counter (moved by triggers; a row appears at the first write)."""

    __tablename__ = "store_changes"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger, default=0)
