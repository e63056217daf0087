"""``POST /api/v1/inspections`` with a ``request_id``: a retry answers the inspection it made."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.screening.conftest import passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
REQUEST_ID = "booth-b3-000417-2026-11-25"


def test_the_same_request_sent_twice_answers_one_inspection(api: Api) -> None:
    body = {**BODY, "mrz": passport(), "request_id": REQUEST_ID}
    first = api.client.post("/api/v1/inspections", json=body, headers=api.as_role("officer"))
    again = api.client.post("/api/v1/inspections", json=body, headers=api.as_role("officer"))
    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["inspection_id"] == first.json()["inspection_id"]
    assert again.json()["decision"] == first.json()["decision"] == "clear"


def test_a_request_id_out_of_shape_is_answered_422_naming_it(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(), "request_id": "b3 #1"},
        headers=api.as_role("officer"),
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "request_id"
    assert "8 to 64" in answer.json()["detail"]


def test_a_request_id_reused_for_another_traveller_is_answered_409(api: Api) -> None:
    officer = api.as_role("officer")
    body = {**BODY, "request_id": REQUEST_ID}
    api.client.post("/api/v1/inspections", json={**body, "mrz": passport()}, headers=officer)
    other = api.client.post(
        "/api/v1/inspections",
        json={**body, "mrz": passport(number="YY1234567")},
        headers=officer,
    )
    assert other.status_code == 409
    assert other.json()["field"] == "request_id"
