"""One table from error classes to HTTP statuses; routers raise, never build error bodies.

Every error body is ``{"detail": "...", "status": N}``, with ``"field"`` when
an input was refused. An unexpected exception is logged with its traceback
and answered 500 with a reference to the log line, never with the traceback
itself.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from passerelle.access.errors import (
    AccessDenied,
    AuthenticationFailed,
    CsrfRejected,
    Forbidden,
    LoginThrottled,
)
from passerelle.access.rates import PhotoRateExceeded
from passerelle.biometrics.fingerprint.captures import FingerImageTooLarge
from passerelle.exc import (
    ConfigurationError,
    InvalidInput,
    NotFound,
    PasserelleError,
    shown_field_name,
)
from passerelle.federation.followups.requests import FollowUpUndelivered
from passerelle.federation.followups.values import FollowUpClosed
from passerelle.http.middleware import SECURITY_HEADERS, SECURITY_HEADERS_STATE
from passerelle.records.alert_reports import ReportAlreadyFiled
from passerelle.records.alerts import AlertTransitionRefused
from passerelle.records.cases import CaseRefused
from passerelle.records.inspections import DecisionConflict, RequestIdReused
from passerelle.records.notices import NotRefused
from passerelle.store.db import DatabaseNotReady

__all__ = ["STATUS_OF", "HtmlError", "install_error_handlers", "status_of", "wants_html"]

log = logging.getLogger("passerelle.api")

STATUS_OF: tuple[tuple[type[Exception], int], ...] = (
    (LoginThrottled, 429),
    (PhotoRateExceeded, 429),
    (AuthenticationFailed, 401),
    (CsrfRejected, 403),
    (Forbidden, 403),
    (AccessDenied, 403),
    (NotFound, 404),
    (FingerImageTooLarge, 413),
    (AlertTransitionRefused, 409),
    (CaseRefused, 409),
    (NotRefused, 409),
    (DecisionConflict, 409),
    (RequestIdReused, 409),
    (FollowUpClosed, 409),
    (ReportAlreadyFiled, 409),
    (FollowUpUndelivered, 502),
    (InvalidInput, 422),
    (DatabaseNotReady, 503),
    (ConfigurationError, 503),
    (PasserelleError, 400),
)
"""Most specific first: the first class an error is an instance of gives its status."""


def status_of(error: Exception) -> int:
    for kind, status in STATUS_OF:
        if isinstance(error, kind):
            return status
    return 500


def error_body(error: PasserelleError) -> dict[str, object]:
    status = status_of(error)
    body: dict[str, object] = {"status": status}
    if isinstance(error, InvalidInput):
        body["detail"] = f"{error.field}: {error.reason}"
        body["field"] = error.field
    else:
        body["detail"] = str(error)
    return body


def with_security_headers(answer: Response, request: Request) -> Response:
    """``answer`` with the headers :class:`~passerelle.http.middleware.SecurityHeaders` gives
    every response: a 500 is sent by Starlette's outermost layer, outside that middleware."""
    state = request.scope.get("state", {})
    extra = state.get(SECURITY_HEADERS_STATE) or tuple(
        (name.encode(), value.encode()) for name, value in SECURITY_HEADERS
    )
    for name, value in extra:
        if name.decode() not in answer.headers:
            answer.headers[name.decode()] = value.decode()
    if "request_id" in state:
        answer.headers["x-request-id"] = str(state["request_id"])
    return answer


UNDECODABLE_BODY = "not JSON text in UTF-8"


def undecodable_body(exc: StarletteHTTPException) -> bool:
    """FastAPI's own 400 for a body it could not read as text (bytes that are not UTF-8):
    a refused input like any other, answered 422 naming ``body`` as the document says."""
    return exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError)


HtmlError = Callable[[Request, int, str, Exception], Response]
"""Renders an error as a web page (the pages' own look), given the status and the words."""


def wants_html(request: Request) -> bool:
    """A browser page (not the API, not the OpenAPI documents)."""
    path = request.url.path
    return not path.startswith(("/api/", "/docs", "/openapi.json", "/static/"))


def install_error_handlers(app: FastAPI, *, html_error: HtmlError | None = None) -> None:
    """Map Passerelle errors, validation errors and anything unexpected to JSON answers, or
    to pages through ``html_error`` for the web pages."""

    def page_or(
        request: Request, status: int, detail: str, exc: Exception, answer: Callable[[], Response]
    ) -> Response:
        if html_error is not None and wants_html(request):
            return html_error(request, status, detail, exc)
        return answer()

    async def passerelle_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PasserelleError)
        body = error_body(exc)
        headers = {}
        if isinstance(exc, LoginThrottled):
            wait = (exc.retry_after - datetime.now(UTC)).total_seconds()
            headers["retry-after"] = str(max(1, math.ceil(wait)))
        if isinstance(exc, PhotoRateExceeded):
            headers["retry-after"] = str(max(1, exc.retry_after_s))
        if isinstance(exc, AuthenticationFailed) and not isinstance(exc, LoginThrottled):
            headers["www-authenticate"] = "Bearer"
        status = int(str(body["status"]))
        return page_or(
            request,
            status,
            str(body["detail"]),
            exc,
            lambda: JSONResponse(body, status_code=status, headers=headers),
        )

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid"}
        loc = [part for part in first.get("loc", ()) if part != "body"]
        field = (
            ".".join(
                str(part) if isinstance(part, int) else shown_field_name(str(part)) for part in loc
            )
            or "body"
        )
        reason = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        detail = f"{field}: {reason}"
        return page_or(
            request,
            422,
            detail,
            exc,
            lambda: JSONResponse(
                {"detail": detail, "field": field, "status": 422}, status_code=422
            ),
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if undecodable_body(exc):
            detail = f"body: {UNDECODABLE_BODY}"
            return page_or(
                request,
                422,
                detail,
                exc,
                lambda: JSONResponse(
                    {"detail": detail, "field": "body", "status": 422}, status_code=422
                ),
            )
        return page_or(
            request,
            exc.status_code,
            str(exc.detail),
            exc,
            lambda: JSONResponse(
                {"detail": str(exc.detail), "status": exc.status_code},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            ),
        )

    async def unexpected(request: Request, exc: Exception) -> Response:
        reference = request.scope.get("state", {}).get("request_id", "-")
        log.exception(
            "unexpected error answering %s %s [%s]", request.method, request.url.path, reference
        )
        detail = f"internal error (reference {reference})"
        answer = page_or(
            request,
            500,
            detail,
            exc,
            lambda: JSONResponse({"detail": detail, "status": 500}, status_code=500),
        )
        return with_security_headers(answer, request)

    app.add_exception_handler(PasserelleError, passerelle_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
