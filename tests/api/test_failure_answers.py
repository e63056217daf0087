"""An unexpected failure is answered 500 with the same security headers as every other answer
(it is sent outside the headers middleware), and with words, not the exception."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from passerelle.http.middleware import SECURITY_HEADERS
from passerelle.node import Node
from passerelle.server import create_app
from tests.api.conftest import fast_services
from tests.screening.conftest import node  # noqa: F401  (fixture)

SECRET = "secret internal detail /srv/passerelle/x.py line 12"


@pytest.fixture
def failing(node: Node) -> Iterator[TestClient]:  # noqa: F811
    """The real app with two extra routes that fail: one of the API, one page."""
    app = create_app(node=node, wire=fast_services)

    def fail() -> None:
        raise RuntimeError(SECRET)

    app.add_api_route("/api/v1/failing", fail)
    app.add_api_route("/failing", fail)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("path", ["/api/v1/failing", "/failing"])
def test_a_500_carries_the_security_headers_and_no_detail(failing: TestClient, path: str) -> None:
    answer = failing.get(path)
    assert answer.status_code == 500
    for name, value in SECURITY_HEADERS:
        assert answer.headers[name] == value, name
    reference = answer.headers["x-request-id"]
    assert reference in answer.text
    assert "secret" not in answer.text
    assert "RuntimeError" not in answer.text
    assert "Traceback" not in answer.text


def test_the_api_500_is_json_the_page_500_is_a_page(failing: TestClient) -> None:
    api = failing.get("/api/v1/failing")
    assert api.json() == {
        "detail": f"internal error (reference {api.headers['x-request-id']})",
        "status": 500,
    }
    page = failing.get("/failing")
    assert page.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in page.text
