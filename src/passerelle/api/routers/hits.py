"""``/hits``: the review queue of hits; analysts confirm or dismiss them, and keep notes on them.

A hit review's notes thread takes notes before and after the verdict; reading
one review with its notes and case is audited (``hit_review.read``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import HitReviewOut, HitThreadOut, NoteOut, PendingHitsOut, refusals
from passerelle.api.schemas import NoteBody, ReviewBody
from passerelle.http.deps import ServicesDep, allowed
from passerelle.http.ids import PathId
from passerelle.store.audit import Actor
from passerelle.store.cases import CaseRepository

__all__ = ["router"]

router = APIRouter(prefix="/hits", tags=["hits"], responses=refusals(401, 403, 422))

Reviewing = Annotated[Actor, Depends(allowed(Permission.REVIEW_HITS))]


@router.get("")
def pending_hits(
    actor: Reviewing,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    order: Annotated[
        Literal["oldest", "newest"],
        Query(description="By the time each hit was last met: `oldest` first, or `newest`."),
    ] = "oldest",
) -> PendingHitsOut:
    """Hits waiting for an analyst, one per traveller and record hit (a rescan joins the
    pending review: see `sightings`), with the traveller, the crossing point and time of the
    latest sighting, what was hit in words, and each watchlist entry's false positives;
    audited (`hit_review.queue`)."""
    items = services.review_queue.pending(actor, limit=limit, newest_first=order == "newest")
    return PendingHitsOut.model_validate({"hits": [item.as_dict() for item in items]})


@router.post("/{review_id}/confirm", responses=refusals(404))
def confirm(
    review_id: PathId, body: ReviewBody, actor: Reviewing, services: ServicesDep
) -> HitReviewOut:
    """The hit was the person or document: confirmed (final), audited."""
    node = services.node
    with node.database.write() as session:
        review = services.inspector.repository.confirm(
            session, review_id, by=actor, note=body.note, now=node.clock()
        )
    return HitReviewOut.model_validate(review.as_dict())


@router.post("/{review_id}/dismiss", responses=refusals(404))
def dismiss(
    review_id: PathId, body: ReviewBody, actor: Reviewing, services: ServicesDep
) -> HitReviewOut:
    """A false positive: dismissed (final) with the analyst's note, counted per list entry."""
    node = services.node
    with node.database.write() as session:
        review = services.inspector.repository.dismiss(
            session, review_id, by=actor, note=body.note or "", now=node.clock()
        )
    return HitReviewOut.model_validate(review.as_dict())


@router.get("/{review_id}", responses=refusals(404))
def get_hit(
    review_id: PathId,
    actor: Reviewing,
    services: ServicesDep,
    purpose: Annotated[str, Query(min_length=1, max_length=500)] = "hit review",
) -> HitThreadOut:
    """One hit review with its notes (oldest first) and its case id (``null``: none); audited."""
    return HitThreadOut.model_validate(
        services.records.hit_review(actor, purpose, review_id).as_dict()
    )


@router.post("/{review_id}/notes", status_code=201, responses=refusals(404))
def add_note(review_id: PathId, body: NoteBody, actor: Reviewing, services: ServicesDep) -> NoteOut:
    """Add a note to a hit review's thread, pending or decided; audited."""
    node = services.node
    with node.database.write() as session:
        note = CaseRepository(node.audit).note_review(
            session, review_id, body.text, by=actor, now=node.clock()
        )
    return NoteOut.model_validate(note.as_dict())
