"""Oversight pages: ``/audit`` (the audit trail, for auditors) and ``/dashboard`` (figures)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from passerelle.access import Permission, SessionView
from passerelle.analytics import DashboardQuery, dashboard
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.http.ids import QueryId
from passerelle.i18n import N_, gettext
from passerelle.web.analysis_words import chart_words
from passerelle.web.rendering import page, page_session
from passerelle.wiring.audit_watch import ChainWatch

__all__ = ["router"]

OVERSIGHT = "audit oversight"
"""The purpose recorded when an auditor reads the trail."""

router = APIRouter(include_in_schema=False)

Auditor = Annotated[SessionView, Depends(page_session(Permission.VIEW_AUDIT))]
Viewer = Annotated[SessionView, Depends(page_session(Permission.VIEW_DASHBOARD))]
PERIOD_FIELDS = {"start": N_("From"), "end": N_("To"), "crossing_point": N_("Crossing point")}
"""The dashboard's period fields in the form's words (an error names the field)."""


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: Auditor,
    services: ServicesDep,
    by: Annotated[str | None, Query(max_length=128)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    before: QueryId = None,
    after: QueryId = None,
) -> HTMLResponse:
    """The trail, one page at a time (``PASSERELLE_AUDIT_PAGE_SIZE``, newest first), under
    the chain's state verified since the last point verified (``ChainWatch``), all read in
    a read-only snapshot that holds no writer back."""
    node = services.node
    size = node.settings.audit_page_size
    watch = services.chain_watch or ChainWatch(node)
    with node.database.read_only() as db:
        watched = watch.verify(db)
    entries = services.records.audit_trail(
        session.actor,
        OVERSIGHT,
        limit=size + 1,
        before=before,
        after=None if before is not None else after,
        by=by or None,
        action=action or None,
    )
    paging_back = after is not None and before is None
    more = len(entries) > size
    if more:
        entries = entries[1:] if paging_back else entries[:size]
    filters = {k: v for k, v in (("by", by), ("action", action)) if v}
    newer = older = None
    if entries and ((paging_back and more) or before is not None):
        newer = "/audit?" + urlencode({**filters, "after": entries[0].seq})
    if entries and (more or paging_back):
        older = "/audit?" + urlencode({**filters, "before": entries[-1].seq})
    reason_labels = {  # a decision's reason code (its purpose) in the catalogue's words
        e.seq: services.catalogues.reason_label(e.purpose)
        for e in entries
        if e.action == "inspection.decide" and e.purpose
    }
    context = {
        "watched": watched,
        "verdict": watched.chain,
        "entries": entries,
        "by": by,
        "action": action,
        "reason_labels": reason_labels,
        "newer": newer,
        "older": older,
        "newest": "/audit?" + urlencode(filters) if newer else None,
    }
    return page(request, "audit.html", context, session=session)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    session: Viewer,
    services: ServicesDep,
    start: Annotated[str | None, Query(max_length=10)] = None,
    end: Annotated[str | None, Query(max_length=10)] = None,
    point: Annotated[str | None, Query(max_length=16)] = None,
) -> HTMLResponse:
    node = services.node
    today = node.clock().date()
    error = None
    try:
        if start or end:
            query = DashboardQuery(
                _day(start, "start") if start else today.replace(day=1),
                _day(end, "end") if end else today,
                point or None,
            )
        else:
            query = DashboardQuery.last_days(today, crossing_point=point or None)
    except InvalidInput as exc:
        field = gettext(PERIOD_FIELDS.get(exc.field, exc.field))
        error = gettext(N_("%(field)s: %(reason)s")) % {"field": field, "reason": exc.reason}
        query = DashboardQuery.last_days(today)
    with node.database.read() as db:
        figures = dashboard(db, query)
    totals = figures.summary
    summary = [
        (gettext(N_("crossings")), totals.crossings),
        (gettext(N_("inspections")), totals.inspections),
        (gettext(N_("hits")), totals.hits),
        (gettext(N_("hits waiting for review")), totals.pending_reviews),
    ]
    data = figures.as_dict()
    context = {
        "start": query.start.isoformat(),
        "end": query.end.isoformat(),
        "point": query.crossing_point,
        "summary": summary,
        "data": data,
        "words": chart_words(data["crossings_per_day"]["days"]),
        "error": error,
    }
    return page(request, "dashboard.html", context, session=session)


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        reason = gettext(N_("%(text)s is not a date (YYYY-MM-DD)")) % {"text": repr(text)}
        raise InvalidInput(field, reason) from exc
