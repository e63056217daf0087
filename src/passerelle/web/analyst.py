"""Analysts' pages: ``/review`` (the hit queue), ``/alerts`` (issue, withdraw), ``/search``
(and, for analysts, a watchlist person's sharing flags).

The review page of an inspection (``/review/inspection/{id}``) also shows each
hit's notes thread and case, with forms to add a note and to open a case
(``/cases``, :mod:`passerelle.web.cases`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView, can
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.http.ids import PathId
from passerelle.i18n import N_, gettext
from passerelle.i18n.wording import worded
from passerelle.names import DEFAULT_THRESHOLD, NameQuery
from passerelle.records.alert_actions import ACTIONS
from passerelle.records.alert_reports import AlertReportView
from passerelle.records.alerts import parse_alert
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.store.alert_numbers import alert_prefix
from passerelle.store.cases import CaseRepository
from passerelle.web.analysis_words import (
    ALERT_CATEGORIES,
    ALERT_STATUSES,
    DIRECTIONS,
    HIT_SOURCES,
    HIT_STATUSES,
    RESTRICTED_MATTERS,
    SLTD_STATUSES,
    hit_said,
    said,
)
from passerelle.web.presenting import present
from passerelle.web.presenting_paperwork import paperwork_context
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session
from passerelle.web.second_line import present_second_line
from passerelle.web.traveller import traveller_context
from passerelle.web.verdict_actions import action_notes
from passerelle.web.wording import candidate_reasons

__all__ = ["router"]

"""The search page shows weaker name matches than a border check does: an analyst looking
for someone wants the near misses too (those at the engine's threshold are marked)."""
HIT_REVIEW = "hit review"
"""The purpose recorded when an analyst opens the inspection behind a hit."""

router = APIRouter(include_in_schema=False)

Reviewer = Annotated[SessionView, Depends(page_session(Permission.REVIEW_HITS))]
AlertManager = Annotated[SessionView, Depends(page_session(Permission.MANAGE_ALERTS))]
Searcher = Annotated[SessionView, Depends(page_session(Permission.SEARCH_WATCHLIST))]
WatchlistKeeper = Annotated[SessionView, Depends(page_session(Permission.MANAGE_WATCHLIST))]
CsrfField = Annotated[str, Form()]


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, session: Reviewer, services: ServicesDep) -> HTMLResponse:
    """The pending hits, newest sighting first: one row per traveller and record hit."""
    rows = services.review_queue.pending(session.actor, limit=200)
    what = {row.review.id: hit_said(row.words, row.review.source) for row in rows}
    context = {"rows": rows, "what": what, "said": said, "sources": HIT_SOURCES}
    return page(request, "review.html", context, session=session)


@router.get("/review/inspection/{inspection_id}", response_class=HTMLResponse)
def reviewed_inspection(
    request: Request, inspection_id: str, session: Reviewer, services: ServicesDep
) -> HTMLResponse:
    """The inspection behind a hit, as the officer saw it (read-only), with each hit's notes
    and case and the forms to add notes and open a case; audited."""
    record = services.records.inspection(session.actor, HIT_REVIEW, inspection_id)
    node = services.node
    cases = CaseRepository(node.audit)
    with node.database.read() as db:
        threads = cases.threads_of(db, inspection_id)
        open_cases = cases.cases(db, status="open", limit=100)
    reasons = services.decisions.reasons_of(inspection_id)
    context = {
        **present(record, reasons),
        **paperwork_context(record, services, session.actor),
        **present_second_line(record, session.actor, reasons, readonly=True),
        **traveller_context(services, session.actor, record, HIT_REVIEW),
        "readonly": True,
        "travel": record.travel,
        "threads": threads,
        "open_cases": open_cases,
        "said": said,
        "sources": HIT_SOURCES,
        "hit_statuses": HIT_STATUSES,
    }
    filed = services.alert_reports().of_inspection(session.actor, inspection_id)
    context |= action_notes(record, filed)
    return page(request, "case_inspection.html", context, session=session)


@router.post("/review/{review_id}/notes")
def note_hit(
    review_id: PathId,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Add a note to a hit's thread (pending or decided); back to its inspection."""
    session.check_csrf(csrf_token)
    node = services.node
    cases = CaseRepository(node.audit)
    with node.database.write() as db:
        cases.note_review(db, review_id, text, by=session.actor, now=node.clock())
        inspection_id = cases.thread(db, review_id).review.inspection_id
    return RedirectResponse(
        f"/review/inspection/{inspection_id}#review-{review_id}", status_code=303
    )


@router.post("/review/{review_id}")
def review_hit(
    review_id: PathId,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    verdict: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    repository = services.inspector.repository
    node = services.node
    with node.database.write() as db:
        if verdict == "confirm":
            repository.confirm(db, review_id, by=session.actor, note=note or None, now=node.clock())
        elif verdict == "dismiss":
            repository.dismiss(db, review_id, by=session.actor, note=note, now=node.clock())
        else:
            raise InvalidInput("verdict", gettext(N_("must be confirm or dismiss")))
    return RedirectResponse("/review", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request, session: AlertManager, services: ServicesDep, error: str | None = None
) -> HTMLResponse:
    alerts = services.alerts.search(session.actor, "alert management")
    alerts = sorted(alerts, key=lambda a: (a.status != "active", a.status != "hit", a.id))
    year = services.node.clock().year
    context = {
        "alerts": alerts,
        "error": error,
        "actions": ACTIONS,
        "said": said,
        "statuses": ALERT_STATUSES,
        "categories": ALERT_CATEGORIES,
        "directions": DIRECTIONS,
        "id_format": f"{alert_prefix(services.node.settings.node, year)}NNNN",
    }
    context |= alert_reports_context(services, session)
    return page(request, "alerts.html", context, session=session)


def alert_reports_context(services: ServicesDep, session: SessionView) -> dict[str, Any]:
    """The reports on the node's alerts (filed here or sent back by partners), by alert id:
    the issuing authority's inbox (audited ``alert.report_read``)."""
    by_alert: dict[str, list[AlertReportView]] = {}
    for report in services.alert_reports().on_own_alerts(session.actor, "alert management"):
        by_alert.setdefault(report.alert_id, []).append(report)
    return {"reports": by_alert}


@router.post("/alerts", response_model=None)
def issue_alert(
    request: Request,
    session: AlertManager,
    services: ServicesDep,
    csrf_token: CsrfField,
    kind: Annotated[str, Form()],
    category: Annotated[str, Form()],
    issuing_authority: Annotated[str, Form(max_length=200)],
    action: Annotated[str, Form(max_length=500)],
    names: Annotated[str, Form(max_length=500)] = "",
    birth_date: Annotated[str, Form(max_length=10)] = "",
    issuing_state: Annotated[str, Form(max_length=3)] = "",
    document_number: Annotated[str, Form(max_length=24)] = "",
    valid_until: Annotated[str, Form(max_length=10)] = "",
    action_code: Annotated[str, Form(max_length=24)] = "",
) -> HTMLResponse | RedirectResponse:
    session.check_csrf(csrf_token)
    subject: dict[str, Any]
    if kind == "person":
        subject = {
            "kind": "person",
            "names": [n.strip() for n in names.split(";") if n.strip()],
            "birth_date": birth_date or None,
        }
    else:
        subject = {
            "kind": "document",
            "issuing_state": issuing_state,
            "document_number": document_number,
        }
    record = {
        "category": category,
        "subject": subject,
        "issuing_authority": issuing_authority,
        "action": action,
        "action_code": action_code or None,
        "valid_until": valid_until or None,
    }
    try:
        services.alerts.issue(session.actor, parse_alert(record))
    except InvalidInput as exc:
        return alerts_page(request, session, services, error=refusal(exc))
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{alert_id}/withdraw")
def withdraw_alert(
    alert_id: str,
    session: AlertManager,
    services: ServicesDep,
    csrf_token: CsrfField,
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    services.alerts.move(session.actor, alert_id, "withdraw", reason)
    return RedirectResponse("/alerts", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: Searcher,
    services: ServicesDep,
    name: Annotated[str, Query(max_length=200)] = "",
    birth_date: Annotated[str, Query(max_length=10)] = "",
    nationality: Annotated[str, Query(max_length=3)] = "",
    issuing_state: Annotated[str, Query(max_length=3)] = "",
    document_number: Annotated[str, Query(max_length=24)] = "",
    purpose: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    context: dict[str, Any] = {
        "name": name,
        "birth_date": birth_date,
        "nationality": nationality,
        "issuing_state": issuing_state,
        "document_number": document_number,
        "purpose": purpose,
        "matches": None,
        "sltd": None,
        "error": None,
    }
    wants_names, wants_document = bool(name.strip()), bool(document_number.strip())
    try:
        if wants_names:
            query = NameQuery(name, birth_date or None, nationality or None, None)
            context["matches"] = services.watchlist.screen(
                session.actor, purpose, query, top=10, threshold=0.0
            )
        elif wants_document:
            answer = services.documents.check(
                session.actor, purpose, issuing_state, document_number
            )
            context["sltd"] = list(answer.records)
    except InvalidInput as exc:
        context["error"] = refusal(exc)
    context |= search_words()
    context["today"] = date.today().isoformat()
    context["alert_threshold"] = DEFAULT_THRESHOLD
    context["may_set_sharing"] = can(session.actor.role, Permission.MANAGE_WATCHLIST)
    context["reasons_of"] = candidate_reasons
    return page(request, "search.html", context, session=session)


def search_words() -> dict[str, Any]:
    """The search page's tables of words for the codes it shows."""
    return {"said": said, "matters": RESTRICTED_MATTERS, "sltd_statuses": SLTD_STATUSES}


@router.post("/search/watchlist-sharing", response_class=HTMLResponse)
def set_watchlist_sharing(
    request: Request,
    session: WatchlistKeeper,
    services: ServicesDep,
    csrf_token: CsrfField,
    person_id: Annotated[str, Form(max_length=64)],
    sharing: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=1000)] = "",
    restricted_matter: Annotated[str, Form(max_length=16)] = "",
) -> HTMLResponse:
    """Set a watchlist person's sharing flags (``watchlist.sharing``); the search page again,
    saying what is now held or what was wrong."""
    session.check_csrf(csrf_token)
    context: dict[str, Any] = {
        **dict.fromkeys(("name", "birth_date", "nationality", "issuing_state"), ""),
        **dict.fromkeys(("document_number", "purpose"), ""),
        **dict.fromkeys(("matches", "sltd", "error", "sharing_done", "sharing_error")),
        **search_words(),
        "today": date.today().isoformat(),
        "may_set_sharing": True,
        "sharing_id": person_id,
    }
    try:
        if sharing not in ("shared", "kept_home"):
            raise InvalidInput("sharing", worded(N_("must be shared or kept_home")))
        person = WatchlistKeeping(services.node).set_sharing(
            session.actor,
            person_id.strip(),
            shareable=sharing == "shared",
            restricted_matter=restricted_matter or None,
            reason=reason,
        )
        if person is None:
            missing = worded(N_("no watchlist entry %(id)s"), id=repr(person_id.strip()))
            raise InvalidInput("person_id", missing)
        context["sharing_done"] = person
    except InvalidInput as exc:
        context["sharing_error"] = refusal(exc)
    status = 200 if context["sharing_error"] is None else 422
    context["reasons_of"] = candidate_reasons
    return page(request, "search.html", context, session=session, status_code=status)
