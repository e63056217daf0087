"""Where a request's analysis reads ran, and reading one's own changes through a replica.

On a node with an analysts' replica (``PASSERELLE_REPLICA_DATABASE_URL``) this ASGI
middleware

* collects the request's analysis readings (``passerelle.store.replica``): the pages show
  them ("data as of …"), every answer that read carries ``Passerelle-Read-From``
  (``replica`` or ``primary``) and, from the replica, ``Passerelle-Data-As-Of`` (the
  primary's commit time of the last transaction the replica had replayed, ISO 8601);
* after a page's change (a POST, PUT, PATCH or DELETE answered below 400, from a browser
  with a session and no bearer token; the booth's pages aside), sets cookie
  :data:`WRITTEN_COOKIE` to the primary's WAL position; the reader's next analysis reads
  go to the primary until the replica has replayed it, so a review just saved shows at
  once. The position says nothing about anyone (a forged one
  only sends its reader to the primary or the replica, both of which it may read).

Without a replica it passes every request through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio.to_thread
from starlette.requests import cookie_parser

from passerelle.http.deps import SESSION_COOKIE
from passerelle.store.replica import AnalysisReads, checked_position, noting_readings

__all__ = ["DATA_AS_OF_HEADER", "READ_FROM_HEADER", "WRITTEN_COOKIE", "ReplicaReads"]

WRITTEN_COOKIE = "passerelle_written"
READ_FROM_HEADER = "passerelle-read-from"
DATA_AS_OF_HEADER = "passerelle-data-as-of"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BOOTH = "/check"
"""The booth's pages never read the replica: their changes need no position."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _reads(scope: Scope) -> AnalysisReads | None:
    app = scope.get("app")
    services = getattr(getattr(app, "state", None), "services", None)
    reads: AnalysisReads | None = getattr(getattr(services, "node", None), "reads", None)
    return reads if reads is not None and reads.has_replica else None


class ReplicaReads:
    """Notes each request's analysis readings and keeps a reader's own changes in view."""

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app, self.secure = app, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reads = _reads(scope) if scope["type"] == "http" else None
        if reads is None:
            await self.app(scope, receive, send)
            return
        cookies = cookie_parser(_header(scope, b"cookie"))
        changing = (
            scope["method"] in _UNSAFE
            and SESSION_COOKIE in cookies
            and not _header(scope, b"authorization")  # a page's form, not an API client
            and not str(scope.get("path", "")).startswith(_BOOTH)
        )
        with noting_readings(checked_position(cookies.get(WRITTEN_COOKIE))) as notes:

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    reading = notes.reading
                    if reading is not None:
                        headers.append((READ_FROM_HEADER.encode(), reading.source.encode()))
                        if reading.as_of is not None:
                            as_of = reading.as_of.isoformat().encode()
                            headers.append((DATA_AS_OF_HEADER.encode(), as_of))
                    if changing and message["status"] < 400:
                        position = await anyio.to_thread.run_sync(reads.write_position)
                        if position is not None:
                            headers.append((b"set-cookie", self._cookie(position)))
                    message["headers"] = headers
                await send(message)

            await self.app(scope, receive, sending)

    def _cookie(self, position: str) -> bytes:
        secure = "; Secure" if self.secure else ""
        return f"{WRITTEN_COOKIE}={position}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""
