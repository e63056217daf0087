"""The values of cases and notes (no session here; see ``cases``), and the checks on input.

A *case* gathers hit reviews an analyst follows up together::

    open ──close(resolution)──> closed      (final: refuses every change)

Its id is the year it was opened and its number in that year
(``CASE-2026-0007``). A *note* (author, time, text of at most 2,000 characters)
belongs to one thread: a case's, or a hit review's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passerelle.exc import InvalidInput, NotFound
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.inspections import HitReviewView

__all__ = [
    "CASE_STATUSES",
    "MAX_NOTE",
    "MAX_REVIEWS",
    "MAX_TITLE",
    "CaseRefused",
    "CaseView",
    "NoteView",
    "ReviewThread",
    "UnknownCase",
    "case_id_of",
    "checked_review_ids",
    "checked_text",
]

CASE_STATUSES = frozenset({"open", "closed"})
MAX_NOTE = 2000
MAX_TITLE = 200
MAX_REVIEWS = 100
"""Hit reviews one request may link to a case."""


class UnknownCase(NotFound):
    """No case has this id."""

    def __init__(self, case_id: str) -> None:
        super().__init__("case_id", f"no case {case_id!r} on this node")


class CaseRefused(InvalidInput):
    """The change conflicts with the state: the case is closed, or a hit is in another case.

    ``field`` names what refused it (``status`` for a closed case, ``review_ids`` for a hit
    review already in a case).
    """


def case_id_of(year: int, number: int) -> str:
    """A case's id: the year it was opened and its number in that year.

    >>> case_id_of(2026, 7)
    'CASE-2026-0007'
    """
    return f"CASE-{year:04d}-{number:04d}"


def checked_text(field: str, value: str | None, *, limit: int, required: bool = True) -> str | None:
    """``value`` stripped, or ``None`` when blank and not ``required``; ``InvalidInput`` naming
    ``field`` when it is blank but required, or longer than ``limit`` characters.

    >>> checked_text("title", "  Forged passports, Tanger Med  ", limit=200)
    'Forged passports, Tanger Med'
    >>> checked_text("note", "   ", limit=2000, required=False) is None
    True
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(field, worded(N_("is required")))
        return None
    if len(text) > limit:
        raise InvalidInput(field, worded(N_("is longer than %(most)s characters"), most=limit))
    return text


def checked_review_ids(values: Iterable[int], *, field: str = "review_ids") -> tuple[int, ...]:
    """The hit review ids to link, once each in the order given; ``InvalidInput`` naming
    ``field`` when there are none or more than :data:`MAX_REVIEWS`.

    >>> checked_review_ids([3, 1, 3])
    (3, 1)
    """
    ids = tuple(dict.fromkeys(int(value) for value in values))
    if not ids:
        raise InvalidInput(field, worded(N_("name at least one hit review")))
    if len(ids) > MAX_REVIEWS:
        raise InvalidInput(
            field,
            worded(N_("name at most %(max_reviews)s hit reviews at once"), max_reviews=MAX_REVIEWS),
        )
    return ids


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class NoteView:
    """One note of a thread (a case's or a hit review's): who wrote what, when."""

    id: int
    author: str
    at: datetime
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "author": self.author, "at": self.at.isoformat(), "text": self.text}


@dataclass(frozen=True, slots=True)
class CaseView:
    """A stored case: its state, the hit reviews linked to it and its notes, oldest first.

    Lists carry no notes (``notes`` is empty) but their ``note_count``.
    """

    id: str
    title: str
    status: str
    opened_by: str
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    resolution: str | None
    review_ids: tuple[int, ...]
    notes: tuple[NoteView, ...]
    note_count: int

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def as_dict(self, *, with_notes: bool = True) -> dict[str, Any]:
        """The case as JSON; without the notes' texts (only how many) for lists."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "opened_by": self.opened_by,
            "opened_at": self.opened_at.isoformat(),
            "closed_by": self.closed_by,
            "closed_at": _iso(self.closed_at),
            "resolution": self.resolution,
            "review_ids": list(self.review_ids),
            "note_count": self.note_count,
        }
        if with_notes:
            out["notes"] = [note.as_dict() for note in self.notes]
        return out


@dataclass(frozen=True, slots=True)
class ReviewThread:
    """A hit review with its notes, oldest first, and the case it is in (if any)."""

    review: HitReviewView
    case_id: str | None
    notes: tuple[NoteView, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.review.as_dict(),
            "case_id": self.case_id,
            "notes": [note.as_dict() for note in self.notes],
        }
