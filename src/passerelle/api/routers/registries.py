"""``/sltd``, ``/watchlist``, ``/crossings``: searches in the node's registries, each audited
with its purpose."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import (
    CrossingOut,
    CrossingsOut,
    SltdCheckOut,
    SltdRecordOut,
    StayOut,
    WatchlistMatchOut,
    WatchlistPersonOut,
    WatchlistSearchOut,
    WatchlistSharingOut,
    refusals,
)
from passerelle.api.schemas import WatchlistSharingBody
from passerelle.exc import NotFound
from passerelle.http.deps import ServicesDep, allowed
from passerelle.names import DEFAULT_THRESHOLD, NameQuery
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(tags=["registries"], responses=refusals(401, 403, 422))

Purpose = Annotated[str, Query(min_length=1, max_length=500, description="Why (audited).")]


@router.get("/sltd/{issuing_state}/{document_number}")
def sltd_check(
    issuing_state: str,
    document_number: str,
    purpose: Purpose,
    actor: Annotated[Actor, Depends(allowed(Permission.SEARCH_SLTD))],
    services: ServicesDep,
) -> SltdCheckOut:
    """Is this document reported stolen, lost, revoked or invalidated?"""
    answer = services.documents.check(actor, purpose, issuing_state, document_number)
    return SltdCheckOut(
        hit=answer.hit,
        records=tuple(SltdRecordOut.model_validate(m.as_dict()) for m in answer.records),
    )


@router.get("/watchlist/search")
def watchlist_search(
    name: Annotated[str, Query(min_length=1, max_length=200)],
    purpose: Purpose,
    actor: Annotated[Actor, Depends(allowed(Permission.SEARCH_WATCHLIST))],
    services: ServicesDep,
    birth_date: Annotated[str | None, Query(max_length=10)] = None,
    nationality: Annotated[str | None, Query(max_length=3)] = None,
    sex: Annotated[str | None, Query(max_length=1)] = None,
    top: Annotated[int, Query(ge=1, le=50)] = 10,
    threshold: Annotated[
        float,
        Query(
            ge=0.0,
            le=1.0,
            description="The lowest score listed: 0 (the default) lists every candidate, "
            "ranked; `would_alert` marks those at the alert threshold.",
        ),
    ] = 0.0,
) -> WatchlistSearchOut:
    """Watchlist name search (Arabic script and Latin spellings): the ranked candidates with
    their scores and reasons; a search is not an alert, `would_alert` says which would be."""
    query = NameQuery(name, birth_date or None, nationality or None, sex or None)
    matches = services.watchlist.screen(actor, purpose, query, top=top, threshold=threshold)
    return WatchlistSearchOut(
        matches=tuple(WatchlistMatchOut.model_validate(match.as_dict()) for match in matches),
        alert_threshold=DEFAULT_THRESHOLD,
    )


@router.get("/watchlist/{person_id}", responses=refusals(404))
def watchlist_person(
    person_id: str,
    purpose: Purpose,
    actor: Annotated[Actor, Depends(allowed(Permission.SEARCH_WATCHLIST))],
    services: ServicesDep,
) -> WatchlistPersonOut:
    """One watchlist entry, with its false positives so far (audited, found or not)."""
    found = services.watchlist.person(actor, purpose, person_id)
    if found is None:
        raise NotFound("id", f"no watchlist entry {person_id!r} on this node")
    person, false_positives = found
    return WatchlistPersonOut.model_validate(
        {**person.as_dict(), "false_positives": false_positives}
    )


@router.put("/watchlist/{person_id}/sharing", responses=refusals(404))
def watchlist_sharing(
    person_id: str,
    body: WatchlistSharingBody,
    actor: Annotated[Actor, Depends(allowed(Permission.MANAGE_WATCHLIST))],
    services: ServicesDep,
) -> WatchlistSharingOut:
    """Set whether a watchlist person may be disclosed to partners (analysts; audited)."""
    person = WatchlistKeeping(services.node).set_sharing(
        actor,
        person_id,
        shareable=body.shareable,
        restricted_matter=body.restricted_matter,
        reason=body.reason,
    )
    if person is None:
        raise NotFound("id", f"no watchlist entry {person_id!r} on this node")
    held = person.as_dict()
    return WatchlistSharingOut.model_validate(
        {name: held[name] for name in WatchlistSharingOut.model_fields}
    )


@router.get("/crossings/{issuing_state}/{document_number}")
def crossings(
    issuing_state: str,
    document_number: str,
    purpose: Purpose,
    actor: Annotated[Actor, Depends(allowed(Permission.INSPECT, Permission.REVIEW_HITS))],
    services: ServicesDep,
) -> CrossingsOut:
    """A document's recorded crossings and its days of stay used and left today."""
    answer = services.stays.assess(actor, purpose, issuing_state, document_number)
    stay, rule = answer.stay, answer.rule
    return CrossingsOut(
        crossings=tuple(CrossingOut.model_validate(c.as_dict()) for c in answer.crossings),
        stay=StayOut(
            days_used=stay.days_used,
            days_left=stay.days_remaining,
            overstay_days=stay.overstay_days,
            inside=stay.inside,
            max_days=rule.limit.max_days,
            window_days=rule.limit.window_days,
        ),
    )
