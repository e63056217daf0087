"""``/cases``: analysts' cases, listed (how many notes each holds) or in full."""

from __future__ import annotations

from typing import Literal

from passerelle.api.models.base import IsoDateTime, Out
from passerelle.api.models.hits import HitReviewOut, NoteOut

__all__ = ["CaseListOut", "CaseOut", "CaseSummaryOut"]


class CaseSummaryOut(Out):
    """A case as lists show it: its state and hit review ids, and how many notes it holds."""

    id: str
    title: str
    status: Literal["open", "closed"]
    opened_by: str
    opened_at: IsoDateTime
    closed_by: str | None
    closed_at: IsoDateTime | None
    resolution: str | None
    review_ids: tuple[int, ...]
    note_count: int


class CaseListOut(Out):
    """``GET /cases``: open ones first, newest first."""

    cases: tuple[CaseSummaryOut, ...]


class CaseOut(CaseSummaryOut):
    """A case in full: its notes, oldest first, and its hit reviews."""

    notes: tuple[NoteOut, ...]
    reviews: tuple[HitReviewOut, ...]
