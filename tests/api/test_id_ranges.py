"""An id outside the store's range (1 .. 2**63 - 1) is refused 422 naming the field, on every
route that takes one, on both backends; it never reaches the driver (which overflowed: 500)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.server import create_app
from passerelle.settings import Settings
from passerelle.store import AuditTrail, Database
from tests.api.conftest import FAST, PASSWORD, SETUP, fast_services
from tests.conftest import Clock, with_biometric_key
from tests.web.test_pages import csrf, login

OUT_OF_RANGE = [2**63, 2**64, -1, 0]

API_ROUTES: tuple[tuple[str, str, str, object], ...] = (
    # (role, method, path with {id}, JSON body with {id} as "ID")
    ("analyst", "POST", "/api/v1/cases", {"review_ids": ["ID"], "title": "t"}),
    ("analyst", "POST", "/api/v1/cases/C-1/reviews", {"review_ids": ["ID"]}),
    ("analyst", "POST", "/api/v1/hits/{id}/confirm", {}),
    ("analyst", "POST", "/api/v1/hits/{id}/dismiss", {"note": "no"}),
    ("analyst", "POST", "/api/v1/hits/{id}/notes", {"text": "a note"}),
    ("analyst", "GET", "/api/v1/hits/{id}", None),
    ("officer", "GET", "/api/v1/inspections/I-1/seizures/{id}/receipt.pdf", None),
    ("auditor", "GET", "/api/v1/audit?before={id}", None),
)

PAGE_ROUTES: tuple[tuple[str, str, str, dict[str, object]], ...] = (
    # (role, method, path with {id}, form with {id} as "ID")
    ("analyst", "POST", "/review/{id}/notes", {"text": "a note"}),
    ("analyst", "POST", "/review/{id}", {"verdict": "confirm"}),
    ("analyst", "POST", "/cases", {"title": "t", "review_ids": "ID"}),
    ("analyst", "POST", "/cases/link", {"case_id": "C-1", "review_ids": "ID"}),
    ("analyst", "POST", "/cases/C-1/reviews", {"review_id": "ID"}),
    ("officer", "GET", "/check/I-1/seizures/{id}/receipt.pdf", {}),
    ("auditor", "GET", "/audit?before={id}", {}),
)


@pytest.fixture
def client(
    database: Database, tmp_path: Path, clock: Clock
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The real app over an empty node on each backend, with a token per role."""
    url = database.engine.url.render_as_string(hide_password=False)
    node = Node(
        settings=with_biometric_key(Settings(home=tmp_path / "home", database_url=url)),
        database=database,
        audit=AuditTrail(secrets.token_bytes(32)),
        clock=clock,
    )
    access = AccessControl.for_node(node, hashing=FAST)
    tokens = {}
    for role in ("officer", "analyst", "auditor"):
        access.add_user(f"{role}.one", role, PASSWORD, by=SETUP)
        tokens[role] = access.issue_token(f"{role}.one", by=SETUP).token
    with TestClient(create_app(node=node, wire=fast_services), raise_server_exceptions=False) as c:
        yield c, tokens


def _fill(value: object, number: int) -> object:
    if value == "ID":
        return number
    if isinstance(value, list):
        return [_fill(item, number) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, number) for key, item in value.items()}
    return value


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_the_api_refuses_an_id_out_of_range_naming_it(
    client: tuple[TestClient, dict[str, str]], number: int
) -> None:
    api, tokens = client
    for role, method, path, body in API_ROUTES:
        answer = api.request(
            method,
            path.format(id=number),
            json=_fill(body, number),
            headers={"authorization": f"Bearer {tokens[role]}"},
        )
        assert answer.status_code == 422, (path, number, answer.text)
        field = answer.json()["field"]
        assert re.fullmatch(r"(path|query)\.(review_id|number|before)|review_ids\.0", field), field


@pytest.mark.parametrize("number", [2**63, -1])
def test_the_pages_refuse_an_id_out_of_range(
    client: tuple[TestClient, dict[str, str]], number: int
) -> None:
    pages, _ = client
    for role, method, path, form in PAGE_ROUTES:
        pages.cookies.clear()
        assert login(pages, f"{role}.one") == 303
        token = csrf(pages.get("/cases" if role == "analyst" else "/").text)
        data = {key: str(_fill(value, number)) for key, value in form.items()}
        answer = pages.request(
            method,
            path.format(id=number),
            data={**data, "csrf_token": token} if method == "POST" else None,
            follow_redirects=False,
        )
        assert answer.status_code == 422, (path, number, answer.status_code)
        assert re.search(r"review_ids?|number|before", answer.text), path
        assert "Traceback" not in answer.text
