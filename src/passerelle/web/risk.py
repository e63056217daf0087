"""The analysts' risk page: ``/analysis/risk``, its CSV files and its printed report.

``GET /analysis/risk``             indicators, unusual patterns with their crossings, the map
``GET /analysis/risk/export.zip``  the same tables as CSV files in a zip (``risk.export``)
``GET /analysis/risk/report.pdf``  the same as a PDF, in the reader's language (``risk.export``)

Each takes the filters as query parameters (``start``, ``end``, ``point``, ``nationality``,
``granularity``). The reading and each export are audited by the service
(:mod:`passerelle.services.risk`); the node's map and rule overrides are read from
its files (:mod:`passerelle.wiring.risk`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from passerelle.access import Permission, SessionView
from passerelle.analytics.risk import GRANULARITIES, CrossingMap, RiskQuery
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.http.printing import html_pdf, pdf_response
from passerelle.i18n import N_, current_language, gettext, language, set_language
from passerelle.services.risk import RiskAnalysis
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session, templates
from passerelle.web.risk_presenting import csv_zip, risk_context
from passerelle.wiring.risk import load_crossing_map, load_pattern_rules

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Analyst = Annotated[SessionView, Depends(page_session(Permission.ANALYSE_RISK))]
Day = Annotated[str | None, Query(max_length=10)]
Code = Annotated[str | None, Query(max_length=64)]
FILTER_FIELDS = {
    "start": N_("From"),
    "end": N_("To"),
    "crossing_point": N_("Crossing point"),
    "nationality": N_("Nationality"),
    "granularity": N_("Per"),
    "crossing_points_geojson": N_("Map of crossing points"),
    "risk_patterns_file": N_("Pattern rules"),
}


def _query(services: ServicesDep, start: Day, end: Day, point: Code, nationality: Code,
           granularity: Code) -> RiskQuery:  # fmt: skip
    return RiskQuery.from_params(
        start=start,
        end=end,
        crossing_point=point,
        nationality=nationality,
        granularity=granularity,
        today=services.node.clock().date(),
    )


def _analysis(services: ServicesDep, session: SessionView) -> tuple[RiskAnalysis, CrossingMap]:
    if session.language:  # the reader's own language, before any word is written
        set_language(session.language)
    settings = services.node.settings
    places = load_crossing_map(settings)
    return RiskAnalysis(services.node, load_pattern_rules(settings), places), places


@router.get("/analysis/risk", response_class=HTMLResponse)
def risk_page(
    request: Request,
    session: Analyst,
    services: ServicesDep,
    start: Day = None,
    end: Day = None,
    point: Code = None,
    nationality: Code = None,
    granularity: Code = None,
) -> HTMLResponse:
    try:
        analysis, places = _analysis(services, session)
    except InvalidInput as exc:
        return page(
            request,
            "risk.html",
            {"error": refusal(exc, FILTER_FIELDS), "report": None, "granularities": GRANULARITIES},
            session=session,
            status_code=500,
        )
    error = None
    try:
        query = _query(services, start, end, point, nationality, granularity)
    except InvalidInput as exc:
        error = refusal(exc, FILTER_FIELDS)
        query = _query(services, None, None, None, None, None)
    report = analysis.report(session.actor, query)
    context = {
        **risk_context(report, places, session.actor),
        "report": report,
        "error": error,
        "granularities": GRANULARITIES,
    }
    return page(request, "risk.html", context, session=session, status_code=422 if error else 200)


@router.get("/analysis/risk/export.zip")
def risk_csv(
    session: Analyst,
    services: ServicesDep,
    start: Day = None,
    end: Day = None,
    point: Code = None,
    nationality: Code = None,
    granularity: Code = None,
) -> Response:
    query = _query(services, start, end, point, nationality, granularity)
    analysis, places = _analysis(services, session)
    report = analysis.export(session.actor, query, "csv")
    name = f"risk-{query.period.start.isoformat()}-{query.period.end.isoformat()}.zip"
    return Response(
        csv_zip(report, places, session.actor),
        media_type="application/zip",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


@router.get("/analysis/risk/report.pdf")
def risk_pdf(
    session: Analyst,
    services: ServicesDep,
    start: Day = None,
    end: Day = None,
    point: Code = None,
    nationality: Code = None,
    granularity: Code = None,
) -> Response:
    query = _query(services, start, end, point, nationality, granularity)
    analysis, places = _analysis(services, session)
    report = analysis.export(session.actor, query, "pdf")
    reading = language(current_language())
    html = templates.env.get_template("risk_print.html").render(
        **risk_context(report, places, session.actor),
        node_code=services.node.settings.node,
        language=reading.code,
        direction=reading.direction,
        title=gettext(N_("Risk indicators and unusual patterns")),
    )
    name = f"risk-{query.period.start.isoformat()}-{query.period.end.isoformat()}.pdf"
    return pdf_response(html_pdf(html), name)
