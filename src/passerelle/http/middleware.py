"""What every response and request passes through: security headers, size limits, request ids.

Written as plain ASGI middleware (no per-request task or body copy), so that
a photo upload is counted while it streams in and refused with 413 as soon as
it passes the limit, before the application reads it.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = [
    "DOCS_CSP",
    "DOCS_PAGES",
    "SECURITY_HEADERS",
    "SECURITY_HEADERS_STATE",
    "BodySizeLimit",
    "SecurityHeaders",
]

DOCS_PAGES = ("/docs", "/redoc")
"""The API's documentation pages (``passerelle.server.docs``), which get :data:`DOCS_CSP`."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
DOCS_CSP = _CSP + "; worker-src 'self' blob:"
"""The CSP of ``/docs`` and ``/redoc`` (:mod:`passerelle.server.docs`) only: ReDoc runs its
search in a worker it makes from a ``blob:`` URL. Everything still loads from the node."""

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", _CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(self), microphone=(), geolocation=(), payment=()"),
    ("cache-control", "no-store"),
)
"""Sent with every response that does not set the header itself. Plotly sets inline
styles, hence ``'unsafe-inline'`` for styles only; scripts come from the node itself,
never inline. Pages carry personal data, so nothing is cached (static files say
otherwise)."""


SECURITY_HEADERS_STATE = "security_headers"
"""Where :class:`SecurityHeaders` leaves the headers of the request in ``scope["state"]``:
an unexpected exception is answered by Starlette's outermost layer, which this middleware
does not wrap, so the 500 handler (:mod:`passerelle.http.errors`) adds them itself."""


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` (and a request id) to every HTTP response; the API
    documentation pages get :data:`DOCS_CSP` instead of the usual policy."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.extra: tuple[tuple[bytes, bytes], ...] = tuple(
            (name.encode(), value.encode()) for name, value in SECURITY_HEADERS
        ) + (
            ((b"strict-transport-security", b"max-age=31536000; includeSubDomains"),)
            if hsts
            else ()
        )
        self.docs_extra = tuple(
            (name, DOCS_CSP.encode() if name == b"content-security-policy" else value)
            for name, value in self.extra
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        extra = self.docs_extra if scope.get("path") in DOCS_PAGES else self.extra
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state[SECURITY_HEADERS_STATE] = extra  # for the 500 answer, sent outside this layer

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}  # the route's own win
                headers.extend((n, v) for n, v in extra if n not in present)
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimit:
    """Refuses request bodies over ``limit`` bytes with 413, whether declared or streamed."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                await _refuse(send, 400, "content-length: is not a number")
                return
            if too_big:
                await _refuse(send, 413, f"body: larger than {self.limit} bytes")
                return
        received = 0
        started = False
        refused = False

        async def counting_receive() -> Message:
            # A body without Content-Length (chunked) is counted as it streams in; past the
            # limit the 413 is sent here, at once: the application's body reader turns any
            # exception into its own 400, which ``tracking_send`` then drops.
            nonlocal received, started, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    if not started:
                        started = refused = True
                        await _refuse(send, 413, f"body: larger than {self.limit} bytes")
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is already the answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        # _TooLarge: answered 413 in counting_receive (or the answer had already started)
        with contextlib.suppress(_TooLarge):
            await self.app(scope, counting_receive, tracking_send)


class _TooLarge(Exception):
    pass


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail, "status": status}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
