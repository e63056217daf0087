"""``/docs`` and ``/redoc`` load everything from the node (no CDN); only they get the
documentation pages' CSP. The browser test (tests/web/test_docs_browser.py) renders them."""

from __future__ import annotations

import re

import pytest

from passerelle.http.middleware import DOCS_CSP, SECURITY_HEADERS
from tests.api.conftest import Api

STRICT_CSP = dict(SECURITY_HEADERS)["content-security-policy"]
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_loads_only_the_node_s_own_files(api: Api, page: str) -> None:
    answer = api.client.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == DOCS_CSP
    assert "<script>" not in answer.text  # no inline script: script-src stays 'self'
    sources = re.findall(r'(?:src|href|spec-url|data-openapi-url)="([^"]+)"', answer.text)
    assert sources
    for source in sources:
        assert source.startswith("/"), source  # the node itself, never a CDN
        fetched = api.client.get(source)
        assert fetched.status_code == 200, source
        assert fetched.content, source
        suffix = source[source.rfind(".") :]
        if suffix in TYPES:
            assert fetched.headers["content-type"].startswith(TYPES[suffix]), source


def test_the_docs_csp_adds_only_workers_to_the_strict_one(api: Api) -> None:
    assert DOCS_CSP == STRICT_CSP + "; worker-src 'self' blob:"
    for path in ("/openapi.json", "/docs/static/swagger-ui.css", "/api/v1/hits", "/login"):
        assert api.client.get(path).headers["content-security-policy"] == STRICT_CSP, path


def test_only_the_docs_files_are_served_under_docs_static(api: Api) -> None:
    answer = api.client.get("/docs/static/..%2F..%2Fsettings.py")
    assert answer.status_code == 404
    assert answer.json()["status"] == 404
