"""Errors on the web pages: a page in the pages' own look, or the login when signed out.

A signed-in reader keeps the menu and the log-out button on an error page (a 403, 404 or
422 is a wrong turn, not the end of the session); the heading is in the reader's language,
and so is a refused value's field and reason (``web.refusals``).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from passerelle.access import AuthenticationFailed, LoginThrottled, SessionView
from passerelle.exc import InvalidInput, PasserelleError
from passerelle.http.deps import SESSION_COOKIE, services, web_session
from passerelle.i18n import N_
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page

__all__ = ["HEADINGS", "html_error"]

HEADINGS = {
    400: N_("That cannot be done"),
    401: N_("Please log in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Already done"),
    413: N_("Too large"),
    422: N_("Please check what was entered"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    503: N_("The node is not ready"),
}


def html_error(request: Request, status: int, detail: str, exc: Exception) -> Response:
    """Signed out (or the session over): to the login, coming back here after; else a page."""
    if isinstance(exc, AuthenticationFailed) and not isinstance(exc, LoginThrottled):
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    reader = signed_in_reader(request) if status < 500 else None
    heading = HEADINGS.get(status, HEADINGS[400])  # translated on the page, in its language
    if isinstance(exc, InvalidInput):  # the field and the reason in the reader's language
        detail = refusal(exc)
    context = {"status": status, "heading": heading, "detail": detail}
    return page(request, "error.html", context, session=reader, status_code=status)


def signed_in_reader(request: Request) -> SessionView | None:
    """The request's live session, or None: signed out, the session over, or no node yet.

    Not looked up on a server error (5xx): the node may be what failed."""
    if not request.cookies.get(SESSION_COOKIE) or not hasattr(request.app.state, "services"):
        return None
    try:
        return web_session(request, services(request))
    except PasserelleError:
        return None
