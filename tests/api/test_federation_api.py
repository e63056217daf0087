"""``/api/v1/federation/followups``: analysts' work only; the inspection's federation flag."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.wiring import connect
from tests.api.conftest import Api
from tests.screening.conftest import passport

PATHS = (
    ("get", "/api/v1/federation/followups?direction=incoming", None),
    ("post", "/api/v1/federation/followups", {"reference": "BEL:X", "justification": "x" * 20}),
    ("post", "/api/v1/federation/followups/abc/approve", {"note": None}),
    ("post", "/api/v1/federation/followups/abc/refuse", {"note": "no"}),
    ("get", "/api/v1/federation/refused-shares", None),
    ("get", "/api/v1/federation/outbox", None),
)


@pytest.mark.parametrize("role", ["officer", "auditor", "admin", "partner"])
def test_only_analysts_may_touch_follow_ups(api: Api, role: str) -> None:
    for method, path, body in PATHS:
        answer = api.client.request(method, path, json=body, headers=api.as_role(role))
        assert answer.status_code == 403, (role, path, answer.text)


def test_an_analyst_lists_follow_ups_and_a_bad_direction_is_refused(api: Api) -> None:
    analyst = api.as_role("analyst")
    listed = api.client.get("/api/v1/federation/followups?direction=outgoing", headers=analyst)
    assert listed.status_code == 200
    assert listed.json() == {"direction": "outgoing", "followups": []}
    kept = api.client.get("/api/v1/federation/refused-shares", headers=analyst)
    assert kept.status_code == 200
    assert kept.json() == {"refused_shares": []}
    waiting = api.client.get("/api/v1/federation/outbox", headers=analyst)
    assert waiting.status_code == 200
    assert waiting.json() == {"outbox": []}
    bad = api.client.get("/api/v1/federation/followups?direction=sideways", headers=analyst)
    assert bad.status_code == 422
    assert bad.json()["field"] == "query.direction"


def test_a_request_without_a_partner_link_or_with_a_bad_reference_is_refused(api: Api) -> None:
    analyst = api.as_role("analyst")
    bad = api.client.post(
        "/api/v1/federation/followups",
        json={"reference": "nonsense", "justification": "held at the booth, checking"},
        headers=analyst,
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "reference"
    unlinked = api.client.post(
        "/api/v1/federation/followups",
        json={
            "reference": "BEL:BEL-AAAQEAYEAUDAOCAJBIFQYDIOB4",
            "justification": "held at the booth, checking",
        },
        headers=analyst,
    )
    assert unlinked.status_code == 503
    assert "not configured" in unlinked.json()["detail"]
    unknown = api.client.post(
        "/api/v1/federation/followups/8d3e0f1a-1b2c-4d5e-8f90-a1b2c3d4e5f6/approve",
        json={"note": None},
        headers=analyst,
    )
    assert unknown.status_code == 404


def test_an_inspection_asking_for_the_partners_on_an_unlinked_node_says_not_configured(
    api: Api,
) -> None:
    body = {
        "mrz": passport(),
        "purpose": "border control",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "federation": True,
    }
    result = api.client.post("/api/v1/inspections", json=body, headers=api.as_role("officer"))
    assert result.status_code == 201, result.text
    answer = result.json()
    assert answer["decision"] == "clear"
    assert answer["sources"]["federation"] == "grey"
    (finding,) = [f for f in answer["findings"] if f["source"] == "federation"]
    assert (finding["code"], finding["severity"]) == ("not_configured", "info")
    plain = api.client.post(
        "/api/v1/inspections", json={**body, "federation": None}, headers=api.as_role("officer")
    ).json()
    assert "federation" not in plain["sources"]


def test_federation_on_without_identity_files_warns_and_is_not_configured(
    node: Node, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    node.settings = Settings(home=tmp_path / "bare", federation="on")
    with caplog.at_level(logging.WARNING, logger="passerelle.api"):
        link = connect(node)
    assert not link.configured
    assert link.status.startswith("federation is not configured (no node identity")
    assert any("federation.not_configured" in r.getMessage() for r in caplog.records)
