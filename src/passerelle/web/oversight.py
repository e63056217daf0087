"""Oversight pages: ``/dashboard`` (figures); the audit trail is :mod:`passerelle.web.auditing`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from passerelle.access import Permission, SessionView
from passerelle.analytics import DashboardQuery, dashboard
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_, gettext
from passerelle.web.analysis_words import chart_words
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session
from passerelle.web.wording_states import state_words_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Viewer = Annotated[SessionView, Depends(page_session(Permission.VIEW_DASHBOARD))]
PERIOD_FIELDS = {"start": N_("From"), "end": N_("To"), "crossing_point": N_("Crossing point")}
"""The dashboard's period fields in the form's words (an error names the field)."""


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
        error = refusal(exc, PERIOD_FIELDS)
        query = DashboardQuery.last_days(today)
    with node.analysis.read() as db:  # the replica, when the node has one
        figures = dashboard(db, query)
    totals = figures.summary
    summary = [
        (gettext(N_("crossings")), totals.crossings),
        (gettext(N_("inspections")), totals.inspections),
        (gettext(N_("hits")), totals.hits),
        (gettext(N_("hits waiting for review")), totals.pending_reviews),
    ]
    data = figures.as_dict()
    for nationality in data["top_nationalities"]:  # the chart names them: Maroc (MAR)
        nationality["label"] = state_words_in(nationality["label"]) or nationality["label"]
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
