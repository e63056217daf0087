"""``POST /api/v1/inspections``: one call, every check, a decision with its reasons."""

from __future__ import annotations

import base64

from passerelle.documents.compose import compose_french_id
from tests.api.conftest import Api
from tests.screening.conftest import STOLEN_NUMBER, passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}


def test_a_clean_traveller_is_cleared_and_the_answer_carries_the_document(api: Api) -> None:
    answer = api.client.post(
        "/api/v1/inspections", json={**BODY, "mrz": passport()}, headers=api.as_role("officer")
    )
    assert answer.status_code == 201, answer.text
    result = answer.json()
    assert result["decision"] == "clear"
    assert result["document"]["document_number"] == "ZX9876543"
    assert result["sources"]["sltd"] == "green"
    assert result["crossing_id"] is not None
    again = api.client.get(
        f"/api/v1/inspections/{result['inspection_id']}", headers=api.as_role("officer")
    )
    assert again.status_code == 200
    assert again.json()["decision"] == "clear"


def test_a_stolen_passport_is_a_hit_queued_for_review(api: Api) -> None:
    result = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(number=STOLEN_NUMBER)},
        headers=api.as_role("officer"),
    ).json()
    assert result["decision"] == "hit"
    assert any(f["source"] == "sltd" and f["severity"] == "hit" for f in result["findings"])
    queue = api.client.get("/api/v1/hits", headers=api.as_role("analyst")).json()["hits"]
    (review,) = [h for h in queue if h["inspection_id"] == result["inspection_id"]]
    dismissed = api.client.post(
        f"/api/v1/hits/{review['id']}/dismiss", json={"note": ""}, headers=api.as_role("analyst")
    )
    assert dismissed.status_code == 422
    assert dismissed.json()["field"] == "note"
    confirmed = api.client.post(
        f"/api/v1/hits/{review['id']}/confirm",
        json={"note": "passport seized"},
        headers=api.as_role("analyst"),
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"


def test_the_officer_records_a_decision_once(api: Api) -> None:
    officer = api.as_role("officer")
    result = api.client.post(
        "/api/v1/inspections", json={**BODY, "mrz": passport()}, headers=officer
    ).json()
    path = f"/api/v1/inspections/{result['inspection_id']}/decision"
    first = api.client.post(
        path, json={"action": "admit", "reason_code": "cleared"}, headers=officer
    )
    assert first.status_code == 200, first.text
    assert first.json()["officer_decision"]["action"] == "admit"
    second = api.client.post(path, json={"action": "refuse", "reason_code": "b"}, headers=officer)
    assert second.status_code == 422


def test_bad_input_is_named_and_stores_nothing(api: Api) -> None:
    officer = api.as_role("officer")
    no_purpose = api.client.post(
        "/api/v1/inspections", json={**BODY, "purpose": "", "mrz": passport()}, headers=officer
    )
    assert no_purpose.status_code == 422
    assert no_purpose.json()["field"] == "purpose"
    bad_photo = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(), "live_photo": "not base64!"},
        headers=officer,
    )
    assert bad_photo.status_code == 422
    assert bad_photo.json()["detail"] == "live_photo: is not valid base64"
    unknown_field = api.client.post(
        "/api/v1/inspections", json={**BODY, "mrz": passport(), "extra": 1}, headers=officer
    )
    assert unknown_field.status_code == 422
    assert unknown_field.json()["field"] == "extra"
    missing = api.client.get("/api/v1/inspections/nope", headers=officer)
    assert missing.status_code == 404


def test_an_unusable_photo_refers_the_traveller_with_the_reason(api: Api) -> None:
    junk = base64.b64encode(b"\x89PNG not really").decode()
    result = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(), "live_photo": junk, "document_photo": junk},
        headers=api.as_role("officer"),
    ).json()
    assert result["decision"] == "refer"
    assert any(f["source"] == "face" for f in result["findings"])


def test_a_confirmed_alert_hit_is_recorded_on_the_alert(api: Api) -> None:
    result = api.client.post(
        "/api/v1/inspections",
        json={
            **BODY,
            "mrz": passport(surname="HADDAD", given_names="KARIM", birth_date="800615", sex="M"),
        },
        headers=api.as_role("officer"),
    ).json()
    assert result["decision"] == "hit"
    analyst = api.as_role("analyst")
    queue = api.client.get("/api/v1/hits", headers=analyst).json()["hits"]
    (review,) = [h for h in queue if h["source"] == "alerts"]
    assert review["reference"] == "MAR-A-0042"
    before = api.client.get("/api/v1/alerts/MAR-A-0042", headers=analyst).json()
    assert before["status"] == "active"
    api.client.post(
        f"/api/v1/hits/{review['id']}/confirm", json={"note": "held"}, headers=analyst
    ).raise_for_status()
    after = api.client.get("/api/v1/alerts/MAR-A-0042", headers=analyst).json()
    assert after["status"] == "hit"


def test_a_french_national_card_of_1988_2021_is_read_in_its_own_format(api: Api) -> None:
    card = compose_french_id(
        document_number="150592012345",
        birth_date="900421",
        surname="LAMRANI",
        given_names="SALMA",
        sex="F",
        office="920123",
    )
    answer = api.client.post(
        "/api/v1/inspections", json={**BODY, "mrz": card}, headers=api.as_role("officer")
    )
    assert answer.status_code == 201, answer.text
    document = answer.json()["document"]
    assert document["format"] == "FRA-ID"
    assert document["well_formed"] is True
    assert (document["nationality"], document["expiry_date"]) == ("FRA", None)
    assert document["optional_data"] == "920123"
    assert [f["field"] for f in document["findings"]] == ["expiry_date"]
