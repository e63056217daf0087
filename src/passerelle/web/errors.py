"""Errors on the web pages: a page in the pages' own look, or the login when signed out."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from passerelle.access import AuthenticationFailed, LoginThrottled
from passerelle.web.rendering import page

__all__ = ["html_error"]

HEADINGS = {
    400: "That cannot be done",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    409: "Already done",
    413: "Too large",
    422: "Please check what was entered",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "The node is not ready",
}


def html_error(request: Request, status: int, detail: str, exc: Exception) -> Response:
    """Signed out (or the session over): to the login, coming back here after; else a page."""
    if isinstance(exc, AuthenticationFailed) and not isinstance(exc, LoginThrottled):
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    heading = HEADINGS.get(status, "That cannot be done")
    context = {"status": status, "heading": heading, "detail": detail}
    return page(request, "error.html", context, session=None, status_code=status)
