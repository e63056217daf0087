"""Analysts' case pages: ``/cases`` (open cases first) and ``/cases/{id}`` (hits, notes, close).

Cases are opened from the review page of an inspection (``/review/inspection/{id}``,
see :mod:`passerelle.web.analyst`): tick its hits, give a title and a first
note, or add them to a case already open. Every page needs ``review_hits``;
every form carries the session's CSRF token. A refused change (a closed case, a
blank note, a hit already in a case) shows the case again with the reason.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput, NotFound
from passerelle.http.deps import ServicesDep
from passerelle.http.errors import status_of
from passerelle.http.ids import FormId, FormIds
from passerelle.store.cases import CaseRepository
from passerelle.web.analysis_words import CASE_STATUSES, HIT_SOURCES, HIT_STATUSES, said
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session

__all__ = ["router"]

CASE_WORK = "case work"
"""The purpose recorded when an analyst lists the cases or opens one."""

router = APIRouter(include_in_schema=False)

Reviewer = Annotated[SessionView, Depends(page_session(Permission.REVIEW_HITS))]
CsrfField = Annotated[str, Form()]
ReviewIds = FormIds


def _case_url(case_id: str) -> str:
    return f"/cases/{case_id}"


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, session: Reviewer, services: ServicesDep) -> HTMLResponse:
    """Every case, open ones first and newest first (audited: ``case.list``)."""
    listed = services.records.cases_listed(session.actor, CASE_WORK, limit=500)
    context = {"cases": listed, "said": said, "statuses": CASE_STATUSES}
    return page(request, "case_list.html", context, session=session)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: str, session: Reviewer, services: ServicesDep
) -> HTMLResponse:
    """One case: its hits, its notes and the forms to add, link and close (audited read)."""
    return _case(request, case_id, session, services)


def _case(
    request: Request,
    case_id: str,
    session: SessionView,
    services: ServicesDep,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    found = services.records.case(session.actor, CASE_WORK, case_id)
    context = {
        "case": found.case,
        "reviews": list(found.reviews),
        "error": error,
        "said": said,
        "statuses": CASE_STATUSES,
        "sources": HIT_SOURCES,
        "hit_statuses": HIT_STATUSES,
    }
    return page(request, "case.html", context, session=session, status_code=status_code)


@router.post("/cases", response_model=None)
def open_case(
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    title: Annotated[str, Form(max_length=200)],
    review_ids: ReviewIds = None,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Open a case on the ticked hits; to its page."""
    session.check_csrf(csrf_token)
    node = services.node
    with node.database.write() as db:
        case = CaseRepository(node.audit).open(
            db,
            review_ids=review_ids or [],
            title=title,
            note=note or None,
            by=session.actor,
            now=node.clock(),
        )
    return RedirectResponse(_case_url(case.id), status_code=303)


@router.post("/cases/link", response_model=None)
def link_to_chosen_case(
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    case_id: Annotated[str, Form(max_length=16)],
    review_ids: ReviewIds = None,
) -> RedirectResponse:
    """Add the ticked hits to the open case chosen in the list; to its page."""
    session.check_csrf(csrf_token)
    node = services.node
    with node.database.write() as db:
        CaseRepository(node.audit).link(
            db, case_id, review_ids or [], by=session.actor, now=node.clock()
        )
    return RedirectResponse(_case_url(case_id), status_code=303)


@router.post("/cases/{case_id}/notes", response_model=None)
def add_case_note(
    request: Request,
    case_id: str,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse | RedirectResponse:
    session.check_csrf(csrf_token)
    node = services.node
    try:
        with node.database.write() as db:
            CaseRepository(node.audit).add_note(
                db, case_id, text, by=session.actor, now=node.clock()
            )
    except InvalidInput as exc:
        return _refused(request, case_id, session, services, exc)
    return RedirectResponse(_case_url(case_id) + "#notes", status_code=303)


@router.post("/cases/{case_id}/reviews", response_model=None)
def link_review(
    request: Request,
    case_id: str,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    review_id: FormId,
) -> HTMLResponse | RedirectResponse:
    session.check_csrf(csrf_token)
    node = services.node
    try:
        with node.database.write() as db:
            CaseRepository(node.audit).link(
                db, case_id, [review_id], by=session.actor, now=node.clock()
            )
    except InvalidInput as exc:
        return _refused(request, case_id, session, services, exc)
    return RedirectResponse(_case_url(case_id) + "#hits", status_code=303)


@router.post("/cases/{case_id}/close", response_model=None)
def close_case(
    request: Request,
    case_id: str,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    resolution: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse | RedirectResponse:
    session.check_csrf(csrf_token)
    node = services.node
    try:
        with node.database.write() as db:
            CaseRepository(node.audit).close(
                db, case_id, resolution=resolution, by=session.actor, now=node.clock()
            )
    except InvalidInput as exc:
        return _refused(request, case_id, session, services, exc)
    return RedirectResponse(_case_url(case_id), status_code=303)


def _refused(
    request: Request,
    case_id: str,
    session: SessionView,
    services: ServicesDep,
    error: InvalidInput,
) -> HTMLResponse:
    """The case page again with the reason (an unknown case goes to the error page)."""
    if isinstance(error, NotFound) and error.field == "case_id":
        raise error
    status = status_of(error)
    reason = refusal(error)
    return _case(request, case_id, session, services, error=reason, status_code=status)
