"""A body over the size limit is refused with 413 however it is sent, on a real server.

``Content-Length`` lets the limit refuse before reading; a chunked body (no length) is
counted while it streams in, and must be answered 413 too, not 400.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from passerelle.server.ports import free_port as _free_port
from tests.api.conftest import Api


@contextmanager
def serving(api: Api) -> Iterator[str]:
    """The API's application served by a real uvicorn on loopback, until the block ends."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(api.client.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        threading.Event().wait(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def _chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"A" * piece


def test_a_chunked_body_over_the_limit_is_answered_413(api: Api) -> None:
    limit = api.services.node.settings.max_request_bytes
    with serving(api) as url, httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post(
            "/api/v1/inspections",
            content=_chunks(limit + 1024 * 1024),
            headers={**api.as_role("officer"), "content-type": "application/json"},
        )
    assert "content-length" not in answer.request.headers
    assert answer.request.headers["transfer-encoding"] == "chunked"
    assert answer.status_code == 413
    assert answer.json() == {"detail": f"body: larger than {limit} bytes", "status": 413}


def test_a_chunked_body_within_the_limit_is_read(api: Api) -> None:
    with serving(api) as url, httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post(
            "/api/v1/inspections",
            content=iter([b'{"purpose": "border control"', b"}"]),
            headers={**api.as_role("officer"), "content-type": "application/json"},
        )
    assert answer.status_code == 422  # read, then refused for what it lacks
    assert answer.json()["field"] == "crossing_point"
