"""Seizures recorded on border inspections (migration 0012).

=============  ======================================================================
``seizures``   what an officer seized at an inspection: the document and/or other
               items, why, the alert followed; numbered 1, 2... per inspection
=============  ======================================================================
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = ["Seizure"]


class Seizure(Base):
    """One seizure of an inspection (its receipt carries ``number``)."""

    __tablename__ = "seizures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[bool] = mapped_column(Boolean)
    document_state: Mapped[str | None] = mapped_column(String(3))
    document_number: Mapped[str | None] = mapped_column(String(24))
    document_type: Mapped[str | None] = mapped_column(String(2))
    items: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    alert_reference: Mapped[str | None] = mapped_column(String(128))
    officer: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_seizures_inspection_number", "inspection_id", "number", unique=True),
    )
