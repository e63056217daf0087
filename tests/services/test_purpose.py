"""A purpose must say something: blanks, zero-width spaces and direction marks alone are
refused wherever a purpose is taken (issue 15: an invisible purpose passed the check)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from passerelle.exc import InvalidInput
from passerelle.screening import InspectionRequest
from passerelle.services.common import checked_purpose
from passerelle.store import Actor
from tests.api.conftest import Api, passport

INVISIBLE = ("\u200b", " \u200f\u200e ", "\ufeff\u2060", "\t\u00a0")
OFFICER = Actor("officer.one", "user", "officer")


@pytest.mark.parametrize("purpose", INVISIBLE)
def test_a_search_purpose_of_invisible_characters_is_refused(purpose: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_purpose(purpose)
    assert refused.value.field == "purpose"


@pytest.mark.parametrize("purpose", INVISIBLE)
def test_an_inspection_purpose_of_invisible_characters_is_refused(purpose: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        InspectionRequest(
            mrz=passport(),
            purpose=purpose,
            crossing_point="TNG-MED",
            direction="entry",
            officer=OFFICER,
            at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        )
    assert refused.value.field == "purpose"


def test_purposes_in_any_script_pass() -> None:
    assert checked_purpose(" مراقبة الحدود ") == "مراقبة الحدود"
    assert checked_purpose("contrôle 2") == "contrôle 2"


def _searches(api: Api) -> int:
    records = api.client.get("/api/v1/audit", headers=api.as_role("auditor")).json()["records"]
    return sum(1 for r in records if r["action"] == "inspection.search")


def test_the_api_answers_422_naming_the_purpose_and_records_nothing(api: Api) -> None:
    body = {"mrz": passport(), "crossing_point": "TNG-MED", "direction": "entry"}
    before = _searches(api)
    refused = api.client.post(
        "/api/v1/inspections", json={**body, "purpose": "\u200b"}, headers=api.as_role("officer")
    )
    assert refused.status_code == 422
    assert "purpose" in refused.text
    assert _searches(api) == before
    done = api.client.post(
        "/api/v1/inspections",
        json={**body, "purpose": "border control"},
        headers=api.as_role("officer"),
    )
    assert done.status_code == 201
    assert _searches(api) == before + 1
