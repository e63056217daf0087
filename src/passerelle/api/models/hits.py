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
    sightings: int = Field(
        description="How many inspections met this hit for this traveller: the first, and "
        "each rescan that joined the pending review since."
    )
    last_seen_at: IsoDateTime | None = Field(
        description="When the hit was last met (`null` on reviews made before node 0013)."
    )
    last_inspection_id: str | None = Field(description="The inspection that last met the hit.")


class PendingHitOut(HitReviewOut):
    """A hit in the queue: the traveller it stands for, where and when it was last met, what
    it hit in words, and its watchlist entry's false positives so far."""

    traveller_name: str | None = Field(
        description="`SURNAME, Given names` as the document read at the latest sighting."
    )
    birth_date: str | None = Field(description="The traveller's birth date, as the MRZ reads.")
    issuing_state: str | None = Field(description="The document's issuing state.")
    document_number: str | None = Field(description="The document's number.")
    crossing_point: str | None = Field(
        description="Where the hit was last met (`null`: that inspection was deleted)."
    )
    seen_at: IsoDateTime = Field(description="When the hit was last met.")
    label: str = Field(
        description="What was hit, in words: the alert's or watchlist entry's category and "
        "name, the face's list and filed name, or the fingerprint's list and finger."
    )
    false_positives: int | None = Field(
        description="Dismissed hits on the same watchlist entry; `null` for other sources."
    )


class PendingHitsOut(Out):
    """``GET /hits``: hits waiting for an analyst, one per traveller and record hit."""

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
