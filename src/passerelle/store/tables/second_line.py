"""Supervisors and the second line (migration 0011).

=======================  ==============================================================
``admission_requests``   an officer's admission of a HIT, awaiting (or given) a
                         supervisor's confirmation: four eyes, two people
``second_line``          a traveller referred to second line, and the outcome recorded
=======================  ==============================================================
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = ["AdmissionRequest", "SecondLineReferral"]


class AdmissionRequest(Base):
    """An officer's ``admit`` on a HIT: ``awaiting`` until a supervisor confirms or declines."""

    __tablename__ = "admission_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    inspection_id: Mapped[str] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    reason_code: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    supervisor: Mapped[str | None] = mapped_column(String(128))
    answered_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_admission_requests_status", "status", "requested_at"),)


class SecondLineReferral(Base):
    """A traveller referred to second line (one per inspection) and the outcome, once."""

    __tablename__ = "second_line"

    inspection_id: Mapped[str] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    crossing_point: Mapped[str] = mapped_column(String(64))
    reason_code: Mapped[str] = mapped_column(String(64))
    referred_by: Mapped[str] = mapped_column(String(128))
    referred_at: Mapped[datetime]
    outcome: Mapped[str | None] = mapped_column(String(24))
    outcome_by: Mapped[str | None] = mapped_column(String(128))
    outcome_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)
    handed_to: Mapped[str | None] = mapped_column(String(200))
    crossing_id: Mapped[int | None] = mapped_column(BigId)
    """The crossing an ``admitted_after_check`` logged (no foreign key, as inspections)."""

    __table_args__ = (Index("ix_second_line_queue", "outcome", "crossing_point", "referred_at"),)
