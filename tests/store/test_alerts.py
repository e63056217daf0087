"""The node's alerts: issue, look up by document and plate, and the status life cycle."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.alerts import (
    AlertDraft,
    AlertRegistry,
    AlertTransitionRefused,
    AlertView,
    DocumentSubject,
    PersonSubject,
    UnknownAlert,
    VehicleSubject,
    parse_alert,
)
from passerelle.store.tables import AlertEvent, AuditRecord
from tests.conftest import AS_OF, Clock

SYSTEM = Actor("node.sweeper", "system", "admin")


def document_alert(**changes: Any) -> AlertDraft:
    values: dict[str, Any] = {
        "category": "stolen_document",
        "subject": DocumentSubject("MAR", "UM4731285"),
        "issuing_authority": "DGSN Rabat",
        "action": "Seize the document; refer the traveller to second line.",
    }
    return AlertDraft(**(values | changes))


def vehicle_alert(**changes: Any) -> AlertDraft:
    values: dict[str, Any] = {
        "category": "stolen_vehicle",
        "subject": VehicleSubject("AB-123-CD", "FRA"),
        "issuing_authority": "Police nationale",
        "action": "Stop the vehicle and call the duty officer.",
    }
    return AlertDraft(**(values | changes))


@pytest.fixture
def alerts(audit: AuditTrail) -> AlertRegistry:
    return AlertRegistry(audit)


def issue(
    database: Database, alerts: AlertRegistry, actor: Actor, clock: Clock, draft: AlertDraft
) -> AlertView:
    with database.write() as session:
        return alerts.issue(session, draft, actor=actor, now=clock())


def statuses_of(database: Database, alert_id: str) -> list[tuple[str | None, str]]:
    with database.read() as session:
        rows = session.scalars(
            select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
        )
        return [(row.from_status, row.to_status) for row in rows]


def audit_actions(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_issued_alert_is_active_from_today_with_a_generated_id(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert())
    assert alert.status == "active"
    assert alert.valid_from == AS_OF
    assert len(alert.id) == 32
    assert int(alert.id, 16) >= 0
    assert alert.subject_key == "document:MAR:UM4731285"
    with database.read() as session:
        assert alerts.get(session, alert.id) == alert
    assert statuses_of(database, alert.id) == [(None, "active")]
    assert audit_actions(database) == ["alert.issue"]


def test_caller_supplied_id_is_kept_and_cannot_be_issued_twice(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert(id="MAR-2026-0042"))
    assert alert.id == "MAR-2026-0042"
    with pytest.raises(InvalidInput) as refused:
        issue(database, alerts, officer, clock, document_alert(id="MAR-2026-0042"))
    assert refused.value.field == "id"
    assert audit_actions(database) == ["alert.issue"]


def test_document_alert_is_found_by_a_look_alike_number(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    subject = DocumentSubject("MAR", "AB1O2345")
    alert = issue(database, alerts, officer, clock, document_alert(subject=subject))
    with database.read() as session:
        assert [a.id for a in alerts.find_by_document(session, "mar", "AB102345")] == [alert.id]
        assert [a.id for a in alerts.find_by_document(session, "MAR", "ab1o2345")] == [alert.id]
        assert alerts.find_by_document(session, "DZA", "AB102345") == []
        assert alerts.find_by_document(session, "MAR", "AB102346") == []


def test_vehicle_alert_is_found_whatever_the_plate_separators(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, vehicle_alert())
    assert alert.subject_key == "vehicle:FRA:AB123CD"
    with database.read() as session:
        assert [a.id for a in alerts.find_by_plate(session, "FRA", "ab 123 cd")] == [alert.id]
        assert [a.id for a in alerts.find_by_plate(session, "fra", "AB123CD")] == [alert.id]
        assert alerts.find_by_plate(session, "BEL", "AB123CD") == []


def test_lookups_return_live_alerts_unless_asked_for_all(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert())
    with database.write() as session:
        alerts.withdraw(session, alert.id, actor=officer, now=clock(), reason="document found")
    with database.read() as session:
        assert alerts.find_by_document(session, "MAR", "UM4731285") == []
        every = alerts.find_by_document(
            session, "MAR", "UM4731285", statuses={"active", "hit", "withdrawn", "expired"}
        )
        assert [a.status for a in every] == ["withdrawn"]


def test_lookup_on_a_day_returns_only_alerts_in_force_that_day(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    later = AS_OF + timedelta(days=10)
    issue(database, alerts, officer, clock, document_alert(valid_from=later))
    with database.read() as session:
        assert alerts.find_by_document(session, "MAR", "UM4731285", on=AS_OF) == []
        assert len(alerts.find_by_document(session, "MAR", "UM4731285", on=later)) == 1


def test_person_alert_keeps_every_written_form_of_the_name(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    draft = parse_alert(
        {
            "category": "wanted",
            "subject": {
                "kind": "person",
                "names": ["Mohamed  Ben Ali", "محمد بن علي"],
                "birth_date": "1985-03-02",
            },
            "issuing_authority": "Procureur du Roi, Casablanca",
            "action": "Arrest; inform the duty prosecutor.",
        }
    )
    alert = issue(database, alerts, officer, clock, draft)
    assert alert.subject == PersonSubject(("Mohamed Ben Ali", "محمد بن علي"), "1985-03-02")
    assert alert.subject_key == "person:1985-03-02:mohamed ben ali"
    with database.read() as session:
        found = alerts.find_by_person(session, "MOHAMED BEN ALI", "1985-03-02")
    assert [a.id for a in found] == [alert.id]


def test_full_life_cycle_writes_an_event_and_an_audit_record_per_step(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert())
    steps = [
        (alerts.record_hit, "seen at TNG-MED", "hit"),
        (alerts.rearm, "follow-up done", "active"),
        (alerts.record_hit, "seen again at NDR", "hit"),
        (alerts.withdraw, "document recovered", "withdrawn"),
    ]
    for move, reason, expected in steps:
        clock.advance(hours=1)
        with database.write() as session:
            assert move(session, alert.id, actor=officer, now=clock(), reason=reason).status == (
                expected
            )
    assert statuses_of(database, alert.id) == [
        (None, "active"),
        ("active", "hit"),
        ("hit", "active"),
        ("active", "hit"),
        ("hit", "withdrawn"),
    ]
    with database.read() as session:
        history = alerts.history(session, alert.id)
        assert [e.reason for e in history[1:]] == [s[1] for s in steps]
        assert {e.actor for e in history} == {officer.name}
        assert alerts.get(session, alert.id).updated_at == clock()
    assert audit_actions(database) == [
        "alert.issue",
        "alert.hit",
        "alert.rearm",
        "alert.hit",
        "alert.withdraw",
    ]
    with database.read() as session:
        assert alerts.audit.verify(session).intact


@pytest.mark.parametrize(
    ("moves", "refused", "words"),
    [
        (["hit"], "hit", "already hit: re-arm it"),
        ([], "rearm", "already active: only a hit alert can be re-armed"),
        (["withdraw"], "hit", "withdrawn, a final status: it cannot be hit"),
        (["withdraw"], "rearm", "withdrawn, a final status: it cannot be re-armed"),
        (["withdraw"], "withdraw", "withdrawn, a final status: it cannot be withdrawn"),
    ],
)
def test_illegal_transition_is_refused_with_the_reason_and_changes_nothing(
    database: Database,
    alerts: AlertRegistry,
    officer: Actor,
    clock: Clock,
    moves: list[str],
    refused: str,
    words: str,
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert())
    verbs = {"hit": alerts.record_hit, "rearm": alerts.rearm, "withdraw": alerts.withdraw}
    for verb in moves:
        with database.write() as session:
            verbs[verb](session, alert.id, actor=officer, now=clock(), reason="step")
    before = (statuses_of(database, alert.id), audit_actions(database))
    with pytest.raises(AlertTransitionRefused) as error, database.write() as session:
        verbs[refused](session, alert.id, actor=officer, now=clock(), reason="once more")
    assert error.value.field == "status"
    assert words in error.value.reason
    assert (statuses_of(database, alert.id), audit_actions(database)) == before


def test_expiry_sweep_closes_alerts_past_valid_until_and_only_those(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    drafts = [
        document_alert(valid_until=AS_OF),
        vehicle_alert(),
        vehicle_alert(valid_until=AS_OF),
        document_alert(valid_until=AS_OF),
    ]
    issued = []
    for draft in drafts:
        clock.advance(seconds=1)
        issued.append(issue(database, alerts, officer, clock, draft))
    ends_today, no_end, hit, withdrawn = issued
    with database.write() as session:
        alerts.record_hit(session, hit.id, actor=officer, now=clock(), reason="stopped at NDR")
        alerts.withdraw(session, withdrawn.id, actor=officer, now=clock(), reason="error")
    with database.write() as session:
        assert alerts.expire_due(session, AS_OF, clock(), actor=SYSTEM) == []
    clock.advance(days=1)
    with database.write() as session:
        expired = alerts.expire_due(session, AS_OF + timedelta(days=1), clock(), actor=SYSTEM)
    assert sorted(a.id for a in expired) == sorted([ends_today.id, hit.id])
    assert statuses_of(database, hit.id)[-1] == ("hit", "expired")
    with database.read() as session:
        assert [a.id for a in alerts.list(session, "expired")] == [ends_today.id, hit.id]
        assert [a.id for a in alerts.list(session, "active")] == [no_end.id]
        assert alerts.list(session, "withdrawn")[0].id == withdrawn.id
        assert len(alerts.list(session)) == 4
        assert alerts.history(session, hit.id)[-1].actor == SYSTEM.name
    assert audit_actions(database).count("alert.expire") == 1
    with pytest.raises(AlertTransitionRefused), database.write() as session:
        alerts.rearm(session, hit.id, actor=officer, now=clock(), reason="too late")


def test_hit_on_a_lapsed_alert_not_yet_swept_is_refused(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert(valid_until=AS_OF))
    clock.advance(days=1)
    with pytest.raises(AlertTransitionRefused) as refused, database.write() as session:
        alerts.record_hit(session, alert.id, actor=officer, now=clock(), reason="seen")
    assert refused.value.field == "valid_until"


def test_hit_before_the_alert_is_in_force_is_refused(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    draft = document_alert(valid_from=AS_OF + timedelta(days=3))
    alert = issue(database, alerts, officer, clock, draft)
    with pytest.raises(AlertTransitionRefused) as refused, database.write() as session:
        alerts.record_hit(session, alert.id, actor=officer, now=clock(), reason="seen")
    assert refused.value.field == "valid_from"


def test_unknown_alert_is_named(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    with pytest.raises(UnknownAlert) as missing, database.write() as session:
        alerts.withdraw(session, "nope", actor=officer, now=clock(), reason="x")
    assert missing.value.field == "id"
    with pytest.raises(UnknownAlert), database.read() as session:
        alerts.get(session, "nope")


def test_change_without_a_reason_is_refused(
    database: Database, alerts: AlertRegistry, officer: Actor, clock: Clock
) -> None:
    alert = issue(database, alerts, officer, clock, document_alert())
    with pytest.raises(InvalidInput) as refused, database.write() as session:
        alerts.withdraw(session, alert.id, actor=officer, now=clock(), reason="  ")
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_until": AS_OF - timedelta(days=1)}, "valid_until"),
        ({"valid_from": date(2027, 1, 2), "valid_until": date(2027, 1, 1)}, "valid_until"),
        ({"subject": DocumentSubject("ZZZ", "UM4731285")}, "subject.issuing_state"),
        ({"subject": DocumentSubject("MAR", "UM-473")}, "subject.document_number"),
        ({"subject": VehicleSubject("AB-1", "FRA")}, "subject.kind"),
        ({"category": "parking"}, "category"),
        ({"action": " "}, "action"),
        ({"id": "has space"}, "id"),
    ],
)
def test_bad_alert_is_refused_naming_the_field(
    database: Database,
    alerts: AlertRegistry,
    officer: Actor,
    clock: Clock,
    changes: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(database, alerts, officer, clock, document_alert(**changes))
    assert refused.value.field == field
    with database.read() as session:
        assert alerts.list(session) == []


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"subject": {"kind": "person", "names": []}}, "subject.names"),
        ({"subject": {"kind": "person", "names": ["X"], "birth_date": "85"}}, "subject.birth_date"),
        ({"subject": {"kind": "person", "names": ["X"], "eyes": "brown"}}, "subject.eyes"),
        ({"subject": "Mohamed"}, "subject"),
        ({"colour": "red"}, "colour"),
        ({"valid_until": "next year"}, "valid_until"),
    ],
)
def test_bad_alert_json_is_refused_naming_the_field(record: dict[str, Any], field: str) -> None:
    base = {
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Mohamed Ben Ali"]},
        "issuing_authority": "Procureur du Roi",
        "action": "Arrest.",
    }
    with pytest.raises(InvalidInput) as refused:
        parse_alert(base | record)
    assert refused.value.field == field


def test_unknown_status_filter_is_refused(database: Database, alerts: AlertRegistry) -> None:
    with pytest.raises(InvalidInput) as refused, database.read() as session:
        alerts.list(session, "sleeping")
    assert refused.value.field == "status"
