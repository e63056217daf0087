"""The values of stored inspections and hit reviews (no session here; see ``inspections``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from passerelle.exc import InvalidInput, NotFound

__all__ = [
    "HIT_SOURCES",
    "NOT_SAME_PERSON",
    "OFFICER_ACTIONS",
    "REVIEW_STATUSES",
    "DecisionConflict",
    "HitDraft",
    "HitReviewView",
    "InspectionOutOfScope",
    "InspectionView",
    "RequestIdReused",
    "UnknownInspection",
    "traveller_key",
]

OFFICER_ACTIONS = frozenset({"admit", "refer", "refuse"})
REVIEW_STATUSES = frozenset({"pending", "confirmed", "dismissed"})
HIT_SOURCES = frozenset({"sltd", "alerts", "watchlist", "face"})
NOT_SAME_PERSON = "not_same_person"


class UnknownInspection(NotFound):
    """No inspection has this id."""

    def __init__(self, inspection_id: str) -> None:
        super().__init__("inspection_id", f"no inspection {inspection_id!r} on this node")
        self.inspection_id = inspection_id


class InspectionOutOfScope(UnknownInspection):
    """The inspection exists but is not the actor's to read or decide (another officer's,
    another booth's, another point's: ``passerelle.access.scope``).

    It says exactly what :class:`UnknownInspection` says (404), so that an officer cannot
    tell an inspection out of their scope from one that does not exist.
    """


class DecisionConflict(InvalidInput):
    """Another decision than the one asked was already taken on the inspection (409); the
    reason names it. The same decision asked again is not a conflict: it is answered as taken.
    """


class RequestIdReused(InvalidInput):
    """A client's request id already stands for another inspection of the officer's (another
    document, crossing point or direction): refused (409) naming ``request_id``, never
    answered with the other traveller's inspection."""


def traveller_key(
    issuing_state: str | None,
    document_number: str | None,
    *,
    surname: str | None = None,
    given_names: str | None = None,
    birth_date: date | str | None = None,
) -> str | None:
    """Whom a hit review stands for: the document (``doc:STATE:NUMBER``), else the name and
    birth date (``person:SURNAME<<GIVEN:YYYY-MM-DD``); ``None`` when neither is known.

    >>> traveller_key("mar", " ab123456 ")
    'doc:MAR:AB123456'
    >>> traveller_key(None, None, surname="Leroy", given_names="Isabelle", birth_date="1971-08-19")
    'person:LEROY<<ISABELLE:1971-08-19'
    >>> traveller_key(None, None, surname="LEROY") is None
    True
    """
    if issuing_state and issuing_state.strip() and document_number and document_number.strip():
        return f"doc:{issuing_state.strip().upper()}:{document_number.strip().upper()[:24]}"
    name = " ".join((surname or "").upper().split())
    if not name or not birth_date:
        return None
    given = " ".join((given_names or "").upper().split())
    day = birth_date.isoformat() if isinstance(birth_date, date) else str(birth_date).strip()
    return f"person:{name}<<{given}:{day}"[:200]


@dataclass(frozen=True, slots=True)
class HitDraft:
    """A hit to queue for review: which source, what was hit, and how strongly."""

    source: str
    reference: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class InspectionView:
    """A stored inspection (the result as the JSON it was stored as)."""

    id: str
    at: datetime
    officer: str
    crossing_point: str
    direction: str
    purpose: str
    issuing_state: str | None
    document_number: str | None
    nationality: str | None
    decision: str
    result: dict[str, Any]
    crossing_id: int | None
    action: str | None
    reason_code: str | None
    decided_by: str | None
    decided_at: datetime | None
    booth: str | None = None
    """The booth of the crossing point the check was made at, when known (migration 0015)."""
    vehicle_plate: str | None = None
    party_reference: str | None = None
    address: str | None = None
    phone: str | None = None
    """The travel context given with the check (``records.travel``, migration 0025)."""


@dataclass(frozen=True, slots=True)
class HitReviewView:
    """A stored hit review."""

    id: int
    inspection_id: str
    source: str
    reference: str
    score: float | None
    status: str
    note: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    feedback: str | None
    feedback_by: str | None
    created_at: datetime
    sightings: int = 1
    """How many inspections met this hit: the first, and each rescan attached since."""
    last_seen_at: datetime | None = None
    """When the hit was last met (``None`` on rows made before sightings were kept)."""
    last_inspection_id: str | None = None
    """The inspection that last met the hit."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            out[item.name] = value.isoformat() if isinstance(value, datetime) else value
        return out
