"""``/admin/partners``: the partner nodes, run as ``passerelle peer`` runs them.

Lists each partner with its state (enabled or not), its agreement and its outbox (messages
waiting and since when, parked, delivered, the last delivery and the last failure:
``federation.transport.outbox_status``); registers a partner from the key line it gave
out of band (``ed25519 STATE BASE64``, as ``peer add --key``), changes its agreement (the
queries each way and the alert categories shared, as ``peer update``), disables and
enables it. Every change goes through :class:`PeerDirectory`, audited as the command's
(``peer.add``, ``peer.update``, ``peer.enable``, ``peer.disable``). A hub, a sealing key
and a route through a hub stay on the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from passerelle.access import SessionView
from passerelle.exc import InvalidInput
from passerelle.federation.peers.directory import (
    DEFAULT_FOLLOW_UP_HOURS,
    QUERY_KINDS,
    Agreement,
    PeerDirectory,
)
from passerelle.federation.transport.outbox_status import outbox_status
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_
from passerelle.records.alerts import CATEGORIES
from passerelle.web.admin.forms import NOTHING_YET, CsrfField, ManageNode, Outcome, done, refused
from passerelle.web.rendering import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

QUERIES = {
    "document": N_("documents"),
    "person": N_("persons"),
    "face": N_("faces"),
    "fingerprint": N_("fingerprints"),
    "identity": N_("other identities"),
}
"""The query kinds of an agreement, as the page names them."""
ALERT_CATEGORIES = {
    "wanted": N_("wanted persons"),
    "missing_person": N_("missing persons"),
    "travel_ban": N_("travel bans"),
    "surveillance": N_("discreet surveillance"),
    "stolen_document": N_("stolen documents"),
    "stolen_vehicle": N_("stolen vehicles"),
    "forged_document": N_("forged documents"),
}
"""The alert categories an agreement shares, as the page names them."""

Text = Annotated[str, Form(max_length=500)]
Choices = Annotated[list[str], Form()]


def _directory(services: ServicesDep) -> PeerDirectory:
    node = services.node
    return PeerDirectory(node.database, node.audit, clock=node.clock)


def show(
    request: Request, session: SessionView, services: ServicesDep, outcome: Outcome = NOTHING_YET
) -> HTMLResponse:
    """The partners page, with what the last form did."""
    context = {
        "peers": _directory(services).list(),
        "outbox": {o.peer: o for o in outbox_status(services.node.database)},
        "queries": {k: QUERIES.get(k, k) for k in sorted(QUERY_KINDS)},
        "categories": {c: ALERT_CATEGORIES.get(c, c) for c in sorted(CATEGORIES)},
        "default_hours": DEFAULT_FOLLOW_UP_HOURS,
        "outcome": outcome,
    }
    return page(
        request, "admin/partners.html", context, session=session, status_code=outcome.status
    )


def _act(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    csrf_token: str,
    change: Callable[[PeerDirectory], Outcome],
) -> HTMLResponse:
    session.check_csrf(csrf_token)
    try:
        outcome = change(_directory(services))
    except InvalidInput as exc:
        outcome = refused(exc)
    return show(request, session, services, outcome)


def _hours(text: str) -> int:
    if not text.strip():
        return DEFAULT_FOLLOW_UP_HOURS
    if not text.strip().isdigit():
        raise InvalidInput("follow_up_hours", "must be a whole number of hours")
    return int(text)


@router.get("/admin/partners", response_class=HTMLResponse)
def partners_page(request: Request, session: ManageNode, services: ServicesDep) -> HTMLResponse:
    return show(request, session, services)


@router.post("/admin/partners", response_class=HTMLResponse)
def register_partner(
    request: Request,
    session: ManageNode,
    services: ServicesDep,
    csrf_token: CsrfField,
    state: Annotated[str, Form(max_length=8)],
    url: Text,
    key: Annotated[str, Form(max_length=2000)],
    name: Text = "",
    inbound: Choices | None = None,
    outbound: Choices | None = None,
    alerts: Choices | None = None,
    follow_up_hours: Annotated[str, Form(max_length=8)] = "",
) -> HTMLResponse:
    """Register a partner from its key line, enabled, with its agreement (``peer add``)."""

    def change(directory: PeerDirectory) -> Outcome:
        if not key.strip():
            raise InvalidInput("key", "paste the key line the partner gave (ed25519 STATE KEY)")
        agreement = Agreement.of(
            inbound_kinds=inbound or [],
            outbound_kinds=outbound or [],
            alert_categories=alerts or [],
            follow_up_hours=_hours(follow_up_hours),
        )
        peer = directory.add(
            state,
            url=url,
            public_keys=[key.strip()],
            name=name or None,
            agreement=agreement,
            actor=session.actor,
        )
        return done(
            N_("Partner %(state)s registered: confirm its key id %(key)s with it."),
            state=peer.state,
            key=peer.keys[0].key_id,
        )

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/partners/{state}/agreement", response_class=HTMLResponse)
def change_agreement(
    request: Request,
    state: str,
    session: ManageNode,
    services: ServicesDep,
    csrf_token: CsrfField,
    inbound: Choices | None = None,
    outbound: Choices | None = None,
    alerts: Choices | None = None,
    follow_up_hours: Annotated[str, Form(max_length=8)] = "",
) -> HTMLResponse:
    """Replace a partner's agreement (``peer update``)."""

    def change(directory: PeerDirectory) -> Outcome:
        agreement = Agreement.of(
            inbound_kinds=inbound or [],
            outbound_kinds=outbound or [],
            alert_categories=alerts or [],
            follow_up_hours=_hours(follow_up_hours),
        )
        peer = directory.update(state, actor=session.actor, agreement=agreement)
        return done(N_("The agreement with %(state)s is saved."), state=peer.state)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/partners/{state}/enable", response_class=HTMLResponse)
def enable_partner(
    request: Request, state: str, session: ManageNode, services: ServicesDep, csrf_token: CsrfField
) -> HTMLResponse:
    def change(directory: PeerDirectory) -> Outcome:
        peer = directory.enable(state, actor=session.actor)
        return done(N_("Partner %(state)s is enabled."), state=peer.state)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/partners/{state}/disable", response_class=HTMLResponse)
def disable_partner(
    request: Request, state: str, session: ManageNode, services: ServicesDep, csrf_token: CsrfField
) -> HTMLResponse:
    def change(directory: PeerDirectory) -> Outcome:
        peer = directory.disable(state, actor=session.actor)
        return done(
            N_("Partner %(state)s is disabled: nothing is sent to it or taken from it."),
            state=peer.state,
        )

    return _act(request, session, services, csrf_token, change)
