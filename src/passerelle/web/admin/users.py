"""``/admin/users``: the node's accounts, run as ``passerelle user`` runs them.

Lists every user (name, role, crossing point and booth, enabled, language, locked or not)
and the client addresses paced for failed logins; creates a user (the password checked for
strength as the command line does), changes a role, a workplace (a point of the catalogue)
or a password, disables and enables, and unlocks a locked account or a paced address. Each
form calls one ``AccessControl`` method, which records the same audit entry as the command
(``user.add``, ``user.role``, ``user.workplace``, ``user.passwd``, ``user.disable``,
``user.enable``, ``auth.unlock``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from passerelle.access import SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import LANGUAGES, N_
from passerelle.web.admin.forms import (
    NOTHING_YET,
    ROLES,
    CsrfField,
    ManageUsers,
    Outcome,
    done,
    refused,
)
from passerelle.web.rendering import page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=200)]
Secret = Annotated[str, Form(max_length=1024)]


def show(
    request: Request, session: SessionView, services: ServicesDep, outcome: Outcome = NOTHING_YET
) -> HTMLResponse:
    """The users page, with what the last form did."""
    access = services.access
    locked = {lock.name: lock for lock in access.locked_accounts()}
    context = {
        "users": access.users(),
        "locked": locked,
        "paced": access.paced_addresses(),
        "roles": ROLES,
        "language_names": {item.code: item.name for item in LANGUAGES},
        "points": services.catalogues.crossing_points,
        "outcome": outcome,
    }
    return page(request, "admin/users.html", context, session=session, status_code=outcome.status)


def _act(
    request: Request,
    session: SessionView,
    services: ServicesDep,
    csrf_token: str,
    change: Callable[[], Outcome],
) -> HTMLResponse:
    """Check the form's CSRF token, make the change, show the page with its outcome."""
    session.check_csrf(csrf_token)
    try:
        outcome = change()
    except InvalidInput as exc:
        outcome = refused(exc)
    return show(request, session, services, outcome)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: ManageUsers, services: ServicesDep) -> HTMLResponse:
    return show(request, session, services)


def _point(services: ServicesDep, given: str) -> str | None:
    """The crossing point as stored, one of the catalogue's when it lists any ('' : none)."""
    return services.catalogues.crossing_point(given) if given.strip() else None


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    name: Text,
    role: Text,
    password: Secret,
    crossing_point: Text = "",
    booth: Text = "",
) -> HTMLResponse:
    def change() -> Outcome:
        user = services.access.add_user(
            name,
            role,
            password,
            by=session.actor,
            crossing_point=_point(services, crossing_point),
            booth=booth or None,
        )
        return done(N_("User %(name)s created."), name=user.name)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/users/{name}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    name: str,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    role: Text,
) -> HTMLResponse:
    def change() -> Outcome:
        user = services.access.set_role(name, role, by=session.actor)
        return done(N_("%(name)s's role is now %(role)s."), name=user.name, role=user.role)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/users/{name}/workplace", response_class=HTMLResponse)
def change_workplace(
    request: Request,
    name: str,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    crossing_point: Text = "",
    booth: Text = "",
) -> HTMLResponse:
    def change() -> Outcome:
        user = services.access.set_workplace(
            name, _point(services, crossing_point), booth or None, by=session.actor
        )
        return done(N_("%(name)s's workplace is saved."), name=user.name)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/users/{name}/password", response_class=HTMLResponse)
def reset_password(
    request: Request,
    name: str,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    password: Secret,
) -> HTMLResponse:
    def change() -> Outcome:
        user = services.access.change_password(name, password, by=session.actor)
        return done(
            N_("%(name)s's password is changed; their open sessions are ended."), name=user.name
        )

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/users/{name}/disable", response_class=HTMLResponse)
def disable_user(
    request: Request,
    name: str,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    reason: Text = "",
) -> HTMLResponse:
    def change() -> Outcome:
        if name.strip().lower() == session.actor.name:
            raise InvalidInput("name", "you cannot disable your own account")
        user = services.access.disable_user(name, by=session.actor, reason=reason or None)
        return done(
            N_("%(name)s is disabled: their sessions and API tokens are revoked."),
            name=user.name,
        )

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/users/{name}/enable", response_class=HTMLResponse)
def enable_user(
    request: Request, name: str, session: ManageUsers, services: ServicesDep, csrf_token: CsrfField
) -> HTMLResponse:
    def change() -> Outcome:
        user = services.access.enable_user(name, by=session.actor)
        return done(N_("%(name)s may log in again."), name=user.name)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/users/{name}/unlock", response_class=HTMLResponse)
def unlock_user(
    request: Request, name: str, session: ManageUsers, services: ServicesDep, csrf_token: CsrfField
) -> HTMLResponse:
    def change() -> Outcome:
        lifted = services.access.unlock(name, by=session.actor)
        return done(N_("%(name)s is unlocked."), name=lifted.name)

    return _act(request, session, services, csrf_token, change)


@router.post("/admin/addresses/unlock", response_class=HTMLResponse)
def unlock_address(
    request: Request,
    session: ManageUsers,
    services: ServicesDep,
    csrf_token: CsrfField,
    address: Text,
) -> HTMLResponse:
    def change() -> Outcome:
        lifted = services.access.unlock(address=address, by=session.actor)
        return done(N_("Logins from %(address)s are no longer paced."), address=lifted.address)

    return _act(request, session, services, csrf_token, change)
