"""The reader's language: chosen on the pages, kept on the account, defaulting to the browser's.

Every request is written in one language, set before the page's code runs
(:class:`ReaderLanguage`): the cookie ``passerelle_lang`` (set by the login and by the
language switch in the menu bar), else the browser's ``Accept-Language``, else the node's
``PASSERELLE_LANGUAGE``. A signed-in user's choice is stored on their account
(``user.language`` in the audit trail) and put back in the cookie at each login, so the
choice follows the user from one booth's tablet to the next. A user who has never chosen
keeps, at their first login, the language the login page was shown in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from passerelle.access import AuthenticationFailed
from passerelle.http.deps import ServicesDep, web_session
from passerelle.i18n import negotiate, parse_language, set_language
from passerelle.web.timing import show_times_in

__all__ = ["LANGUAGE_COOKIE", "ReaderLanguage", "keep_language", "reader_language", "router"]

LANGUAGE_COOKIE = "passerelle_lang"
_YEAR = 365 * 24 * 3600

router = APIRouter(include_in_schema=False)


def reader_language(cookie: str | None, accept_language: str | None, default: str) -> str:
    """The language a request is written in: the cookie, else the browser's, else the node's.

    >>> reader_language(None, "fr-FR,fr;q=0.9", "en"), reader_language("ar", "fr", "en")
    ('fr', 'ar')
    >>> reader_language("xx", "de", "en")
    'en'
    """
    return parse_language(cookie) or negotiate(accept_language) or default


class ReaderLanguage:
    """ASGI middleware: every HTTP request is written in its reader's language, and its times
    in the node's time zone (before any view code runs: a view may prepare words and times)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            services = getattr(request.app.state, "services", None)
            settings = services.node.settings if services is not None else None
            default = settings.language if settings is not None else "en"
            show_times_in(settings.time_zone if settings is not None else "UTC")
            set_language(
                reader_language(
                    request.cookies.get(LANGUAGE_COOKIE),
                    request.headers.get("accept-language"),
                    default,
                )
            )
        await self.app(scope, receive, send)


def keep_language(response: Response, code: str, *, secure: bool) -> None:
    """Remember ``code`` in the reader's browser (the language cookie)."""
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=_YEAR, samesite="lax", secure=secure, path="/"
    )


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/language", response_model=None)
def choose_language(
    request: Request,
    services: ServicesDep,
    language: Annotated[str, Form(max_length=16)],
    next: Annotated[str, Form(max_length=2048)] = "/",
    csrf_token: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """Switch the pages' language; a signed-in user's choice is kept on their account."""
    code = parse_language(language)
    if code is None:
        code = reader_language(None, request.headers.get("accept-language"), "en")
    try:
        session = web_session(request, services)
    except AuthenticationFailed:
        session = None
    if session is not None:
        session.check_csrf(csrf_token)
        services.access.set_language(session.actor.name, code, by=session.actor)
    response = RedirectResponse(_safe_next(next), status_code=303)
    keep_language(response, code, secure=services.node.settings.tls)
    return response
