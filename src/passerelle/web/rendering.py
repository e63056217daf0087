"""Rendering pages: the Jinja environment, the signed-in session a page needs, CSRF on forms.

Pages are written in the reader's language (:mod:`passerelle.web.languages`): templates mark
their words ``{{ _("...") }}`` or ``{% trans %}...{% endtrans %}`` (Jinja's i18n extension,
new-style: ``{{ _("Seen at %(point)s", point=p) }}``), Python code marks them ``N_("...")``
and the page translates them. Every value put into a translated sentence is isolated
(``<bdi>``) as values in the pages' own text are (:mod:`passerelle.web.isolation`), so that a
date or a document number keeps its order inside an Arabic sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from passerelle.access import Permission, SessionView, can
from passerelle.http.deps import ServicesDep, refuse_unless, web_session
from passerelle.i18n import (
    LANGUAGES,
    N_,
    current_language,
    gettext,
    language,
    ngettext,
    set_language,
)
from passerelle.store.replica import last_reading
from passerelle.web.isolation import IsolatedValues, isolated_parameter
from passerelle.web.timing import page_time, show_times_in

__all__ = ["NAVIGATION", "PageSession", "page", "page_session", "templates", "translate"]


def translate(text: str, **parameters: object) -> Markup:
    """``text`` in the reader's language as page HTML, each parameter escaped and isolated.

    >>> translate("Seen at %(point)s", point="<TNG>")
    Markup('Seen at &lt;TNG&gt;')
    """
    return Markup(gettext(text)) % {k: isolated_parameter(v) for k, v in parameters.items()}


@pass_context
def _page_gettext(context: Context, text: str, **parameters: object) -> str:
    if not context.eval_ctx.autoescape:
        return gettext(text) % parameters if parameters else gettext(text)
    return translate(text, **parameters)


@pass_context
def _page_ngettext(
    context: Context, singular: str, plural: str, count: int, **parameters: object
) -> str:
    parameters.setdefault("num", count)
    text = ngettext(singular, plural, count)
    if not context.eval_ctx.autoescape:
        return text % parameters
    return Markup(text) % {k: isolated_parameter(v) for k, v in parameters.items()}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        extensions=[
            "jinja2.ext.i18n",
            IsolatedValues,  # a value that could turn the text around it: in <bdi>
        ],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(_=_page_gettext, gettext=_page_gettext, ngettext=_page_ngettext)
    env.filters["local_time"] = page_time  # {{ at|local_time }}, {{ at|local_time("second") }}
    return env


templates = Jinja2Templates(env=_environment())

NAVIGATION: tuple[tuple[str, str, Permission], ...] = (
    ("/check", N_("Border check"), Permission.INSPECT),
    ("/second-line", N_("Second line"), Permission.SECOND_LINE),
    ("/analysis/identities", N_("Multiple identities"), Permission.CHANGE_LINK_COLOUR),
    ("/review", N_("Hit review"), Permission.REVIEW_HITS),
    ("/cases", N_("Cases"), Permission.REVIEW_HITS),
    ("/analysis/identities", N_("Multiple identities"), Permission.REVIEW_HITS),
    ("/analysis/networks", N_("Networks"), Permission.REVIEW_HITS),
    ("/federation", N_("Federation"), Permission.REVIEW_HITS),
    ("/alerts", N_("Alerts"), Permission.MANAGE_ALERTS),
    ("/forgeries", N_("Forgeries"), Permission.EXAMINE_DOCUMENTS),
    ("/search", N_("Search"), Permission.SEARCH_WATCHLIST),
    ("/lists", N_("Lists"), Permission.MANAGE_WATCHLIST),
    ("/dashboard", N_("Dashboard"), Permission.VIEW_DASHBOARD),
    ("/analysis/risk", N_("Risk analysis"), Permission.ANALYSE_RISK),
    ("/audit", N_("Audit trail"), Permission.VIEW_AUDIT),
    ("/chip-trust", N_("Chip trust"), Permission.MANAGE_NODE),
    ("/admin/users", N_("Users"), Permission.MANAGE_USERS),
    ("/admin/tokens", N_("API tokens"), Permission.MANAGE_USERS),
    ("/admin/partners", N_("Partners"), Permission.MANAGE_NODE),
    ("/admin/catalogue", N_("Crossing points"), Permission.MANAGE_NODE),
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
    """Render template ``name`` with the menu, the user and the CSRF token for its forms, in
    the reader's language (the signed-in user's own choice first)."""
    actor = session.actor if session else None
    if session is not None and session.language:
        set_language(session.language)
    menu = [
        {"href": href, "label": gettext(label), "current": request.url.path.startswith(href)}
        for href, label, permission in NAVIGATION
        if actor is not None and can(actor.role, permission)
    ]
    settings = (
        request.app.state.services.node.settings if hasattr(request.app.state, "services") else None
    )
    node = settings.node if settings is not None else ""
    zone = settings.time_zone if settings is not None else "UTC"
    show_times_in(zone)
    reading = language(current_language())
    return templates.TemplateResponse(
        request,
        name,
        {
            **context,
            "actor": actor,
            "csrf_token": session.csrf_token if session else "",
            "menu": menu,
            "node_code": node,
            "language": reading.code,
            "direction": reading.direction,
            "languages": LANGUAGES,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            "time_zone": zone,
            "reading": last_reading(),  # where an analysis read ran: "data as of ..."
        },
        status_code=status_code,
    )
