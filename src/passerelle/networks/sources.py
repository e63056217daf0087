"""What the networks read from the store for a period: crossings, travel contexts, hits, cases.

Each reader runs one SELECT through the caller's session (SQLite and PostgreSQL
alike) and returns plain rows; nothing here decides a link (``building`` does).
Times come back as UTC datetimes (``store.types.UtcDateTime``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.records.inspections import traveller_key
from passerelle.store.tables import CaseReview, Crossing, HitReview, Inspection

__all__ = [
    "ContextRow",
    "CrossingRow",
    "ReviewRow",
    "case_reviews",
    "crossings",
    "inspections_with_context",
    "reviews_of_alerts",
]

ALERT_SOURCE = "alerts"
"""The hit source whose reference is an alert id (``records.inspections.HIT_SOURCES``)."""


@dataclass(frozen=True, slots=True)
class CrossingRow:
    id: int
    person: str
    point: str
    direction: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ContextRow:
    """An inspection of a documented traveller with what it carried to link them."""

    id: str
    person: str
    point: str
    direction: str
    at: datetime
    vehicle_plate: str | None
    party_reference: str | None
    address: str | None
    phone: str | None
    holder: str | None
    """The holder as the document reads (``SURNAME<<GIVEN:BIRTH``), when it says."""


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: int
    person: str
    reference: str
    at: datetime
    inspection_id: str


def crossings(session: Session, since: datetime, until: datetime) -> Iterator[CrossingRow]:
    """The crossings from ``since`` (included) to ``until`` (excluded), in time order."""
    rows = session.execute(
        select(
            Crossing.id,
            Crossing.issuing_state,
            Crossing.document_number,
            Crossing.crossing_point,
            Crossing.direction,
            Crossing.at,
        )
        .where(Crossing.at >= since, Crossing.at < until)
        .order_by(Crossing.crossing_point, Crossing.at)
        .execution_options(yield_per=10_000)
    )
    for id_, state, number, point, direction, at in rows:
        yield CrossingRow(int(id_), f"doc:{state}:{number}", point, direction, at)


def _holder(result: dict[str, Any] | None) -> str | None:
    document = (result or {}).get("document") or {}
    surname, born = document.get("surname"), document.get("birth_date")
    if not surname or not born:
        return None
    given = " ".join(str(document.get("given_names") or "").upper().split())
    return f"{' '.join(str(surname).upper().split())}<<{given}:{born}"


def inspections_with_context(
    session: Session, since: datetime, until: datetime
) -> Iterator[ContextRow]:
    """The period's inspections of a documented traveller (with the holder they read)."""
    rows = session.execute(
        select(
            Inspection.id,
            Inspection.issuing_state,
            Inspection.document_number,
            Inspection.crossing_point,
            Inspection.direction,
            Inspection.at,
            Inspection.vehicle_plate,
            Inspection.party_reference,
            Inspection.address,
            Inspection.phone,
            Inspection.result,
        )
        .where(
            Inspection.at >= since,
            Inspection.at < until,
            Inspection.issuing_state.is_not(None),
            Inspection.document_number.is_not(None),
        )
        .order_by(Inspection.at, Inspection.id)
    )
    for id_, state, number, point, direction, at, plate, party, address, phone, result in rows:
        person = traveller_key(state, number)
        if person is None:
            continue
        yield ContextRow(
            id_, person, point, direction, at, plate, party, address, phone, _holder(result)
        )


def reviews_of_alerts(session: Session, since: datetime, until: datetime) -> Iterator[ReviewRow]:
    """The hit reviews of alerts raised in the period (the reference is the alert's id)."""
    rows = session.execute(
        select(
            HitReview.id,
            HitReview.traveller_key,
            HitReview.reference,
            HitReview.created_at,
            HitReview.inspection_id,
        )
        .where(
            HitReview.source == ALERT_SOURCE,
            HitReview.created_at >= since,
            HitReview.created_at < until,
            HitReview.traveller_key.is_not(None),
        )
        .order_by(HitReview.created_at, HitReview.id)
    )
    for id_, person, reference, at, inspection_id in rows:
        if person:
            yield ReviewRow(int(id_), person, reference, at, inspection_id)


def case_reviews(session: Session, since: datetime, until: datetime) -> Iterator[ReviewRow]:
    """The hit reviews of the period linked to a case (the reference is the case's id)."""
    rows = session.execute(
        select(
            HitReview.id,
            HitReview.traveller_key,
            CaseReview.case_id,
            HitReview.created_at,
            HitReview.inspection_id,
        )
        .join(CaseReview, CaseReview.review_id == HitReview.id)
        .where(
            HitReview.created_at >= since,
            HitReview.created_at < until,
            HitReview.traveller_key.is_not(None),
        )
        .order_by(HitReview.created_at, HitReview.id)
    )
    for id_, person, case_id, at, inspection_id in rows:
        if person:
            yield ReviewRow(int(id_), person, case_id, at, inspection_id)
