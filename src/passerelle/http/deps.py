"""Dependencies the routes declare: the services, who is asking, and what they may do.

A route writes ``actor: Annotated[Actor, Depends(allowed(Permission.INSPECT))]``
and receives the authenticated user, or the request is answered 401 (nobody
proved who they are) or 403 (their role does not hold the permission) by the
error table, before the route runs. A 403 is recorded first in the audit trail
(``access.refused``, committed on its own): a refused look-up leaves a trace.

``BEARER`` and ``SESSION`` only declare those two ways in the OpenAPI document
(every route that needs an actor carries them as its security requirement);
``current_actor`` reads the header and the cookie itself, so that a wrong
scheme is answered "use Authorization: Bearer <token>" rather than ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from passerelle.access import AuthenticationFailed, Permission, SessionView, can, require
from passerelle.services.lookups import record_refusal
from passerelle.store.audit import Actor
from passerelle.wiring import NodeServices

__all__ = [
    "BEARER",
    "SESSION",
    "SESSION_COOKIE",
    "ServicesDep",
    "allowed",
    "current_actor",
    "refuse_unless",
    "services",
    "web_session",
]

SESSION_COOKIE = "passerelle_session"

BEARER = HTTPBearer(
    scheme_name="bearer",
    bearerFormat="psr_...",
    description="An API token from `passerelle token issue`: `Authorization: Bearer psr_...`.",
    auto_error=False,
)
SESSION = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    description="The web pages' session (signing in at /login sets it).",
    auto_error=False,
)


def services(request: Request) -> NodeServices:
    found: NodeServices = request.app.state.services
    return found


ServicesDep = Annotated[NodeServices, Depends(services)]


def web_session(request: Request, node: ServicesDep) -> SessionView:
    """The live web session of the request's cookie, or ``AuthenticationFailed``."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise AuthenticationFailed("not signed in: log in")
    return node.access.session(cookie)


def current_actor(
    request: Request,
    node: ServicesDep,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)],
    _session: Annotated[str | None, Security(SESSION)],
) -> Actor:
    """Who is asking: the bearer token's user, else the web session's."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed("use Authorization: Bearer <token>")
        return node.access.verify_token(token.strip())
    return web_session(request, node).actor


def refuse_unless(
    request: Request, node: NodeServices, actor: Actor, *permissions: Permission
) -> None:
    """Return when ``actor``'s role holds one of ``permissions``; else record the refusal
    (``access.refused``: method, path, the first permission, the purpose given) and raise
    ``Forbidden`` naming the first permission (403)."""
    if any(can(actor.role, permission) for permission in permissions):
        return
    record_refusal(
        node.node,
        actor,
        permissions[0],
        method=request.method,
        path=request.url.path,
        purpose=request.query_params.get("purpose"),
    )
    require(actor, permissions[0])


def allowed(permission: Permission, *alternatives: Permission) -> Callable[..., Actor]:
    """A dependency giving the actor when their role holds ``permission`` or one of the
    ``alternatives`` (else 403 naming ``permission``, the refusal recorded)."""

    def dependency(
        request: Request, node: ServicesDep, actor: Annotated[Actor, Depends(current_actor)]
    ) -> Actor:
        refuse_unless(request, node, actor, permission, *alternatives)
        return actor

    dependency.__name__ = f"allowed_{permission.value}"
    return dependency
