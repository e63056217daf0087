"""Alerts partners share: applied once, in order of their versions, and checked at the border."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from passerelle.exc import InvalidInput
from passerelle.federation.alerts.incoming import alert_issue_body, apply_alert_message
from passerelle.node import Node
from passerelle.records.alerts import AlertView, DocumentSubject, PersonSubject, subject_key
from passerelle.screening import Inspector
from passerelle.store import AuditTrail, Database
from passerelle.store.partner_alerts import partner_alerts_on
from passerelle.store.tables import ExchangeInbox, PartnerAlert, PartnerAlertTombstone
from tests.conftest import Clock
from tests.screening.conftest import inspector, node, passport, request  # noqa: F401 (fixtures)


def partner_alert(clock: Clock, subject: PersonSubject | DocumentSubject) -> AlertView:
    return AlertView(
        id="BEL-A-77",
        kind=subject.kind,
        category="wanted" if subject.kind == "person" else "stolen_document",
        subject=subject,
        subject_key="",
        issuing_authority="Police fédérale, Bruxelles: +32 2 000 00 00",
        action="Hold the traveller and call the Belgian liaison officer.",
        valid_from=clock().date() - timedelta(days=1),
        valid_until=None,
        status="active",
        created_at=clock(),
        updated_at=clock(),
    )


KARIM = PersonSubject(("Karim Benjelloun",), "1979-03-12")


def apply(
    database: Database, audit: AuditTrail, clock: Clock, kind: str, body: dict[str, Any]
) -> dict[str, Any]:
    with database.write() as session:
        return apply_alert_message(session, audit, sender="BEL", kind=kind, body=body, now=clock())


def stored(database: Database) -> list[tuple[str, str, str, int]]:
    with database.read() as session:
        rows = session.scalars(select(PartnerAlert)).all()
        return [(r.issuing_state, r.alert_id, r.status, r.version) for r in rows]


def test_an_alert_is_stored_under_the_sender_once_and_a_redelivery_changes_nothing(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    body = alert_issue_body(partner_alert(clock, KARIM), version=1, idempotency_key="k1")
    first = apply(database, audit, clock, "alert.issue", body)
    again = apply(database, audit, clock, "alert.issue", body)
    assert (first["applied"], first["duplicate"]) == (True, False)
    assert (again["applied"], again["duplicate"]) == (False, True)
    assert stored(database) == [("BEL", "BEL-A-77", "active", 1)]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ExchangeInbox)) == 1
        assert audit.verify(session).intact


def test_a_withdrawal_is_not_undone_by_an_older_message_arriving_late(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    alert = partner_alert(clock, KARIM)
    apply(
        database,
        audit,
        clock,
        "alert.issue",
        alert_issue_body(alert, version=1, idempotency_key="a"),
    )
    withdrawn = apply(
        database,
        audit,
        clock,
        "alert.withdraw",
        {"idempotency_key": "b", "version": 3, "alert_id": "BEL-A-77"},
    )
    late = apply(
        database,
        audit,
        clock,
        "alert.issue",
        alert_issue_body(alert, version=2, idempotency_key="c"),
    )
    assert withdrawn["applied"] is True
    assert late["applied"] is False
    assert stored(database) == [("BEL", "BEL-A-77", "withdrawn", 3)]


def test_an_issue_racing_the_withdrawal_of_an_alert_never_received_leaves_nothing_active(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    """The withdrawal (v2) of an alert whose issue has not arrived is being applied when the
    issue (v1) comes in on another connection: the issue waits for it and is stale."""
    alert = partner_alert(clock, KARIM)
    withdrawal = {"idempotency_key": "w", "version": 2, "alert_id": alert.id}
    answers: list[dict[str, Any]] = []

    def issue_meanwhile() -> None:
        body = alert_issue_body(alert, version=1, idempotency_key="i")
        answers.append(apply(database, audit, clock, "alert.issue", body))

    racer = threading.Thread(target=issue_meanwhile)
    with database.write() as session:
        first = apply_alert_message(
            session, audit, sender="BEL", kind="alert.withdraw", body=withdrawal, now=clock()
        )
        racer.start()
        racer.join(0.5)  # the issue reads the alert while the withdrawal is uncommitted
    racer.join(10)

    assert first["outcome"] == "tombstone"
    assert [answer["outcome"] for answer in answers] == ["stale"]
    assert stored(database) == []
    with database.read() as session:
        assert session.get(PartnerAlertTombstone, ("BEL", alert.id)) is not None
        assert partner_alerts_on(session, subject_key(KARIM), clock().date()) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1, "alert": {}}, "idempotency_key"),
        ({"idempotency_key": "k", "version": 0, "alert": {}}, "version"),
        ({"idempotency_key": "k", "version": 1}, "alert"),
        ({"idempotency_key": "k", "version": 1, "alert": {"category": "gossip"}}, "category"),
    ],
)
def test_a_malformed_alert_is_refused_naming_the_field_and_stores_nothing(
    database: Database,
    audit: AuditTrail,
    clock: Clock,
    body: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        apply(database, audit, clock, "alert.issue", body)
    assert refused.value.field == field
    assert stored(database) == []


def test_a_partners_alert_on_the_traveller_makes_the_border_check_a_hit(
    node: Node,  # noqa: F811
    inspector: Inspector,  # noqa: F811
    clock: Clock,
) -> None:
    subject = PersonSubject(("Salma Lamrani",), "1990-04-21")
    body = alert_issue_body(partner_alert(clock, subject), version=1, idempotency_key="x")
    apply(node.database, node.audit, clock, "alert.issue", body)

    result = inspector.inspect(request(passport(), clock))

    assert result.decision == "hit"
    (finding,) = [f for f in result.findings if f.source == "alerts"]
    assert finding.reference == "BEL:BEL-A-77"
    assert "Belgium (BEL)" in finding.message
    assert finding.action == "Hold the traveller and call the Belgian liaison officer."


def test_a_withdrawn_partner_alert_no_longer_stops_anyone(
    node: Node,  # noqa: F811
    inspector: Inspector,  # noqa: F811
    clock: Clock,
) -> None:
    document = DocumentSubject("MAR", "ZX9876543")
    alert = partner_alert(clock, document)
    apply(
        node.database,
        node.audit,
        clock,
        "alert.issue",
        alert_issue_body(alert, version=1, idempotency_key="i"),
    )
    apply(
        node.database,
        node.audit,
        clock,
        "alert.withdraw",
        {"idempotency_key": "w", "version": 2, "alert_id": alert.id},
    )
    assert inspector.inspect(request(passport(), clock)).decision == "clear"
