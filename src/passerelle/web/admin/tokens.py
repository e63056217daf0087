"""``/admin/tokens``: API bearer tokens, run as ``passerelle token`` runs them.

Issues a token for an enabled user with its lifetime in days and a label, and shows it
once, on the answer to that form (the node keeps only its hash); lists the tokens issued
(all, or one user's) with their state (active, expired, revoked); revokes one. Audited as
the command's (``token.issue``, ``token.revoke``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from passerelle.access import IssuedToken, SessionView, UnknownUser
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_
from passerelle.web.admin.forms import NOTHING_YET, CsrfField, ManageUsers, Outcome, done, refused
from passerelle.web.rendering import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

STATES = {"active": N_("active"), "expired": N_("expired"), "revoked": N_("revoked")}
"""A token's state, as the page names it."""


def show(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    *,
    user: str = "",
    outcome: Outcome = NOTHING_YET,
    issued: IssuedToken | None = None,
) -> HTMLResponse:
    """The tokens page (one user's when ``user`` is given), with what the last form did."""
    access = services.access
    try:
        tokens = access.tokens(user or None)
    except UnknownUser:
        tokens = []
    context = {
        "tokens": list(reversed(tokens)),
        "now": services.node.clock(),
        "states": STATES,
        "users": [u for u in access.users() if u.enabled],
        "user": user,
        "outcome": outcome,
        "issued": issued,
        "default_days": access.policy.token_days,
        "max_days": access.policy.max_token_days,
    }
    return page(request, "admin/tokens.html", context, session=session, status_code=outcome.status)


@router.get("/admin/tokens", response_class=HTMLResponse)
def tokens_page(
    request: Request, session: ManageUsers, services: ServicesDep, user: str = ""
) -> HTMLResponse:
    return show(request, session, services, user=user[:64])


@router.post("/admin/tokens", response_class=HTMLResponse)
def issue_token(
    request: Request,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    name: Annotated[str, Form(max_length=64)],
    days: Annotated[str, Form(max_length=8)] = "",
    label: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Issue a token and show it this once."""
    session.check_csrf(csrf_token)
    try:
        if days.strip() and not days.strip().isdigit():
            raise InvalidInput("days", "must be a whole number of days")
        issued = services.access.issue_token(
            name,
            by=session.actor,
            days=int(days) if days.strip() else None,
            label=label or None,
        )
    except InvalidInput as exc:
        return show(request, session, services, user=name, outcome=refused(exc))
    outcome = done(
        N_("Token %(id)s issued for %(name)s."), id=issued.view.id, name=issued.view.user
    )
    return show(request, session, services, user=issued.view.user, outcome=outcome, issued=issued)


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request,
    token_id: int,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    reason: Annotated[str, Form(max_length=200)] = "",
    user: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    session.check_csrf(csrf_token)
    try:
        token = services.access.revoke_token(token_id, by=session.actor, reason=reason or None)
    except InvalidInput as exc:
        return show(request, session, services, user=user, outcome=refused(exc))
    outcome = done(N_("Token %(id)s of %(name)s is revoked."), id=token.id, name=token.user)
    return show(request, session, services, user=user, outcome=outcome)
