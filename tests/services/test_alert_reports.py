"""Alert actions at the border and the reports they ask for, on a real node (SQLite).

A discreet check lets the traveller pass (decision ``clear``, action ``discreet_check``,
a blue light); the officer files one report per inspection and alert, audited; a
second, a report on an alert the inspection did not hit, or on an alert that expects
no report, is refused naming the field, and nothing is recorded.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from passerelle.exc import InvalidInput, NotFound
from passerelle.node import Node
from passerelle.records.alert_reports import ReportAlreadyFiled, ReportDraft
from passerelle.screening import Inspector
from passerelle.services.alert_reports import AlertReports
from passerelle.store.alerts import AlertDraft, AlertRegistry, DocumentSubject, PersonSubject
from passerelle.store.audit import Actor
from passerelle.store.tables import AlertReport, AuditRecord, ExchangeOutbox, PartnerAlert
from tests.conftest import Clock
from tests.screening.conftest import ADMIN, OFFICER, passport, receive_partner_alert, request

ANALYST = Actor("analyst.idrissi", "user", "analyst")
WATCHED = "ZX9876543"
INSTRUCTION = "Admit as usual, do not alert the traveller; report route and companions."


def watch(
    node: Node, clock: Clock, *, category: str = "surveillance", code: str | None = None
) -> None:
    with node.database.write() as session:
        AlertRegistry(node.audit).issue(
            session,
            AlertDraft(
                category=category,
                subject=DocumentSubject("MAR", WATCHED),
                issuing_authority="DGST liaison cell",
                action=INSTRUCTION,
                id="MAR-S-1",
                action_code=code,
            ),
            actor=ADMIN,
            now=clock(),
        )


def count(node: Node, table: type, **where: str) -> int:
    with node.database.read() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int(session.scalar(query) or 0)


def test_a_discreet_check_lets_the_traveller_pass_and_asks_quietly_for_a_report(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    watch(node, clock)

    result = inspector.inspect(request(passport(number=WATCHED), clock))

    assert (result.decision, result.action) == ("clear", "discreet_check")
    assert result.light("alerts") == "blue"
    assert result.crossing_id is not None  # let pass as usual: the crossing is logged
    (finding,) = [f for f in result.findings if f.source == "alerts"]
    assert (finding.severity, finding.alert_action, finding.action) == (
        "report",
        "discreet_check",
        INSTRUCTION,
    )
    assert result.reasons == ()
    assert result.as_dict()["action"] == "discreet_check"


def test_an_alert_asking_for_an_arrest_is_a_hit_whatever_its_category(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    watch(node, clock, code="arrest")

    result = inspector.inspect(request(passport(number=WATCHED), clock))

    assert (result.decision, result.action, result.light("alerts")) == ("hit", "arrest", "red")


def test_a_specific_check_refers_the_traveller(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    watch(node, clock, code="specific_check")

    result = inspector.inspect(request(passport(number=WATCHED), clock))

    assert (result.decision, result.action, result.light("alerts")) == (
        "refer",
        "specific_check",
        "amber",
    )


def test_an_unknown_action_code_is_refused_naming_the_field(node: Node, clock: Clock) -> None:
    with pytest.raises(InvalidInput) as refused:
        watch(node, clock, code="shoot")
    assert refused.value.field == "action_code"


def test_the_officer_files_one_report_and_a_second_is_refused(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    watch(node, clock)
    result = inspector.inspect(request(passport(number=WATCHED), clock))
    reports = AlertReports(node)
    draft = ReportDraft("MAR-S-1", "Travelled with two men.", route="Tanger Med to Algeciras")

    filed = reports.file(OFFICER, result.inspection_id, draft)

    assert (filed.alert_id, filed.issuing_state, filed.action_code) == (
        "MAR-S-1",
        None,
        "discreet_check",
    )
    assert filed.traveller["document_number"] == WATCHED
    assert [r.id for r in reports.on_own_alerts(ANALYST, "follow-up", "MAR-S-1")] == [filed.id]
    assert count(node, AuditRecord, action="alert.report") == 1

    with pytest.raises(ReportAlreadyFiled) as twice:
        reports.file(OFFICER, result.inspection_id, draft)
    assert twice.value.field == "alert"
    assert count(node, AlertReport) == 1
    assert count(node, AuditRecord, action="alert.report") == 1


@pytest.mark.parametrize(
    ("alert", "inspection", "field"),
    [
        ("MAR-NOPE", None, "alert"),  # an alert the inspection did not hit
        ("MAR-A-0042", None, "alert"),  # an alert of the node, not this inspection's
        ("MAR-S-1", "0" * 32, "inspection_id"),  # no such inspection
    ],
)
def test_a_report_on_what_the_inspection_did_not_hit_is_refused_and_nothing_recorded(
    node: Node, inspector: Inspector, clock: Clock, alert: str, inspection: str | None, field: str
) -> None:
    watch(node, clock)
    result = inspector.inspect(request(passport(number=WATCHED), clock))

    with pytest.raises(InvalidInput) as refused:
        AlertReports(node).file(
            OFFICER, inspection or result.inspection_id, ReportDraft(alert, "Seen.")
        )

    assert refused.value.field == field
    assert isinstance(refused.value, NotFound) == (field == "inspection_id")
    assert count(node, AlertReport) == 0
    assert count(node, AuditRecord, action="alert.report") == 0


def test_an_alert_that_expects_no_report_is_refused_naming_the_alert(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    watch(node, clock, category="stolen_document")  # seize: no report expected
    result = inspector.inspect(request(passport(number=WATCHED), clock))
    assert (result.decision, result.action) == ("hit", "seize")

    with pytest.raises(InvalidInput) as refused:
        AlertReports(node).file(OFFICER, result.inspection_id, ReportDraft("MAR-S-1", "Seen."))

    assert refused.value.field == "alert"
    assert "no report is expected" in refused.value.reason
    assert count(node, AlertReport) == 0


def test_a_report_on_a_partners_alert_is_queued_for_that_partner(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    subject = PersonSubject(("Salma Lamrani",), "1990-04-21")
    receive_partner_alert(node, clock, subject)
    with node.database.write() as session:  # Tunisia asks for a discreet check only
        row = session.get(PartnerAlert, ("TUN", "TUN-A-9"))
        assert row is not None
        row.action_code = "discreet_check"
    result = inspector.inspect(request(passport(), clock))
    assert (result.decision, result.action) == ("clear", "discreet_check")

    filed = AlertReports(node).file(
        Actor("officer.benali", "user", "officer"),
        result.inspection_id,
        ReportDraft("TUN:TUN-A-9", "Alone, one suitcase.", vehicle="none"),
    )

    assert (filed.issuing_state, filed.alert_id) == ("TUN", "TUN-A-9")
    with node.database.read() as session:
        (queued,) = session.scalars(
            select(ExchangeOutbox).where(ExchangeOutbox.kind == "alert.hit_report")
        ).all()
    assert (queued.peer, queued.idempotency_key) == ("TUN", f"report:{filed.id}")
    assert queued.body["report"]["observed"] == "Alone, one suitcase."
    assert "filed_by" not in queued.body["report"]
