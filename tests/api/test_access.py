"""Every endpoint enforces its role; no one unauthenticated gets anything."""

from __future__ import annotations

import pytest

from tests.api.conftest import ROLES, Api
from tests.screening.conftest import passport

INSPECTION = {
    "mrz": "",
    "purpose": "border control",
    "crossing_point": "TNG-MED",
    "direction": "entry",
}
ENDPOINTS = {
    ("POST", "/api/v1/inspections"): {"officer"},
    ("GET", "/api/v1/hits"): {"analyst"},
    ("GET", "/api/v1/alerts?purpose=review"): {"analyst"},
    ("GET", "/api/v1/sltd/MAR/AB1234567?purpose=check"): {"officer", "analyst"},
    ("GET", "/api/v1/watchlist/search?name=Mohamed&purpose=check"): {"officer", "analyst"},
    ("GET", "/api/v1/watchlist/MAR-W-0001?purpose=check"): {"officer", "analyst"},
    ("GET", "/api/v1/crossings/MAR/ZX9876543?purpose=check"): {"officer", "analyst"},
    ("GET", "/api/v1/audit"): {"auditor"},
    ("GET", "/api/v1/audit/verify"): {"auditor"},
}


@pytest.mark.parametrize(("method", "path"), sorted(ENDPOINTS))
def test_each_role_is_let_in_or_refused_by_name(api: Api, method: str, path: str) -> None:
    allowed = ENDPOINTS[(method, path)]
    body = {**INSPECTION, "mrz": passport()} if method == "POST" else None
    for role in ROLES:
        answer = api.client.request(method, path, json=body, headers=api.as_role(role))
        if role in allowed:
            assert answer.status_code in (200, 201), (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.text)
            assert role in answer.json()["detail"]
    nobody = api.client.request(method, path, json=body)
    assert nobody.status_code == 401
    assert nobody.headers["www-authenticate"] == "Bearer"
    forged = api.client.request(
        method, path, json=body, headers={"authorization": "Bearer psr_" + "x" * 43}
    )
    assert forged.status_code == 401


def test_a_search_without_a_purpose_is_refused(api: Api) -> None:
    answer = api.client.get("/api/v1/sltd/MAR/AB1234567", headers=api.as_role("officer"))
    assert answer.status_code == 422
    assert answer.json()["field"] == "query.purpose"


def test_searches_land_in_the_audit_trail_with_who_and_why(api: Api) -> None:
    api.client.get(
        "/api/v1/watchlist/search?name=محمد بن علي&birth_date=1985-03-02&purpose=second-line check",
        headers=api.as_role("analyst"),
    )
    records = api.client.get(
        "/api/v1/audit?action=watchlist.search", headers=api.as_role("auditor")
    ).json()["records"]
    assert records[0]["actor"] == "analyst.one"
    assert records[0]["purpose"] == "second-line check"
    assert records[0]["result"]["ids"][0] == "MAR-W-0001"  # ranked first
    verdict = api.client.get("/api/v1/audit/verify", headers=api.as_role("auditor")).json()
    assert verdict["intact"] is True
