"""The API's contract for alert actions: ``action_code`` on alerts, ``action`` on the verdict,
and ``POST /inspections/{id}/reports`` (once; refused naming the field)."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.screening.conftest import passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
WATCHED = "ZX9876543"
ALERT = {
    "id": "MAR-S-9",
    "category": "surveillance",
    "subject": {"kind": "document", "issuing_state": "MAR", "document_number": WATCHED},
    "issuing_authority": "DGST liaison cell",
    "action": "Let pass as usual; report companions.",
}


def test_an_alert_takes_the_categorys_action_unless_told_and_refuses_an_unknown_one(
    api: Api,
) -> None:
    analyst = api.as_role("analyst")
    issued = api.client.post("/api/v1/alerts", json=ALERT, headers=analyst)
    assert issued.status_code == 201, issued.text
    assert issued.json()["action_code"] == "discreet_check"
    told = api.client.post(
        "/api/v1/alerts", json={**ALERT, "id": "MAR-S-10", "action_code": "inform"}, headers=analyst
    )
    assert told.json()["action_code"] == "inform"
    bad = api.client.post(
        "/api/v1/alerts", json={**ALERT, "id": "MAR-S-11", "action_code": "hold"}, headers=analyst
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "action_code"
    listed = api.client.get("/api/v1/alerts", headers=analyst).json()["alerts"]
    assert "MAR-S-11" not in [a["id"] for a in listed]


def test_a_discreet_check_answers_clear_with_its_action_and_takes_one_report(api: Api) -> None:
    officer, analyst = api.as_role("officer"), api.as_role("analyst")
    api.client.post("/api/v1/alerts", json=ALERT, headers=analyst)

    result = api.client.post(
        "/api/v1/inspections", json={**BODY, "mrz": passport(number=WATCHED)}, headers=officer
    ).json()

    assert (result["decision"], result["action"]) == ("clear", "discreet_check")
    assert result["sources"]["alerts"] == "blue"
    (finding,) = [f for f in result["findings"] if f["source"] == "alerts"]
    assert (finding["severity"], finding["alert_action"]) == ("report", "discreet_check")

    path = f"/api/v1/inspections/{result['inspection_id']}/reports"
    report = {"alert": "MAR-S-9", "observed": "Two companions.", "route": "to Algeciras"}
    filed = api.client.post(path, json=report, headers=officer)
    assert filed.status_code == 201, filed.text
    assert filed.json()["action_code"] == "discreet_check"
    again = api.client.post(path, json=report, headers=officer)
    assert again.status_code == 409
    assert again.json()["field"] == "alert"
    other = api.client.post(path, json={**report, "alert": "MAR-A-0042"}, headers=officer)
    assert other.status_code == 422
    assert other.json()["field"] == "alert"
    empty = api.client.post(path, json={"alert": "MAR-S-9"}, headers=officer)
    assert empty.status_code == 422

    on_alert = api.client.get("/api/v1/alerts/MAR-S-9/reports", headers=analyst)
    assert [r["observed"] for r in on_alert.json()["reports"]] == ["Two companions."]
    of_inspection = api.client.get(path, headers=officer).json()["reports"]
    assert [r["id"] for r in of_inspection] == [filed.json()["id"]]
