"""Whose inspections a user reads and decides (issue 15, item 6): an officer their own and their
booth's, a supervisor their crossing point's, an analyst every one; out of scope is answered
exactly as an inspection that does not exist (404), through the API and its paperwork."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.api.conftest import FAST, PASSWORD, SETUP, Api
from tests.screening.conftest import passport

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
PURPOSE = "?purpose=follow-up"


def person(
    api: Api, name: str, role: str, point: str | None = None, booth: str | None = None
) -> dict[str, str]:
    """A user working at ``point`` (and ``booth``), and their API headers."""
    access = AccessControl.for_node(api.services.node, hashing=FAST)
    access.add_user(name, role, PASSWORD, by=SETUP, crossing_point=point, booth=booth)
    token = access.issue_token(name, by=SETUP).token
    return {"authorization": f"Bearer {token}"}


def inspect(api: Api, headers: dict[str, str], number: str = "ZX9876543", **extra: str) -> str:
    answer = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(number=number), **extra},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    inspection_id: str = answer.json()["inspection_id"]
    return inspection_id


def read(api: Api, inspection_id: str, headers: dict[str, str]) -> Any:
    return api.client.get(f"/api/v1/inspections/{inspection_id}{PURPOSE}", headers=headers)


def decide(
    api: Api,
    inspection_id: str,
    headers: dict[str, str],
    action: str = "refuse",
    reason_code: str = "false_document",
) -> Any:
    return api.client.post(
        f"/api/v1/inspections/{inspection_id}/decision",
        json={"action": action, "reason_code": reason_code},
        headers=headers,
    )


def audited(node: Node, action: str) -> list[dict[str, Any]]:
    with node.database.read() as session:
        rows = session.scalars(
            select(AuditPayload.query)
            .join(AuditRecord, AuditRecord.seq == AuditPayload.seq)
            .where(AuditRecord.action == action)
        ).all()
    return list(rows)


def test_an_officer_cannot_read_or_decide_a_colleagues_inspection_by_its_id(api: Api) -> None:
    """The defect as found: any officer read and decided any inspection (no assignment here)."""
    colleague = {"authorization": f"Bearer {api.tokens['officer']}"}
    stranger = person(api, "officer.benali", "officer")
    inspection_id = inspect(api, colleague)

    assert read(api, inspection_id, stranger).status_code == 404
    assert decide(api, inspection_id, stranger).status_code == 404
    assert read(api, inspection_id, colleague).json()["officer_decision"] is None


def test_an_officer_at_another_booth_can_neither_read_nor_decide_the_inspection(
    api: Api,
) -> None:
    amrani = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    benali = person(api, "officer.benali", "officer", "TNG-MED", "B2")
    inspection_id = inspect(api, amrani)

    unknown = read(api, "0" * 32, benali)
    for refused in (
        read(api, inspection_id, benali),
        decide(api, inspection_id, benali),
        api.client.get(f"/api/v1/inspections/{inspection_id}/seizures", headers=benali),
        api.client.post(
            f"/api/v1/inspections/{inspection_id}/not-same-person",
            json={"watchlist_id": "WL-1"},
            headers=benali,
        ),
    ):
        assert refused.status_code == 404, refused.text
        assert refused.json()["field"] == unknown.json()["field"] == "inspection_id"
        assert refused.json()["detail"] == unknown.json()["detail"].replace("0" * 32, inspection_id)
    assert read(api, inspection_id, amrani).json()["officer_decision"] is None  # nothing decided
    assert decide(api, inspection_id, amrani).status_code == 200
    notice = f"/api/v1/inspections/{inspection_id}/refusal-notice.pdf"
    assert api.client.get(notice, headers=benali).status_code == 404
    assert api.client.get(notice, headers=amrani).status_code == 200


def test_an_officer_at_another_crossing_point_cannot_read_the_inspection(api: Api) -> None:
    amrani = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    benali = person(api, "officer.benali", "officer", "NDR-AIR", "B1")
    inspection_id = inspect(api, amrani)

    assert read(api, inspection_id, benali).status_code == 404
    assert decide(api, inspection_id, benali).status_code == 404


def test_the_colleague_who_takes_the_booth_over_reads_and_decides_its_inspections(
    api: Api,
) -> None:
    leaving = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    arriving = person(api, "officer.benali", "officer", "TNG-MED", "B1")
    inspection_id = inspect(api, leaving)  # no booth sent: the officer's own, B1

    assert read(api, inspection_id, arriving).status_code == 200
    decided = decide(api, inspection_id, arriving)
    assert decided.status_code == 200, decided.text
    assert decided.json()["officer_decision"]["by"] == "officer.benali"


def test_a_booth_sent_with_the_check_puts_the_inspection_at_that_booth(api: Api) -> None:
    roaming = person(api, "officer.amrani", "officer")
    at_b7 = person(api, "officer.benali", "officer", "TNG-MED", "B7")
    at_b1 = person(api, "officer.idrissi", "officer", "TNG-MED", "B1")
    inspection_id = inspect(api, roaming, booth=" b7 ")

    assert read(api, inspection_id, at_b7).status_code == 200
    assert read(api, inspection_id, at_b1).status_code == 404
    bad = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": passport(), "booth": "B7<script>"},
        headers=roaming,
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "booth"


def test_an_officer_without_a_booth_reads_only_their_own_inspections(api: Api) -> None:
    amrani = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    pointless = person(api, "officer.benali", "officer", "TNG-MED")
    inspection_id = inspect(api, amrani)

    assert read(api, inspection_id, pointless).status_code == 404
    own = inspect(api, pointless, number="YB7654321")
    assert read(api, own, pointless).status_code == 200


def test_the_supervisor_of_the_point_reads_and_decides_and_another_points_does_not(
    api: Api,
) -> None:
    officer = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    here = person(api, "supervisor.tahiri", "supervisor", "TNG-MED")
    there = person(api, "supervisor.bennani", "supervisor", "NDR-AIR")
    inspection_id = inspect(api, officer)

    assert read(api, inspection_id, there).status_code == 404
    assert decide(api, inspection_id, there, "refer", "document_doubt").status_code == 404
    assert read(api, inspection_id, here).status_code == 200
    assert decide(api, inspection_id, officer, "refer", "document_doubt").status_code == 200
    outcome = {"outcome": "refused", "notes": "no visa"}
    path = f"/api/v1/inspections/{inspection_id}/second-line-outcome"
    assert api.client.post(path, json=outcome, headers=there).status_code == 404
    assert api.client.post(path, json=outcome, headers=here).status_code == 200


def test_a_supervisor_works_the_queue_of_their_point_only(api: Api) -> None:
    officer = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    there = person(api, "supervisor.bennani", "supervisor", "NDR-AIR")
    decide(api, inspect(api, officer), officer, "refer", "document_doubt")

    own_queue = api.client.get("/api/v1/second-line", headers=there)
    assert own_queue.status_code == 200
    assert own_queue.json()["crossing_point"] == "NDR-AIR"
    assert own_queue.json()["referrals"] == []
    other = api.client.get("/api/v1/second-line?crossing_point=TNG-MED", headers=there)
    assert other.status_code == 403
    assert "NDR-AIR" in other.json()["detail"]


def test_an_analyst_reads_every_inspection(api: Api) -> None:
    officer = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    inspection_id = inspect(api, officer)

    assert read(api, inspection_id, api.as_role("analyst")).status_code == 200


def test_the_same_decision_twice_is_answered_as_taken_and_recorded_once(
    api: Api, node: Node
) -> None:
    officer = api.as_role("officer")
    inspection_id = inspect(api, officer)

    first = decide(api, inspection_id, officer, "admit", "cleared")
    again = decide(api, inspection_id, officer, "admit", "cleared")

    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["officer_decision"] == first.json()["officer_decision"]
    decisions = [q for q in audited(node, "inspection.decide") if q["inspection"] == inspection_id]
    assert len(decisions) == 1
    crossings = api.client.get(
        "/api/v1/crossings/MAR/ZX9876543?purpose=test", headers=officer
    ).json()["crossings"]
    assert len(crossings) == 1


def test_another_decision_after_one_is_taken_is_a_conflict_naming_it(api: Api) -> None:
    officer = api.as_role("officer")
    inspection_id = inspect(api, officer)
    assert decide(api, inspection_id, officer, "refuse", "false_document").status_code == 200

    other = decide(api, inspection_id, officer, "admit", "cleared")

    assert other.status_code == 409
    assert other.json()["field"] == "action"
    assert "refuse (false_document) by officer.one" in other.json()["detail"]
    assert read(api, inspection_id, officer).json()["officer_decision"]["action"] == "refuse"


@pytest.mark.parametrize("reason", ["cleared", "cleared_after_second_line"])
def test_an_admission_awaiting_a_supervisor_is_asked_once(api: Api, reason: str) -> None:
    officer = api.as_role("officer")
    inspection_id = inspect(api, officer, number="AB1234567")  # the stolen passport: a HIT
    assert decide(api, inspection_id, officer, "admit", "cleared").status_code == 200

    again = decide(api, inspection_id, officer, "admit", reason)

    if reason == "cleared":
        assert again.status_code == 200, again.text
        assert again.json()["decision_state"] == "awaiting_confirmation"
    else:
        assert again.status_code == 409
        assert "awaits a supervisor" in again.json()["detail"]


def with_settings(api: Api, **changes: str) -> None:
    """The node's settings changed in place (as ``PASSERELLE_*`` would set them at start)."""
    node = api.services.node
    node.settings = node.settings.model_copy(update=changes)


def test_a_node_set_to_point_scope_lets_its_officers_read_the_whole_point(api: Api) -> None:
    with_settings(api, officer_scope="point")
    amrani = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    same_point = person(api, "officer.benali", "officer", "TNG-MED", "B2")
    other_point = person(api, "officer.idrissi", "officer", "NDR-AIR", "B1")
    inspection_id = inspect(api, amrani)

    assert read(api, inspection_id, same_point).status_code == 200
    assert read(api, inspection_id, other_point).status_code == 404


def test_a_node_set_to_own_scope_keeps_even_the_booth_out(api: Api) -> None:
    with_settings(api, officer_scope="own")
    amrani = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    same_booth = person(api, "officer.benali", "officer", "TNG-MED", "B1")
    inspection_id = inspect(api, amrani)

    assert read(api, inspection_id, same_booth).status_code == 404
    assert read(api, inspection_id, amrani).status_code == 200


def test_an_unassigned_supervisor_sees_every_point_unless_the_node_says_none(api: Api) -> None:
    officer = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    unassigned = person(api, "supervisor.tahiri", "supervisor")
    inspection_id = inspect(api, officer)
    assert read(api, inspection_id, unassigned).status_code == 200

    with_settings(api, unassigned_supervisor="none")

    assert read(api, inspection_id, unassigned).status_code == 404
    queue = api.client.get("/api/v1/second-line", headers=unassigned)
    assert queue.status_code == 403
    assert "ask an administrator" in queue.json()["detail"]


def test_a_look_up_out_of_scope_is_answered_unknown_but_audited_as_refused(api: Api) -> None:
    """The officer sees a 404, the auditor sees what it was: another booth's inspection."""
    amrani = person(api, "officer.amrani", "officer", "TNG-MED", "B1")
    benali = person(api, "officer.benali", "officer", "TNG-MED", "B2")
    inspection_id = inspect(api, amrani)

    assert read(api, inspection_id, benali).status_code == 404
    node = api.services.node
    with node.database.read() as session:
        rows = session.execute(
            select(AuditRecord.actor, AuditPayload.query, AuditPayload.result)
            .join(AuditPayload, AuditRecord.seq == AuditPayload.seq)
            .where(AuditRecord.action == "inspection.read")
        ).all()
    refused = [row for row in rows if row.actor == "officer.benali"]
    assert [(row.query, row.result) for row in refused] == [
        (
            {"inspection": inspection_id},
            {"outcome": "refused", "field": "inspection", "reason": "out_of_scope"},
        )
    ]
    with node.database.read() as session:
        assert node.audit.verify(session).intact
