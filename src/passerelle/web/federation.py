"""Analysts' ``/federation`` page: partners' follow-up requests to decide, and this node's own.

Incoming requests wait with their deadline counting down, each with an
approve and a refuse form (a refusal needs a note, which stays on this
node); outgoing requests show their status and, once approved, the record
released; the records kept from partners by the sharing rules are listed with
why (the partner was told only ``no_hit``). A form takes a partner hit's
reference (``BEL:BEL-…``) and a justification to ask for its record. Every
form carries the CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput, PasserelleError
from passerelle.federation.followups.values import FollowUpView
from passerelle.federation.transport.outbox_status import outbox_status
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_, gettext
from passerelle.web.analysis_words import FOLLOW_UP_STATUSES, said
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session

__all__ = ["countdown", "router"]

router = APIRouter(include_in_schema=False)

OVERSIGHT = "federation oversight"
"""The purpose recorded when the page lists the records kept from partners."""

Reviewer = Annotated[SessionView, Depends(page_session(Permission.REVIEW_HITS))]
CsrfField = Annotated[str, Form()]


def countdown(seconds: int) -> str:
    """Time left in an analyst's words, in the reader's language.

    >>> countdown(47 * 3600 + 5 * 60), countdown(0)
    ('47 h 05 min left', 'deadline passed')
    """
    if seconds <= 0:
        return gettext(N_("deadline passed"))
    hours, minutes = divmod(seconds // 60, 60)
    left = gettext(N_("%(hours)s h %(minutes)s min left"))
    return left % {"hours": hours, "minutes": f"{minutes:02d}"}


def _rows(views: list[FollowUpView], now: datetime) -> list[dict[str, Any]]:
    return [{"f": v, "left": countdown(v.seconds_left(now))} for v in views]


@router.get("/federation", response_class=HTMLResponse)
def federation_page(
    request: Request,
    session: Reviewer,
    services: ServicesDep,
    reference: str = "",
    error: str | None = None,
) -> HTMLResponse:
    follow_ups = services.follow_ups()
    now = services.node.clock()
    incoming = follow_ups.listed("incoming", by=session.actor)
    outgoing = follow_ups.listed("outgoing", by=session.actor)
    context: dict[str, Any] = {
        "said": said,
        "statuses": FOLLOW_UP_STATUSES,
        "incoming": _rows(incoming, now),
        "outgoing": _rows(outgoing, now),
        "reference": reference[:64],
        "error": error,
    }
    context["refused"] = services.records.refused_shares(session.actor, OVERSIGHT, limit=20)
    context["outbox"] = outbox_status(services.node.database)
    return page(request, "federation.html", context, session=session)


@router.post("/federation/followups", response_model=None)
def ask_partner(
    request: Request,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    reference: Annotated[str, Form(max_length=64)],
    justification: Annotated[str, Form(max_length=2000)],
) -> HTMLResponse | RedirectResponse:
    """Send a follow-up request; the page comes back with the reason if it cannot go."""
    session.check_csrf(csrf_token)
    try:
        services.follow_ups().request(reference, justification, by=session.actor)
    except PasserelleError as exc:
        return federation_page(request, session, services, reference=reference, error=_refused(exc))
    return RedirectResponse("/federation#outgoing", status_code=303)


@router.post("/federation/followups/{followup_id}/approve")
def approve(
    followup_id: str,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    services.follow_ups().approve(followup_id, note or None, by=session.actor)
    return RedirectResponse("/federation#incoming", status_code=303)


@router.post("/federation/followups/{followup_id}/refuse")
def refuse(
    followup_id: str,
    session: Reviewer,
    services: ServicesDep,
    csrf_token: CsrfField,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    services.follow_ups().refuse(followup_id, note, by=session.actor)
    return RedirectResponse("/federation#incoming", status_code=303)


def _refused(exc: PasserelleError) -> str:
    """Why a follow-up could not go: a refused value in the reader's language."""
    return refusal(exc) if isinstance(exc, InvalidInput) else str(exc)
