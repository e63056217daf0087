"""Rendering pages: the Jinja environment, the signed-in session a page needs, CSRF on forms."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from passerelle.access import Permission, SessionView, can
from passerelle.http.deps import ServicesDep, refuse_unless, web_session
from passerelle.web.isolation import IsolatedValues

__all__ = ["NAVIGATION", "PageSession", "page", "page_session", "templates"]

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        extensions=[IsolatedValues],  # a value that could turn the text around it: in <bdi>
    )
)

NAVIGATION: tuple[tuple[str, str, Permission], ...] = (
    ("/check", "Border check", Permission.INSPECT),
    ("/second-line", "Second line", Permission.SECOND_LINE),
    ("/review", "Hit review", Permission.REVIEW_HITS),
    ("/cases", "Cases", Permission.REVIEW_HITS),
    ("/federation", "Federation", Permission.REVIEW_HITS),
    ("/alerts", "Alerts", Permission.MANAGE_ALERTS),
    ("/forgeries", "Forgeries", Permission.EXAMINE_DOCUMENTS),
    ("/search", "Search", Permission.SEARCH_WATCHLIST),
    ("/dashboard", "Dashboard", Permission.VIEW_DASHBOARD),
    ("/audit", "Audit trail", Permission.VIEW_AUDIT),
    ("/chip-trust", "Chip trust", Permission.MANAGE_NODE),
)
"""The menu: each page shows for the roles holding its permission."""


def page_session(permission: Permission) -> Callable[..., SessionView]:
    """A dependency: the signed-in session, whose role must hold ``permission`` (else 403,
    the refusal recorded: ``access.refused``)."""

    def dependency(
        request: Request,
        node: ServicesDep,
        session: Annotated[SessionView, Depends(web_session)],
    ) -> SessionView:
        refuse_unless(request, node, session.actor, permission)
        return session

    dependency.__name__ = f"page_{permission.value}"
    return dependency


PageSession = Annotated[SessionView, Depends(web_session)]


def page(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    session: SessionView | None,
    services: ServicesDep | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render template ``name`` with the menu, the user and the CSRF token for its forms."""
    actor = session.actor if session else None
    menu = [
        {"href": href, "label": label, "current": request.url.path.startswith(href)}
        for href, label, permission in NAVIGATION
        if actor is not None and can(actor.role, permission)
    ]
    node = (
        request.app.state.services.node.settings.node
        if hasattr(request.app.state, "services")
        else ""
    )
    return templates.TemplateResponse(
        request,
        name,
        {
            **context,
            "actor": actor,
            "csrf_token": session.csrf_token if session else "",
            "menu": menu,
            "node_code": node,
        },
        status_code=status_code,
    )
