"""``/analysis/networks``: the networks of travellers for a period (audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import refusals
from passerelle.api.models.networks import NetworkOut
from passerelle.http.deps import ServicesDep, allowed
from passerelle.networks import EDGE_KINDS, community_part, neighbourhood
from passerelle.services.networks import period_of
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=refusals(401, 403, 404, 422))

Reviewing = Annotated[Actor, Depends(allowed(Permission.REVIEW_HITS))]


@router.get("/networks")
def networks(
    actor: Reviewing,
    services: ServicesDep,
    start: date | None = None,
    end: date | None = None,
    kinds: Annotated[
        list[str] | None,
        Query(description=f"Link kinds to draw (default all): {', '.join(EDGE_KINDS)}."),
    ] = None,
    community: Annotated[int | None, Query(ge=1)] = None,
    person: Annotated[str | None, Query(max_length=200)] = None,
    purpose: Annotated[str, Query(min_length=1, max_length=500)] = "network analysis",
) -> NetworkOut:
    """The travellers linked in the period (default: the last 90 days, at most 366) by the
    link kinds asked, each link with its records and the reason it exists, and the
    communities (Leiden) with their central persons, routes and growth. With `community`,
    that community's persons and links only; with `person`, that person and their
    neighbours. A link is a lead for an analyst, never a finding on its own. Audited:
    `network.read`, listing the persons."""
    since, until = period_of(start, end, today=services.node.clock().date())
    focus = f"community:{community}" if community else f"person:{person}" if person else None
    network = services.networks().network(
        actor, purpose, since=since, until=until, kinds=kinds, focus=focus
    )
    payload = network.as_dict()
    if community is not None:
        payload |= community_part(network, community).as_dict()
    elif person:
        payload |= neighbourhood(network, person).as_dict()
    return NetworkOut.model_validate(payload)
