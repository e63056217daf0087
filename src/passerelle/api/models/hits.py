"""``/hits``: hit reviews (the analysts' queue and verdicts) and the notes of a thread."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from passerelle.api.models.base import IsoDateTime, Out

__all__ = ["HitReviewOut", "HitThreadOut", "NoteOut", "PendingHitOut", "PendingHitsOut"]

ReviewStatus = Literal["pending", "confirmed", "dismissed"]


class HitReviewOut(Out):
    """A hit waiting for (or given) an analyst's verdict, and the officer's feedback on it."""

    id: int
    inspection_id: str
    source: str = Field(description="`sltd`, `alerts`, `watchlist`, `face` or `federation`.")
    reference: str = Field(description="The record hit: an alert id, a watchlist id, ...")
    score: float | None
    status: ReviewStatus
    note: str | None
    reviewer: str | None
    reviewed_at: IsoDateTime | None
    feedback: str | None = Field(description="`not_same_person` when the officer said so.")
    feedback_by: str | None
    created_at: IsoDateTime


class PendingHitOut(HitReviewOut):
    """A hit in the queue, with its watchlist entry's false positives so far."""

    false_positives: int | None = Field(
        description="Dismissed hits on the same watchlist entry; `null` for other sources."
    )


class PendingHitsOut(Out):
    """``GET /hits``: hits waiting for an analyst, oldest first."""

    hits: tuple[PendingHitOut, ...]


class NoteOut(Out):
    """One note of a thread (a hit review's or a case's): who wrote what, when."""

    id: int
    author: str
    at: IsoDateTime
    text: str


class HitThreadOut(HitReviewOut):
    """One hit review with its notes, oldest first, and its case (``null``: none)."""

    case_id: str | None
    notes: tuple[NoteOut, ...]
