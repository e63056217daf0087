"""Border inspections, their hit reviews, and the analysts' cases (migrations 0004, 0006, 0015).

================  ==================================================================
``inspections``   one border check: the document, where, who, why, the result
``hit_reviews``   each hit of a traveller, waiting for (or given) a verdict
``hit_sightings`` each inspection that met a hit review's hit (migration 0013)
``cases``         an analyst's case: hit reviews followed up together
``case_numbers``  the last case number given in a year
``case_reviews``  which case a hit review is linked to (one at most)
``case_notes``    the notes of a case's or a hit review's thread
================  ==================================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "Case",
    "CaseNote",
    "CaseNumber",
    "CaseReview",
    "HitReview",
    "HitSighting",
    "Inspection",
]


class Inspection(Base):
    """One border check: the document, where, who, why, and the result as JSON."""

    __tablename__ = "inspections"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    officer: Mapped[str] = mapped_column(String(128))
    crossing_point: Mapped[str] = mapped_column(String(64))
    booth: Mapped[str | None] = mapped_column(String(32))
    """The booth of the crossing point the check was made at (migration 0015), if known."""
    direction: Mapped[str] = mapped_column(String(5))
    purpose: Mapped[str] = mapped_column(Text)
    issuing_state: Mapped[str | None] = mapped_column(String(3))
    document_number: Mapped[str | None] = mapped_column(String(24))
    nationality: Mapped[str | None] = mapped_column(String(3))
    decision: Mapped[str] = mapped_column(String(8))
    result: Mapped[dict[str, Any]]
    crossing_id: Mapped[int | None] = mapped_column(BigId)
    """The crossing recorded for it (no foreign key: crossings go with retention)."""
    action: Mapped[str | None] = mapped_column(String(8))
    reason_code: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    # the travel context (migration 0025, ``records.travel``): each optional, normalised
    vehicle_plate: Mapped[str | None] = mapped_column(String(16), index=True)
    party_reference: Mapped[str | None] = mapped_column(String(64), index=True)
    address: Mapped[str | None] = mapped_column(String(200), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    """The client's id of the request (migration 0029): unique per officer, so a retried
    request finds the inspection it already made (``screening.replays``)."""

    __table_args__ = (
        Index("ix_inspections_document", "issuing_state", "document_number", "at"),
        Index("ix_inspections_at", "at"),  # the dashboard's periods and retention
        Index("ux_inspections_request", "officer", "request_id", unique=True),
    )


class HitReview(Base):
    """One hit of an inspection, waiting for (or given) an analyst's verdict."""

    __tablename__ = "hit_reviews"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    inspection_id: Mapped[str] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(128))
    """What was hit: ``STATE:NUMBER``, an alert id, a watchlist id, ``gallery:identity``."""
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    reviewed_at: Mapped[datetime | None]
    feedback: Mapped[str | None] = mapped_column(String(16))
    feedback_by: Mapped[str | None] = mapped_column(String(128))
    feedback_at: Mapped[datetime | None]
    """When the feedback was given (an officer's "not the same person" holds from then until
    the watchlist entry changes)."""
    created_at: Mapped[datetime]
    traveller_key: Mapped[str | None] = mapped_column(String(200))
    """Whom the review stands for: ``doc:STATE:NUMBER``, else ``person:NAME:BIRTH``."""
    sightings: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    """How many inspections met this hit (the first included)."""
    last_seen_at: Mapped[datetime | None]
    last_inspection_id: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_hit_reviews_status", "status", "created_at"),
        Index("ix_hit_reviews_reference", "source", "reference"),
        Index("ix_hit_reviews_created", "created_at"),  # the dashboard's periods
        Index("ix_hit_reviews_traveller", "traveller_key", "source", "reference"),
    )


class HitSighting(Base):
    """One inspection that met a hit review's hit: the first, then each rescan attached."""

    __tablename__ = "hit_sightings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(BigId, ForeignKey("hit_reviews.id", ondelete="CASCADE"))
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    at: Mapped[datetime]

    __table_args__ = (
        Index("ix_hit_sightings_review", "review_id", "at"),
        Index("ix_hit_sightings_inspection", "inspection_id"),
    )


class Case(Base):
    """An analyst's case: hit reviews followed up together, open until closed with a resolution.

    ``id`` is ``CASE-YYYY-NNNN``: the year it was opened and its number in that year
    (allocated from :class:`CaseNumber` in the opening transaction).
    """

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))
    opened_by: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(128))
    closed_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_cases_year_number", "year", "number", unique=True),
        Index("ix_cases_status", "status", "opened_at"),
    )


class CaseNumber(Base):
    """The last case number given in a year (one row per year; the opener locks it)."""

    __tablename__ = "case_numbers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class CaseReview(Base):
    """A hit review linked to a case: a review is in one case at most (its id is the key)."""

    __tablename__ = "case_reviews"

    review_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("hit_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    linked_by: Mapped[str] = mapped_column(String(128))
    linked_at: Mapped[datetime]


class CaseNote(Base):
    """One note of a thread: a case's (``case_id``) or a hit review's (``review_id``)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("hit_reviews.id", ondelete="CASCADE")
    )
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "(case_id IS NULL) <> (review_id IS NULL)", name="ck_case_notes_one_thread"
        ),
        Index("ix_case_notes_case", "case_id", "id"),
        Index("ix_case_notes_review", "review_id", "id"),
    )
