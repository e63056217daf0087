"""``/sltd``, ``/watchlist``, ``/crossings``: searches in the node's registries, each audited
with its purpose."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.deps import ServicesDep, allowed
from passerelle.api.models import (
    CrossingOut,
    CrossingsOut,
    SltdCheckOut,
    SltdRecordOut,
    StayOut,
    WatchlistMatchOut,
    WatchlistPersonOut,
    WatchlistSearchOut,
    refusals,
)
from passerelle.exc import NotFound
from passerelle.names import DEFAULT_THRESHOLD, NameQuery
from passerelle.stay import assess_stay
from passerelle.store.audit import Actor
from passerelle.store.crossings import crossings_of, rule_for
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry

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
    node = services.node
    with node.database.write() as session:
        matches = SltdRegistry().lookup(session, issuing_state, document_number)
        node.audit.record(
            session,
            actor=actor,
            action="sltd.search",
            purpose=purpose,
            at=node.clock(),
            query={
                "issuing_state": issuing_state.upper(),
                "document_number": document_number.upper(),
            },
            result={"hit": bool(matches), "records": [m.as_dict() for m in matches]},
        )
    return SltdCheckOut(
        hit=bool(matches),
        records=tuple(SltdRecordOut.model_validate(m.as_dict()) for m in matches),
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
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
) -> WatchlistSearchOut:
    """Watchlist name screening (Arabic script and Latin spellings), with reasons per match."""
    query = NameQuery(name, birth_date or None, nationality or None, sex or None)
    matches = services.inspector.screener().screen(query, top=top, threshold=threshold)
    node = services.node
    with node.database.write() as session:
        counts = services.inspector.repository.false_positive_counts(
            session, [m.id for m in matches]
        )
        node.audit.record(
            session,
            actor=actor,
            action="watchlist.search",
            purpose=purpose,
            at=node.clock(),
            query={"name": name, "birth_date": birth_date, "nationality": nationality},
            result={"ids": [m.id for m in matches]},
        )
    return WatchlistSearchOut(
        matches=tuple(
            WatchlistMatchOut(
                id=m.id,
                name=m.name,
                score=round(m.score, 4),
                reasons=tuple(m.reasons),
                false_positives=counts.get(m.id, 0),
            )
            for m in matches
        )
    )


@router.get("/watchlist/{person_id}", responses=refusals(404))
def watchlist_person(
    person_id: str,
    purpose: Purpose,
    actor: Annotated[Actor, Depends(allowed(Permission.SEARCH_WATCHLIST))],
    services: ServicesDep,
) -> WatchlistPersonOut:
    """One watchlist entry, with its false positives so far (audited)."""
    node = services.node
    with node.database.write() as session:
        person = WatchlistRegistry().get(session, person_id)
        node.audit.record(
            session,
            actor=actor,
            action="watchlist.search",
            purpose=purpose,
            at=node.clock(),
            query={"id": person_id},
            result={"found": person is not None},
        )
        if person is None:
            raise NotFound("id", f"no watchlist entry {person_id!r} on this node")
        counts = services.inspector.repository.false_positive_counts(session, [person.id])
    return WatchlistPersonOut.model_validate(
        {**person.as_dict(), "false_positives": counts.get(person.id, 0)}
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
    node = services.node
    state, number = issuing_state.strip().upper(), document_number.strip().upper()
    with node.database.write() as session:
        now = node.clock()
        found = crossings_of(session, state, number)
        recorded = [c.nationality for c in found if c.nationality]
        rule = rule_for(session, recorded[-1] if recorded else None)
        stay = assess_stay([c.movement for c in found], as_of=now.date(), limit=rule.limit)
        node.audit.record(
            session,
            actor=actor,
            action="stay.search",
            purpose=purpose,
            at=now,
            query={"issuing_state": state, "document_number": number},
            result={"crossings": [c.id for c in found], "days_used": stay.days_used},
        )
    return CrossingsOut(
        crossings=tuple(CrossingOut.model_validate(c.as_dict()) for c in found),
        stay=StayOut(
            days_used=stay.days_used,
            days_left=stay.days_remaining,
            overstay_days=stay.overstay_days,
            inside=stay.inside,
            max_days=rule.limit.max_days,
            window_days=rule.limit.window_days,
        ),
    )
