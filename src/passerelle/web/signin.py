"""Logging in and out of the web pages, and the home page that sends each role to its page.

The login form is protected against cross-site submission before any session
exists by a random token set both in a short-lived cookie and in the form
(double submit); the session cookie is HttpOnly, SameSite=Strict, and Secure
when the node is served over TLS.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from passerelle.access import (
    AuthenticationFailed,
    CsrfRejected,
    LoginThrottled,
    can,
)
from passerelle.access.credentials import same_secret
from passerelle.http.deps import SESSION_COOKIE, ServicesDep, web_session
from passerelle.i18n import N_, current_language
from passerelle.web.languages import keep_language
from passerelle.web.rendering import NAVIGATION, page, translate
from passerelle.web.timing import local_time

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "passerelle_login"


@router.get("/", response_model=None)
def home(request: Request, services: ServicesDep) -> RedirectResponse:
    """To the first page the signed-in user's role opens, else to the login."""
    try:
        actor = web_session(request, services).actor
    except AuthenticationFailed:
        return RedirectResponse("/login", status_code=303)
    for href, _, permission in NAVIGATION:
        if can(actor.role, permission):
            return RedirectResponse(href, status_code=303)
    return RedirectResponse("/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return _login_page(request, next=next)


def _login_page(
    request: Request, *, next: str, error: str | None = None, name: str = "", status: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = page(
        request,
        "login.html",
        {"login_token": token, "next": _safe_next(next), "error": error, "name": name},
        session=None,
        status_code=status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=1800,
        httponly=True,
        samesite="strict",
        path="/login",
        secure=request.app.state.services.node.settings.tls,
    )
    return response


REFUSALS = {
    "bad_credentials": N_("wrong user name or password"),
    "account_disabled": N_("This account is disabled: ask your administrator."),
    "other": N_("The login was refused."),
}
"""The login page's words for a refusal, by the refusal's code (``AuthenticationFailed.code``)."""
THROTTLED = {
    "account": N_("Too many failed logins for this user name: try again after %(time)s."),
    "address": N_(
        "Too many failed logins from this address: it may log in once every %(delay)s s."
        " Try again after %(time)s."
    ),
}
"""A throttled login by its kind (``LoginThrottled.kind``): a locked account, a paced address."""


def refusal_words(exc: AuthenticationFailed, *, address_delay_s: float, zone: str) -> str:
    """Why a login was refused, in the reader's language, from the refusal's code, kind and
    time in the node's zone (never by translating the English sentence)."""
    if isinstance(exc, LoginThrottled):
        return translate(
            THROTTLED.get(exc.kind, THROTTLED["account"]),
            time=local_time(exc.retry_after, zone, "second"),
            delay=f"{address_delay_s:g}",
        )
    return translate(REFUSALS.get(exc.code, REFUSALS["other"]))


def _safe_next(target: str) -> str:
    """Only a path on this node (no scheme, no host, no protocol-relative URL)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/login", response_model=None)
def login(
    request: Request,
    services: ServicesDep,
    name: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    login_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not (cookie and login_token and same_secret(cookie, login_token)):
        raise CsrfRejected
    client = request.client.host if request.client else None
    try:
        opened = services.access.login(name, password, client=client)
    except AuthenticationFailed as exc:
        settings = services.node.settings
        words = refusal_words(
            exc, address_delay_s=settings.login_address_delay_s, zone=settings.time_zone
        )
        status = 429 if isinstance(exc, LoginThrottled) else 401
        return _login_page(request, next=next, error=words, name=name, status=status)
    response = RedirectResponse(_safe_next(next), status_code=303)
    language = opened.language
    if language is None:  # the first login: the language the login page was read in
        language = current_language()
        services.access.set_language(opened.actor.name, language, by=opened.actor)
    keep_language(response, language, secure=services.node.settings.tls)
    response.set_cookie(
        SESSION_COOKIE,
        opened.session_id,
        httponly=True,
        samesite="strict",
        secure=services.node.settings.tls,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(
    request: Request, services: ServicesDep, csrf_token: Annotated[str, Form()] = ""
) -> RedirectResponse:
    session = web_session(request, services)
    session.check_csrf(csrf_token)
    cookie = request.cookies.get(SESSION_COOKIE, "")
    services.access.logout(cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
