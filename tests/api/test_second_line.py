"""The API's supervisors: a HIT admitted only on a second person's confirmation, and the
second-line queue with its outcomes; existing clients' decision requests still work."""

from __future__ import annotations

from typing import Any

import pytest

from passerelle.access import AccessControl
from tests.api.conftest import FAST, PASSWORD, SETUP, Api
from tests.screening.conftest import STOLEN_NUMBER, passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}


@pytest.fixture
def supervisors(api: Api) -> tuple[dict[str, str], dict[str, str]]:
    """Two supervisors' headers (four eyes need two people)."""
    access = AccessControl.for_node(api.services.node, hashing=FAST)
    headers = []
    for name in ("supervisor.tahiri", "supervisor.bennani"):
        access.add_user(name, "supervisor", PASSWORD, by=SETUP)
        token = access.issue_token(name, by=SETUP).token
        headers.append({"authorization": f"Bearer {token}"})
    return headers[0], headers[1]


def inspect(api: Api, headers: dict[str, str], number: str = "ZX9876543") -> str:
    answer = api.client.post(
        "/api/v1/inspections", json={**BODY, "mrz": passport(number=number)}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    inspection_id: str = answer.json()["inspection_id"]
    return inspection_id


def decide(api: Api, inspection_id: str, headers: dict[str, str], **body: str) -> Any:
    return api.client.post(
        f"/api/v1/inspections/{inspection_id}/decision", json=body, headers=headers
    )


def crossings(api: Api, number: str) -> list[Any]:
    answer = api.client.get(
        f"/api/v1/crossings/MAR/{number}?purpose=test", headers=api.as_role("officer")
    )
    assert answer.status_code == 200, answer.text
    found: list[Any] = answer.json()["crossings"]
    return found


def test_admitting_a_hit_awaits_a_supervisor_who_is_not_the_one_who_asked(
    api: Api, supervisors: tuple[dict[str, str], dict[str, str]]
) -> None:
    officer = api.as_role("officer")
    first, second = supervisors
    inspection_id = inspect(api, officer, STOLEN_NUMBER)

    asked = decide(api, inspection_id, officer, action="admit", reason_code="cleared")

    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["decision_state"] == "awaiting_confirmation"
    assert body["officer_decision"] is None
    assert body["admission"]["status"] == "awaiting"
    assert crossings(api, STOLEN_NUMBER) == []
    again = decide(api, inspection_id, officer, action="refuse", reason_code="false_document")
    assert again.status_code == 409
    assert again.json()["field"] == "action"
    path = f"/api/v1/inspections/{inspection_id}/confirmation"
    by_officer = api.client.post(path, json={"answer": "confirm"}, headers=officer)
    assert by_officer.status_code == 403
    by_analyst = api.client.post(path, json={"answer": "confirm"}, headers=api.as_role("analyst"))
    assert by_analyst.status_code == 403

    queue = api.client.get("/api/v1/second-line", headers=first).json()
    (waiting,) = queue["confirmations"]
    assert waiting["traveller"]["document"] == f"MAR:{STOLEN_NUMBER}"
    assert waiting["admission"]["requested_by"] == "officer.one"

    confirmed = api.client.post(path, json={"answer": "confirm"}, headers=first)

    assert confirmed.status_code == 200, confirmed.text
    done = confirmed.json()
    assert done["decision_state"] == "recorded"
    assert done["officer_decision"]["by"] == "officer.one"
    assert done["officer_decision"]["confirmed_by"] == "supervisor.tahiri"
    assert len(crossings(api, STOLEN_NUMBER)) == 1
    twice = api.client.post(path, json={"answer": "confirm"}, headers=second)
    assert twice.status_code == 422
    assert twice.json()["field"] == "answer"


def test_a_supervisor_confirming_their_own_admission_is_refused_and_nothing_recorded(
    api: Api, supervisors: tuple[dict[str, str], dict[str, str]]
) -> None:
    first, second = supervisors
    inspection_id = inspect(api, first, STOLEN_NUMBER)
    decide(api, inspection_id, first, action="admit", reason_code="cleared")
    path = f"/api/v1/inspections/{inspection_id}/confirmation"

    own = api.client.post(path, json={"answer": "confirm"}, headers=first)

    assert own.status_code == 422
    assert own.json()["field"] == "answer"
    assert "four eyes" in own.json()["detail"]
    assert crossings(api, STOLEN_NUMBER) == []
    record = api.client.get(f"/api/v1/inspections/{inspection_id}", headers=first).json()
    assert record["decision_state"] == "awaiting_confirmation"
    no_note = api.client.post(path, json={"answer": "decline"}, headers=second)
    assert no_note.status_code == 422
    assert no_note.json()["field"] == "note"
    declined = api.client.post(
        path, json={"answer": "decline", "note": "the record stands"}, headers=second
    ).json()
    assert declined["decision_state"] == "undecided"
    assert declined["admission"]["status"] == "declined"


def test_a_referral_is_queued_at_its_point_and_closed_by_one_outcome(
    api: Api, supervisors: tuple[dict[str, str], dict[str, str]]
) -> None:
    officer = api.as_role("officer")
    first, _ = supervisors
    inspection_id = inspect(api, officer)
    referred = decide(api, inspection_id, officer, action="refer", reason_code="identity_doubt")
    assert referred.json()["decision_state"] == "recorded"
    assert referred.json()["second_line"]["crossing_point"] == "TNG-MED"

    queue = api.client.get("/api/v1/second-line?crossing_point=tng-med", headers=first).json()
    (waiting,) = queue["referrals"]
    assert waiting["reason_label"] == "Doubt about the holder's identity"
    assert waiting["traveller"]["name"] == "LAMRANI SALMA"
    elsewhere = api.client.get("/api/v1/second-line?crossing_point=CMN-T1", headers=first)
    assert elsewhere.json()["referrals"] == []
    assert api.client.get("/api/v1/second-line", headers=officer).status_code == 403

    path = f"/api/v1/inspections/{inspection_id}/second-line-outcome"
    no_service = api.client.post(
        path, json={"outcome": "handed_over", "notes": "customs"}, headers=first
    )
    assert no_service.status_code == 422
    assert no_service.json()["field"] == "handed_to"
    unknown = api.client.post(path, json={"outcome": "released"}, headers=first)
    assert unknown.status_code == 422
    by_officer = api.client.post(
        path, json={"outcome": "refused", "notes": "no visa"}, headers=officer
    )
    assert by_officer.status_code == 403

    done = api.client.post(path, json={"outcome": "refused", "notes": "no visa"}, headers=first)

    assert done.status_code == 200, done.text
    assert done.json()["second_line"]["outcome"] == "refused"
    assert crossings(api, "ZX9876543") == []
    again = api.client.post(path, json={"outcome": "arrested", "notes": "x"}, headers=first)
    assert again.status_code == 422
    assert again.json()["field"] == "outcome"
    assert api.client.get("/api/v1/second-line", headers=first).json()["referrals"] == []


def test_an_outcome_for_a_traveller_not_referred_is_refused(
    api: Api, supervisors: tuple[dict[str, str], dict[str, str]]
) -> None:
    first, _ = supervisors
    inspection_id = inspect(api, api.as_role("officer"))
    answer = api.client.post(
        f"/api/v1/inspections/{inspection_id}/second-line-outcome",
        json={"outcome": "admitted_after_check"},
        headers=first,
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "outcome"
