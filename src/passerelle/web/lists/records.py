"""One watchlist person or one stolen/lost document's record, read and changed by hand.

The changes are the CLI's: ``passerelle watchlist update`` / ``withdraw``
(``services.watchlist.WatchlistKeeping``: audited ``watchlist.update`` with the content
hash, ``watchlist.withdraw`` with the reason; a withdrawal is final, as for a file) and,
for a document, a new version of its record as a registry file's changed line makes
(``services.sltd_keeping``: audited ``sltd.update``). Opening a record is a search,
audited with the purpose :data:`LIST_KEEPING`.

A person's history is its changes in the audit trail (the watchlist keeps its current
content and the trail keeps each change's content hash); a document's is its versions.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput, NotFound
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.watchlist import WATCHLIST_CATEGORIES, read_entry
from passerelle.services.common import WatchlistAction
from passerelle.services.sltd_keeping import SltdKeeping
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.store.audit_reading import AuditEntry, read_audit
from passerelle.store.sltd import SLTD_STATUSES, SltdRegistry
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session

__all__ = ["CATEGORY_LABELS", "LIST_KEEPING", "STATUS_LABELS", "router"]

LIST_KEEPING = "list keeping"
"""The purpose recorded when an analyst opens a record to keep it."""

STATUS_LABELS = {
    "stolen": N_("stolen"),
    "lost": N_("lost"),
    "revoked": N_("revoked"),
    "invalidated": N_("invalidated"),
}
"""A document record's status, in words (``store.sltd.SLTD_STATUSES``)."""
CATEGORY_LABELS = {
    "wanted": N_("wanted"),
    "travel_ban": N_("travel ban"),
    "missing": N_("missing"),
    "alert": N_("alert"),
}
"""A watchlist person's category, in words (``records.watchlist.WATCHLIST_CATEGORIES``)."""

router = APIRouter(include_in_schema=False)

WatchlistKeeper = Annotated[SessionView, Depends(page_session(Permission.MANAGE_WATCHLIST))]
SltdKeeper = Annotated[SessionView, Depends(page_session(Permission.MANAGE_SLTD))]

_CHANGES = frozenset(action.value for action in WatchlistAction)


def _person_history(services: ServicesDep, person_id: str) -> list[AuditEntry]:
    """The person's changes in the trail (added, updated, withdrawn, sharing), newest first."""
    with services.node.database.read_only() as db:
        entries = read_audit(db, limit=500, action="watchlist.", subject=person_id)
    return [e for e in entries if e.action in _CHANGES]


def _person_page(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    person_id: str,
    *,
    form: dict[str, Any] | None = None,
    error: InvalidInput | None = None,
    done: str | None = None,
) -> HTMLResponse:
    found = services.watchlist.person(session.actor, LIST_KEEPING, person_id)
    if found is None:
        raise NotFound(
            "id", worded(N_("no watchlist person has id %(value)s"), value=repr(person_id.strip()))
        )
    person, false_positives = found
    shown = form or {
        "names": list(person.names),
        "birth_date": person.birth_date or "",
        "nationalities": " ".join(person.nationalities),
        "sex": person.sex or "",
        "category": person.category,
        "issued_by": person.issued_by,
        "valid_until": person.valid_until.isoformat() if person.valid_until else "",
    }
    context = {
        "person": person,
        "false_positives": false_positives,
        "form": shown,
        "categories": [(c, CATEGORY_LABELS.get(c, c)) for c in sorted(WATCHLIST_CATEGORIES)],
        "history": _person_history(services, person.id),
        "error": refusal(error) if error else None,
        "done": done,
    }
    status = 422 if error else 200
    return page(
        request, "lists/watchlist_person.html", context, session=session, status_code=status
    )


@router.get("/lists/watchlist", response_model=None)
def find_person(
    session: WatchlistKeeper, id: Annotated[str, Query(max_length=64)] = ""
) -> RedirectResponse:
    """The look-up form's answer: the person's page."""
    return RedirectResponse(f"/lists/watchlist/{id.strip()}", status_code=303)


@router.get("/lists/watchlist/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request,
    person_id: str,
    session: WatchlistKeeper,
    services: ServicesDep,
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """A watchlist person: its content in a form, withdrawal, and its changes."""
    return _person_page(request, session, services, person_id, done=done or None)


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text) if part]


@router.post("/lists/watchlist/{person_id}", response_model=None)
def change_person(
    request: Request,
    person_id: str,
    session: WatchlistKeeper,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    names: Annotated[list[str] | None, Form(max_length=500)] = None,
    birth_date: Annotated[str, Form(max_length=10)] = "",
    nationalities: Annotated[str, Form(max_length=200)] = "",
    sex: Annotated[str, Form(max_length=1)] = "",
    category: Annotated[str, Form(max_length=16)] = "",
    issued_by: Annotated[str, Form(max_length=3)] = "",
    valid_until: Annotated[str, Form(max_length=10)] = "",
) -> RedirectResponse | HTMLResponse:
    """Replace the person's content (``watchlist.update``); the page again, saying so."""
    session.check_csrf(csrf_token)
    given = [name.strip() for name in names or [] if name.strip()]
    form: dict[str, Any] = {
        "names": given,
        "birth_date": birth_date,
        "nationalities": nationalities,
        "sex": sex,
        "category": category,
        "issued_by": issued_by,
        "valid_until": valid_until,
    }
    keeping = WatchlistKeeping(services.node)
    try:
        with services.node.database.read() as db:
            stored = keeping.registry.get(db, person_id)
        if stored is None:
            raise NotFound(
                "id",
                worded(N_("no watchlist person has id %(value)s"), value=repr(person_id.strip())),
            )
        record: dict[str, Any] = {
            "id": stored.id,
            "names": given,
            "birth_date": birth_date.strip() or None,
            "nationalities": _split(nationalities.upper()),
            "sex": sex.strip().upper() or None,
            "category": category.strip(),
            "issued_by": issued_by.strip().upper(),
            "valid_until": valid_until.strip() or None,
            "shareable": stored.shareable,
            "restricted_matter": stored.restricted_matter,
        }
        person = keeping.update(session.actor, read_entry(record))
        if person is None:
            raise NotFound(
                "id",
                worded(N_("no watchlist person has id %(value)s"), value=repr(person_id.strip())),
            )
    except NotFound:
        raise
    except InvalidInput as exc:
        return _person_page(request, session, services, person_id, form=form, error=exc)
    return RedirectResponse(f"/lists/watchlist/{person.id}?done=updated", status_code=303)


@router.post("/lists/watchlist/{person_id}/withdraw", response_model=None)
def withdraw_person(
    request: Request,
    person_id: str,
    session: WatchlistKeeper,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> RedirectResponse | HTMLResponse:
    """Take the person off the active watchlist, saying why (``watchlist.withdraw``)."""
    session.check_csrf(csrf_token)
    try:
        person = WatchlistKeeping(services.node).withdraw(session.actor, person_id, reason)
    except InvalidInput as exc:
        return _person_page(request, session, services, person_id, error=exc)
    if person is None:
        raise NotFound(
            "id", worded(N_("no watchlist person has id %(value)s"), value=repr(person_id.strip()))
        )
    return RedirectResponse(f"/lists/watchlist/{person.id}?done=withdrawn", status_code=303)


def _document_page(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    state: str,
    number: str,
    *,
    form: dict[str, str] | None = None,
    error: InvalidInput | None = None,
    done: str | None = None,
) -> HTMLResponse:
    versions = services.documents.history(session.actor, LIST_KEEPING, state, number)
    if not versions:
        raise NotFound(
            "document_number",
            worded(
                N_("%(value)s %(value2)s is not in the registry"),
                value=state.upper(),
                value2=number.upper(),
            ),
        )
    current = next((v for v in versions if v.superseded_at is None), versions[-1])
    shown = form or {
        "document_code": current.document_code,
        "status": current.status,
        "reported_on": current.reported_on.isoformat(),
        "reported_by": current.reported_by,
    }
    context = {
        "current": current,
        "versions": list(reversed(versions)),
        "form": shown,
        "statuses": [(s, STATUS_LABELS.get(s, s)) for s in sorted(SLTD_STATUSES)],
        "status_labels": STATUS_LABELS,
        "error": refusal(error) if error else None,
        "done": done,
    }
    status = 422 if error else 200
    return page(request, "lists/sltd_document.html", context, session=session, status_code=status)


@router.get("/lists/sltd", response_model=None)
def find_document(
    session: SltdKeeper,
    issuing_state: Annotated[str, Query(max_length=3)] = "",
    document_number: Annotated[str, Query(max_length=24)] = "",
) -> RedirectResponse:
    """The look-up form's answer: the document's page."""
    state, number = issuing_state.strip().upper(), document_number.strip().upper()
    return RedirectResponse(f"/lists/sltd/{state}/{number}", status_code=303)


@router.get("/lists/sltd/{state}/{number}", response_class=HTMLResponse)
def document_page(
    request: Request,
    state: str,
    number: str,
    session: SltdKeeper,
    services: ServicesDep,
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """A document's record: its current version in a form, and every version."""
    return _document_page(request, session, services, state, number, done=done or None)


@router.post("/lists/sltd/{state}/{number}", response_model=None)
def change_document(
    request: Request,
    state: str,
    number: str,
    session: SltdKeeper,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    document_code: Annotated[str, Form(max_length=2)] = "",
    status: Annotated[str, Form(max_length=16)] = "",
    reported_on: Annotated[str, Form(max_length=10)] = "",
    reported_by: Annotated[str, Form(max_length=3)] = "",
) -> RedirectResponse | HTMLResponse:
    """A new version of the document's record (``sltd.update``); the page again."""
    session.check_csrf(csrf_token)
    form = {
        "document_code": document_code,
        "status": status,
        "reported_on": reported_on,
        "reported_by": reported_by,
    }
    try:
        entry = SltdRegistry().parse(
            {
                "issuing_state": state,
                "document_number": number,
                "document_code": document_code,
                "status": status,
                "reported_on": reported_on,
                "reported_by": reported_by,
            }
        )
        change = SltdKeeping(services.node).change(session.actor, entry)
    except InvalidInput as exc:
        return _document_page(request, session, services, state, number, form=form, error=exc)
    outcome = "changed" if change.changed else "unchanged"
    target = f"/lists/sltd/{entry.issuing_state}/{entry.document_number}?done={outcome}"
    return RedirectResponse(target, status_code=303)
