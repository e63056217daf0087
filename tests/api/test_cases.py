"""``/api/v1/cases`` and the notes of ``/api/v1/hits``: analysts only, every step audited."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.screening.conftest import STOLEN_NUMBER, passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}


def queued_hit(api: Api) -> int:
    """Another traveller's stolen passport checked at the border: the id of the hit review it
    queued."""
    return another_travellers_hit(api)[1]


def another_travellers_hit(api: Api) -> tuple[str, int]:
    """Another traveller's stolen passport checked at the border: the inspection's id and the
    hit review it queued (each call a new traveller: the same passport scanned again would
    join the pending review, not queue another)."""
    queue = api.client.get("/api/v1/hits", headers=api.as_role("analyst")).json()["hits"]
    number = STOLEN_NUMBER if not queue else f"AS{len(queue):07d}"
    if queue:
        issued = api.client.post(
            "/api/v1/alerts",
            json={
                "category": "stolen_document",
                "subject": {"kind": "document", "issuing_state": "MAR", "document_number": number},
                "issuing_authority": "DGSN Rabat",
                "action": "Keep the passport.",
            },
            headers=api.as_role("analyst"),
        )
        assert issued.status_code == 201, issued.text
    result = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(number=number)},
        headers=api.as_role("officer"),
    ).json()
    queue = api.client.get("/api/v1/hits", headers=api.as_role("analyst")).json()["hits"]
    (review,) = [h for h in queue if h["inspection_id"] == result["inspection_id"]]
    return result["inspection_id"], int(review["id"])


def test_an_analyst_opens_a_case_adds_notes_links_a_hit_and_closes_it(api: Api) -> None:
    analyst = api.as_role("analyst")
    first, second, third = queued_hit(api), queued_hit(api), queued_hit(api)
    opened = api.client.post(
        "/api/v1/cases",
        json={"review_ids": [first, second], "title": "Stolen passport reused", "note": "Twice"},
        headers=analyst,
    )
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert case["id"].startswith("CASE-2026-")
    assert case["status"] == "open"
    assert case["review_ids"] == [first, second]
    assert [r["id"] for r in case["reviews"]] == [first, second]
    assert [(n["author"], n["text"]) for n in case["notes"]] == [("analyst.one", "Twice")]

    path = f"/api/v1/cases/{case['id']}"
    note = api.client.post(f"{path}/notes", json={"text": "Called DGSN"}, headers=analyst)
    assert note.status_code == 201
    assert note.json()["text"] == "Called DGSN"
    linked = api.client.post(f"{path}/reviews", json={"review_ids": [third]}, headers=analyst)
    assert linked.status_code == 200
    assert linked.json()["review_ids"] == [first, second, third]
    closed = api.client.post(
        f"{path}/close", json={"resolution": "Passport seized, holder arrested"}, headers=analyst
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_by"] == "analyst.one"

    shown = api.client.get(path, headers=analyst).json()
    assert [n["text"] for n in shown["notes"]] == ["Twice", "Called DGSN"]
    assert shown["resolution"] == "Passport seized, holder arrested"
    listed = api.client.get("/api/v1/cases", headers=analyst).json()["cases"]
    assert [(c["id"], c["note_count"]) for c in listed] == [(case["id"], 2)]
    assert "notes" not in listed[0]
    assert api.client.get("/api/v1/cases?status=open", headers=analyst).json()["cases"] == []

    trail = api.client.get("/api/v1/audit?action=case.", headers=api.as_role("auditor")).json()[
        "records"
    ]
    assert [r["action"] for r in reversed(trail)] == [
        "case.open",
        "case.note",
        "case.link",
        "case.close",
        "case.read",
        "case.list",
        "case.list",
    ]
    assert {r["actor"] for r in trail} == {"analyst.one"}


def test_a_closed_case_refuses_changes_naming_its_status(api: Api) -> None:
    analyst = api.as_role("analyst")
    first, second = queued_hit(api), queued_hit(api)
    case = api.client.post(
        "/api/v1/cases", json={"review_ids": [first], "title": "Short-lived"}, headers=analyst
    ).json()
    path = f"/api/v1/cases/{case['id']}"
    api.client.post(f"{path}/close", json={"resolution": "False alarm"}, headers=analyst)
    for suffix, body in (
        ("notes", {"text": "one more"}),
        ("reviews", {"review_ids": [second]}),
        ("close", {"resolution": "again"}),
    ):
        answer = api.client.post(f"{path}/{suffix}", json=body, headers=analyst)
        assert answer.status_code == 409, suffix
        assert answer.json()["field"] == "status"
        assert f"case {case['id']} was closed" in answer.json()["detail"]


def test_notes_thread_on_a_hit_before_and_after_its_verdict(api: Api) -> None:
    analyst = api.as_role("analyst")
    review_id = queued_hit(api)
    hit = f"/api/v1/hits/{review_id}"
    before = api.client.post(f"{hit}/notes", json={"text": "Asking MAR"}, headers=analyst)
    assert before.status_code == 201
    api.client.post(f"{hit}/confirm", json={"note": "seized"}, headers=analyst)
    after = api.client.post(f"{hit}/notes", json={"text": "MAR confirmed"}, headers=analyst)
    assert after.status_code == 201
    shown = api.client.get(hit, headers=analyst)
    assert shown.status_code == 200
    assert shown.json()["status"] == "confirmed"
    assert shown.json()["case_id"] is None
    assert [n["text"] for n in shown.json()["notes"]] == ["Asking MAR", "MAR confirmed"]

    case = api.client.post(
        "/api/v1/cases", json={"review_ids": [review_id], "title": "Seized"}, headers=analyst
    ).json()
    assert api.client.get(hit, headers=analyst).json()["case_id"] == case["id"]


def test_bad_input_is_answered_naming_the_field(api: Api) -> None:
    analyst = api.as_role("analyst")
    review_id = queued_hit(api)
    cases = "/api/v1/cases"
    expected = [
        (cases, {"review_ids": [review_id], "title": "  "}, 422, "title"),
        (cases, {"review_ids": [], "title": "t"}, 422, "review_ids"),
        (cases, {"review_ids": [review_id, 424242], "title": "t"}, 404, "review_ids"),
        (cases, {"review_ids": [review_id], "title": "t", "extra": 1}, 422, "extra"),
        (f"/api/v1/hits/{review_id}/notes", {"text": "x" * 2001}, 422, "text"),
        (f"/api/v1/hits/{review_id}/notes", {"text": ""}, 422, "text"),
        ("/api/v1/hits/424242/notes", {"text": "hello"}, 404, "review_id"),
        (f"{cases}/CASE-2026-0404/notes", {"text": "hello"}, 404, "case_id"),
    ]
    for path, body, status, field in expected:
        answer = api.client.post(path, json=body, headers=analyst)
        assert (answer.status_code, answer.json().get("field")) == (status, field), (path, body)
    assert api.client.get(f"{cases}/CASE-2026-0404", headers=analyst).status_code == 404
    assert api.client.get(cases, headers=analyst).json()["cases"] == []

    first = api.client.post(
        cases, json={"review_ids": [review_id], "title": "First"}, headers=analyst
    ).json()
    again = api.client.post(
        cases, json={"review_ids": [review_id], "title": "Second"}, headers=analyst
    )
    assert again.status_code == 409
    assert again.json()["field"] == "review_ids"
    assert first["id"] in again.json()["detail"]


@pytest.mark.parametrize("role", ["officer", "auditor", "admin", "partner"])
def test_only_analysts_see_or_change_cases_and_hit_notes(api: Api, role: str) -> None:
    review_id = queued_hit(api)
    case = api.client.post(
        "/api/v1/cases",
        json={"review_ids": [review_id], "title": "Analysts only"},
        headers=api.as_role("analyst"),
    ).json()
    path = f"/api/v1/cases/{case['id']}"
    attempts = [
        ("GET", "/api/v1/cases", None),
        ("GET", path, None),
        ("POST", "/api/v1/cases", {"review_ids": [review_id], "title": "t"}),
        ("POST", f"{path}/notes", {"text": "t"}),
        ("POST", f"{path}/reviews", {"review_ids": [review_id]}),
        ("POST", f"{path}/close", {"resolution": "t"}),
        ("GET", f"/api/v1/hits/{review_id}", None),
        ("POST", f"/api/v1/hits/{review_id}/notes", {"text": "t"}),
    ]
    for method, target, body in attempts:
        answer = api.client.request(method, target, json=body, headers=api.as_role(role))
        assert answer.status_code == 403, (method, target)
        assert "review_hits" in answer.json()["detail"]
        anonymous = api.client.request(method, target, json=body)
        assert anonymous.status_code == 401, (method, target)
    shown = api.client.get(path, headers=api.as_role("analyst")).json()
    assert (shown["status"], shown["notes"]) == ("open", [])
