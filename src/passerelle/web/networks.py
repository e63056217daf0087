"""The analysts' networks page, ``/analysis/networks``: communities of travellers, a
community's graph (cytoscape.js) and its table equivalent, a person's neighbours, the
records behind a person or a link.

The page is server-drawn: every view (a community, a person expanded, a link's records)
is a URL, reached from the tables or by a click on the graph, so it works as tables
without JavaScript or without cytoscape.js installed (the page says so). Each view is
one audited reading (``network.read``, ``services.networks``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_, gettext
from passerelle.networks import (
    EDGE_KINDS,
    Evidence,
    Link,
    Network,
    NetworkPart,
    community_part,
    neighbourhood,
    records_of,
)
from passerelle.services.networks import period_of
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session
from passerelle.web.wording import written_text

__all__ = ["CYTOSCAPE", "KIND_LABELS", "cytoscape_script", "router"]

router = APIRouter(include_in_schema=False)

Reviewer = Annotated[SessionView, Depends(page_session(Permission.REVIEW_HITS))]
NETWORK_ANALYSIS = "network analysis"
"""The purpose recorded when an analyst opens the networks page."""

CYTOSCAPE = Path(__file__).parents[3] / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
"""Where ``npm ci`` (``make demo``, ``make test``) puts cytoscape.js in a checkout: served
from there (``web.routes``), not copied, so the pages get the version package-lock.json pins."""

KIND_LABELS = {
    "co_travel_vehicle": N_("same vehicle"),
    "co_travel_time": N_("crossed together"),
    "shared_document": N_("same holder on two documents"),
    "shared_address": N_("same address"),
    "shared_phone": N_("same phone"),
    "same_party": N_("same booking or group"),
    "same_alert": N_("same alert"),
    "same_case": N_("same case"),
}
RECORD_LABELS = {
    "crossing": N_("crossing"),
    "inspection": N_("inspection"),
    "hit_review": N_("hit review"),
    "case": N_("case"),
}
DIRECTION_LABELS = {"entry": N_("entry"), "exit": N_("exit")}
PERIOD_FIELDS = {"start": N_("From"), "end": N_("To"), "kinds": N_("Link kinds")}


def cytoscape_script() -> Path | None:
    """The installed ``cytoscape.min.js``, or None (the networks page then shows tables)."""
    return CYTOSCAPE if CYTOSCAPE.is_file() else None


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        reason = gettext(N_("%(text)s is not a date (YYYY-MM-DD)")) % {"text": repr(text)}
        raise InvalidInput(field, reason) from exc


class _Here:
    """The page's URLs: the period and kinds kept, one view changed."""

    def __init__(self, start: str, end: str, kinds: tuple[str, ...]) -> None:
        self.kept: list[tuple[str, str]] = [("start", start), ("end", end)]
        if set(kinds) != set(EDGE_KINDS):
            self.kept += [("kinds", kind) for kind in kinds]

    def __call__(self, anchor: str = "", **view: str | int) -> str:
        query = urlencode([*self.kept, *((k, str(v)) for k, v in view.items())])
        return f"/analysis/networks?{query}{'#' + anchor if anchor else ''}"


def _record(record: Evidence, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": gettext(RECORD_LABELS[record.record]),
        "id": record.id,
        "at": record.at.strftime("%Y-%m-%d %H:%M") if record.at else "",
        "point": record.point or "",
        "direction": gettext(DIRECTION_LABELS[record.direction]) if record.direction else "",
        "person": labels.get(record.person, record.person),
        "href": f"/review/inspection/{record.inspection}" if record.inspection else None,
    }


def _graph(part: NetworkPart, here: _Here) -> dict[str, Any]:
    """The part as the graph script draws it and the tables list it."""
    return {
        "persons": [
            {
                **person.as_dict(),
                "expand": here("graph", person=person.key),
                "records": here("records", records=person.key),
            }
            for person in part.persons
        ],
        "links": [
            {
                "id": link.id,
                "source": link.source,
                "target": link.target,
                "kind": link.kind,
                "kind_label": gettext(KIND_LABELS[link.kind]),
                "occasions": link.occasions,
                "reason": written_text(link.reason),
                "records": here("records", link=link.id),
            }
            for link in part.links
        ],
    }


def _focus(
    network: Network, community: int | None, person: str | None
) -> tuple[NetworkPart | None, dict[str, Any]]:
    if person:
        return neighbourhood(network, person), {"person": person}
    number = community or (network.communities[0].number if network.communities else None)
    if number is None:
        return None, {}
    return community_part(network, number), {"community": number}


def _records(
    network: Network, link_id: str | None, person: str | None
) -> tuple[str, list[Evidence]] | None:
    if link_id:
        link: Link | None = next((item for item in network.links if item.id == link_id), None)
        if link is None:
            raise InvalidInput("link", gettext(N_("this link is not in the network shown")))
        return written_text(link.reason), list(link.records)
    if person:
        return person, list(records_of(network.links, person))
    return None


@router.get("/analysis/networks", response_class=HTMLResponse)
def networks_page(
    request: Request,
    session: Reviewer,
    services: ServicesDep,
    start: Annotated[str | None, Query(max_length=10)] = None,
    end: Annotated[str | None, Query(max_length=10)] = None,
    kinds: Annotated[list[str] | None, Query(max_length=len(EDGE_KINDS))] = None,
    community: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    person: Annotated[str | None, Query(max_length=200)] = None,
    link: Annotated[str | None, Query(max_length=500)] = None,
    records: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The communities of the period, one community's (or person's) graph and tables, and
    the records behind a link or a person; audited (``network.read``)."""
    today = services.node.clock().date()
    error = None
    try:
        since, until = period_of(_day(start, "start"), _day(end, "end"), today=today)
    except InvalidInput as exc:
        error = refusal(exc, PERIOD_FIELDS)
        since, until = period_of(None, None, today=today)
    asked = tuple(kinds) if kinds else None
    reading = services.networks()
    focus = f"person:{person}" if person else f"community:{community}" if community else None
    try:
        network = reading.network(
            session.actor, NETWORK_ANALYSIS, since=since, until=until, kinds=asked, focus=focus
        )
    except InvalidInput as exc:
        error = refusal(exc, PERIOD_FIELDS)
        network = reading.network(session.actor, NETWORK_ANALYSIS, since=since, until=until)
    first, last = since.date(), until.date() - timedelta(days=1)
    here = _Here(first.isoformat(), last.isoformat(), network.kinds)
    labels = {p.key: p.label for p in network.persons}
    part: NetworkPart | None = None
    shown: dict[str, Any] = {}
    opened = None
    try:
        part, shown = _focus(network, community, person)
        opened = _records(network, link, records)
    except InvalidInput as exc:
        error = refusal(exc, PERIOD_FIELDS)
    context = {
        "start": first.isoformat(),
        "end": last.isoformat(),
        "kinds": [(kind, gettext(KIND_LABELS[kind]), kind in network.kinds) for kind in EDGE_KINDS],
        "network": network,
        "labels": labels,
        "kind_labels": {k: gettext(v) for k, v in KIND_LABELS.items()},
        "direction_labels": {k: gettext(v) for k, v in DIRECTION_LABELS.items()},
        "view_url": here,
        "shown": shown,
        "graph": _graph(part, here) if part is not None else None,
        "opened": (opened[0], [_record(r, labels) for r in opened[1]]) if opened else None,
        "graph_available": cytoscape_script() is not None,
        "error": error,
    }
    return page(request, "networks.html", context, session=session)
