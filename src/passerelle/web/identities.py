"""Analysts' multiple-identity pages: ``/analysis/identities`` and ``/analysis/identities/{id}``.

The list shows the links of one colour (yellow first: to verify), most probable first,
with how many links each colour holds; each colour is named in words beside its tag.
A link's page puts the two records side by side (names in their scripts, birth date,
nationality, sex, documents, where each was inspected), the comparisons and their
weights and one sentence saying why the link exists, and the resolve form (red, green
or white, each with its meaning; a note is required). A resolved link shows who
resolved it, when and why; a supervisor may change its colour, an analyst may not.

A link a partner's answer opened (``origin`` ``partner``) shows no partner data until
the partner approves a follow-up: the page asks for it; once the answer is in, the
partner's record stands beside this node's. A red link offers to open a case on the
inspections' hit reviews. From a record held here, the page asks every partner whether
it knows this person under another identity (``services.identity_asking``).

Each record's reference photo, when one is filed under its id, is shown beside its data
from ``/analysis/identities/{id}/records/{1|2}/photo.jpg``: never cached, each reading
audited (``face.reference``) as a verdict's face photo is.

Every page needs ``review_hits`` or ``change_link_colour``; reading a link is audited
(``identity_link.read``); every form carries the session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from passerelle.access import Permission, SessionView, can
from passerelle.exc import InvalidInput, NotFound, PasserelleError
from passerelle.http.deps import ServicesDep, refuse_unless, web_session
from passerelle.http.ids import PathId
from passerelle.records.identity_links import COLOURS, LinkEnd, UnknownLink
from passerelle.services.identity_links import LINK_WORK
from passerelle.web.analysis_words import FOLLOW_UP_STATUSES, said
from passerelle.web.identity_words import (
    COLOUR_MEANINGS,
    COLOUR_NAMES,
    COLOUR_TAGS,
    RECORD_KINDS,
    comparisons,
    why_linked,
)
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page
from passerelle.web.traveller import DIRECTION_WORDS

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CsrfField = Annotated[str, Form()]


def _link_reader(
    request: Request,
    services: ServicesDep,
    session: Annotated[SessionView, Depends(web_session)],
) -> SessionView:
    refuse_unless(
        request,
        services,
        session.actor,
        Permission.REVIEW_HITS,
        Permission.CHANGE_LINK_COLOUR,
    )
    return session


Reader = Annotated[SessionView, Depends(_link_reader)]


def _words() -> dict[str, Any]:
    return {
        "colours": COLOURS,
        "colour_names": COLOUR_NAMES,
        "colour_meanings": COLOUR_MEANINGS,
        "colour_tags": COLOUR_TAGS,
        "kinds": RECORD_KINDS,
        "directions": DIRECTION_WORDS,
        "said": said,
    }


def _link_url(link_id: int) -> str:
    return f"/analysis/identities/{link_id}"


@router.get("/analysis/identities", response_class=HTMLResponse)
def identity_links(
    request: Request,
    session: Reader,
    services: ServicesDep,
    colour: Annotated[str, Query(max_length=8)] = "yellow",
) -> HTMLResponse:
    """The links of one colour, most probable first, and the counts of each (audited)."""
    listed = services.identity_links().listed(session.actor, LINK_WORK, colour=colour or None)
    context = {**_words(), "listed": listed, "colour": colour}
    return page(request, "identities.html", context, session=session)


@router.get("/analysis/identities/{link_id}", response_class=HTMLResponse)
def identity_link(
    request: Request, link_id: PathId, session: Reader, services: ServicesDep
) -> HTMLResponse:
    """One link's evidence side by side and the resolve form (audited read)."""
    return _link_page(request, link_id, session, services)


@router.get("/analysis/identities/{link_id}/records/{side}/photo.jpg")
def record_photo(
    link_id: PathId,
    side: Annotated[int, FastPath(ge=1, le=2)],
    session: Reader,
    services: ServicesDep,
) -> Response:
    """The reference photo filed under one of the link's records (audited, ``no-store``)."""
    jpeg = services.identity_links().record_photo(
        session.actor, LINK_WORK, link_id, 1 if side == 1 else 2
    )
    return Response(
        jpeg,
        media_type="image/jpeg",
        headers={"cache-control": "no-store", "x-content-type-options": "nosniff"},
    )


def _link_page(
    request: Request,
    link_id: int,
    session: SessionView,
    services: ServicesDep,
    *,
    error: str | None = None,
    asked: Any = None,
    status_code: int = 200,
) -> HTMLResponse:
    evidence = services.identity_links().evidence(session.actor, LINK_WORK, link_id)
    link = evidence.link
    role = session.actor.role
    context = {
        **_words(),
        "evidence": evidence,
        "link": link,
        "records": (evidence.left, evidence.right),
        "why": why_linked(link),
        "comparisons": comparisons(link),
        "may_resolve": not link.resolved or can(role, Permission.CHANGE_LINK_COLOUR),
        "is_analyst": can(role, Permission.REVIEW_HITS),
        "follow_up_statuses": FOLLOW_UP_STATUSES,
        "partner_end": next((e for e in (link.right, link.left) if e.kind == "partner"), None),
        "error": error,
        "asked": asked,
    }
    return page(request, "identity_link.html", context, session=session, status_code=status_code)


def _refused(
    request: Request,
    link_id: int,
    session: SessionView,
    services: ServicesDep,
    error: PasserelleError,
) -> HTMLResponse:
    """The link's page again with the reason (an unknown link goes to the error page)."""
    if isinstance(error, UnknownLink | NotFound) and getattr(error, "field", "") == "link_id":
        raise error
    if isinstance(error, InvalidInput):
        return _link_page(
            request, link_id, session, services, error=refusal(error), status_code=422
        )
    return _link_page(request, link_id, session, services, error=str(error), status_code=502)


@router.post("/analysis/identities/{link_id}/resolution", response_model=None)
def resolve_link(
    request: Request,
    link_id: PathId,
    session: Reader,
    services: ServicesDep,
    csrf_token: CsrfField,
    colour: Annotated[str, Form(max_length=8)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse | RedirectResponse:
    """Give the link its colour with a note; a refusal comes back on the page."""
    session.check_csrf(csrf_token)
    try:
        services.identity_links().resolve(session.actor, link_id, colour=colour, note=note)
    except InvalidInput as exc:
        return _refused(request, link_id, session, services, exc)
    return RedirectResponse(_link_url(link_id) + "#resolution", status_code=303)


@router.post("/analysis/identities/{link_id}/follow-up", response_model=None)
def ask_partner_record(
    request: Request,
    link_id: PathId,
    session: Reader,
    services: ServicesDep,
    csrf_token: CsrfField,
    justification: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse | RedirectResponse:
    """Ask the partner behind a cross-border link for its record (a follow-up)."""
    session.check_csrf(csrf_token)
    try:
        services.identity_links().ask_follow_up(session.actor, link_id, justification)
    except PasserelleError as exc:
        return _refused(request, link_id, session, services, exc)
    return RedirectResponse(_link_url(link_id) + "#partner", status_code=303)


@router.post("/analysis/identities/{link_id}/ask-partners", response_model=None)
def ask_partners(
    request: Request,
    link_id: PathId,
    session: Reader,
    services: ServicesDep,
    csrf_token: CsrfField,
    record_kind: Annotated[str, Form(max_length=16)] = "",
    record_ref: Annotated[str, Form(max_length=128)] = "",
    purpose: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    """Ask every partner whether one of the link's records is known under another
    identity; the page comes back with each partner's answer (hits open links)."""
    session.check_csrf(csrf_token)
    try:
        record = LinkEnd(record_kind, record_ref)
        asked = services.identity_asking().ask(session.actor, purpose, record)
    except PasserelleError as exc:
        return _refused(request, link_id, session, services, exc)
    return _link_page(request, link_id, session, services, asked=asked)
