"""Supervisors and the second line: a HIT admitted only with a second person's confirmation,
a referral queued at its crossing point and closed by one outcome; the refusals of bad input
leave nothing recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from passerelle.access import Forbidden
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.screening import Inspector
from passerelle.services.second_line import SecondLine
from passerelle.store import Actor
from passerelle.store.crossings import crossings_of
from passerelle.store.tables import AuditRecord
from tests.conftest import Clock
from tests.screening.conftest import OFFICER, STOLEN_NUMBER, inspector, passport, request

__all__ = ["inspector"]  # the fixture, imported

SUPERVISOR = Actor("supervisor.tahiri", "user", "supervisor")
OTHER_SUPERVISOR = Actor("supervisor.bennani", "user", "supervisor")
ANALYST = Actor("analyst.idrissi", "user", "analyst")
WHY = "second-line duty"


@pytest.fixture
def second_line(node: Node, inspector: Inspector) -> SecondLine:
    return SecondLine(node, inspector.repository)


def audit_count(node: Node) -> int:
    with node.database.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def actions(node: Node) -> list[str]:
    with node.database.read() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def stolen_crossings(node: Node) -> int:
    with node.database.read() as session:
        return len(crossings_of(session, "MAR", STOLEN_NUMBER))


def test_an_admission_of_a_hit_awaits_a_supervisor_and_logs_no_crossing(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    assert result.decision == "hit"

    decision = inspector.record_decision(result.inspection_id, "admit", "cleared", OFFICER)

    assert decision.awaiting_confirmation
    assert decision.state == "awaiting_confirmation"
    assert decision.crossing_id is None
    assert stolen_crossings(node) == 0
    record = inspector.get(result.inspection_id)
    assert record.officer_decision is None
    assert record.awaiting_confirmation
    assert actions(node)[-1] == "inspection.admission_requested"
    with pytest.raises(InvalidInput, match="awaits a supervisor") as again:
        inspector.record_decision(result.inspection_id, "refuse", "false_document", OFFICER)
    assert again.value.field == "action"
    queue = second_line.queue(SUPERVISOR, WHY)
    assert [entry.inspection_id for _, entry in queue.confirmations] == [result.inspection_id]


def test_a_supervisor_confirms_and_the_decision_carries_both_names(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    inspector.record_decision(result.inspection_id, "admit", "cleared", OFFICER)
    clock.advance(minutes=5)

    answered = second_line.answer_admission(SUPERVISOR, result.inspection_id, "confirm")

    assert (answered.status, answered.supervisor) == ("confirmed", SUPERVISOR.name)
    record = inspector.get(result.inspection_id)
    decision = record.officer_decision
    assert decision is not None
    assert (decision.action, decision.by, decision.confirmed_by) == (
        "admit",
        OFFICER.name,
        SUPERVISOR.name,
    )
    assert decision.crossing_id is not None
    assert stolen_crossings(node) == 1
    assert actions(node)[-2:] == ["crossing.record", "inspection.admission_confirmed"]
    assert second_line.queue(SUPERVISOR, WHY).confirmations == ()


def test_a_supervisor_cannot_confirm_their_own_admission(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    inspector.record_decision(result.inspection_id, "admit", "cleared", SUPERVISOR)
    before = audit_count(node)

    with pytest.raises(InvalidInput, match="four eyes") as refused:
        second_line.answer_admission(SUPERVISOR, result.inspection_id, "confirm")

    assert refused.value.field == "answer"
    assert audit_count(node) == before
    assert stolen_crossings(node) == 0
    assert inspector.get(result.inspection_id).awaiting_confirmation
    second_line.answer_admission(OTHER_SUPERVISOR, result.inspection_id, "confirm")
    assert stolen_crossings(node) == 1


def test_officers_and_analysts_cannot_confirm(
    inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    inspector.record_decision(result.inspection_id, "admit", "cleared", OFFICER)
    for who in (Actor("officer.other", "user", "officer"), ANALYST):
        with pytest.raises(Forbidden):
            second_line.answer_admission(who, result.inspection_id, "confirm")
        with pytest.raises(Forbidden):
            second_line.queue(who, WHY)
        with pytest.raises(Forbidden):
            second_line.record_outcome(who, result.inspection_id, "refused", notes="no")


def test_a_declined_admission_leaves_the_inspection_undecided(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    inspector.record_decision(result.inspection_id, "admit", "cleared", OFFICER)
    with pytest.raises(InvalidInput) as no_note:
        second_line.answer_admission(SUPERVISOR, result.inspection_id, "decline")
    assert no_note.value.field == "note"

    second_line.answer_admission(
        SUPERVISOR, result.inspection_id, "decline", "the SLTD record stands: refer"
    )

    record = inspector.get(result.inspection_id)
    assert record.officer_decision is None
    assert not record.awaiting_confirmation
    assert record.admission is not None
    assert record.admission.status == "declined"
    assert stolen_crossings(node) == 0
    assert actions(node)[-1] == "inspection.admission_declined"
    inspector.record_decision(result.inspection_id, "refer", "hit_to_handle", OFFICER)


def test_answering_when_nothing_awaits_is_refused(
    inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(), clock))
    inspector.record_decision(result.inspection_id, "admit", "cleared", OFFICER)  # a clear
    with pytest.raises(InvalidInput) as refused:
        second_line.answer_admission(SUPERVISOR, result.inspection_id, "confirm")
    assert refused.value.field == "answer"


def test_a_referral_waits_at_its_crossing_point_until_its_outcome(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(), clock))
    assert result.crossing_id is not None  # a clear logs the crossing; the referral takes it back

    inspector.record_decision(result.inspection_id, "refer", "identity_doubt", OFFICER)

    queue = second_line.queue(SUPERVISOR, WHY, crossing_point="tng-med")
    ((referral, entry),) = queue.referrals
    assert (referral.referred_by, referral.reason_code) == (OFFICER.name, "identity_doubt")
    assert (entry.name, entry.document, entry.crossing_point) == (
        "LAMRANI SALMA",
        "MAR:ZX9876543",
        "TNG-MED",
    )
    assert second_line.queue(SUPERVISOR, WHY, crossing_point="CMN-T1").referrals == ()

    done = second_line.record_outcome(
        SUPERVISOR, result.inspection_id, "refused", notes="no return ticket, no means"
    )

    assert (done.outcome, done.outcome_by, done.crossing_id) == (
        "refused",
        SUPERVISOR.name,
        None,
    )
    with node.database.read() as session:
        assert crossings_of(session, "MAR", "ZX9876543") == []
    assert actions(node)[-1] == "second_line.outcome"
    assert second_line.queue(SUPERVISOR, WHY).referrals == ()
    assert inspector.get(result.inspection_id).referral == done


def test_admitted_after_check_logs_the_crossing_in_the_inspections_direction(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(), clock, direction="exit"))
    inspector.record_decision(result.inspection_id, "refer", "identity_doubt", OFFICER)

    done = second_line.record_outcome(SUPERVISOR, result.inspection_id, "admitted_after_check")

    with node.database.read() as session:
        (crossing,) = crossings_of(session, "MAR", "ZX9876543")
    assert crossing.id == done.crossing_id
    assert (crossing.direction, crossing.crossing_point) == ("exit", "TNG-MED")


def test_a_hit_referred_by_a_supervisor_is_admitted_by_another(
    inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    inspector.record_decision(result.inspection_id, "refer", "hit_to_handle", SUPERVISOR)
    with pytest.raises(InvalidInput, match="four eyes"):
        second_line.record_outcome(SUPERVISOR, result.inspection_id, "admitted_after_check")
    second_line.record_outcome(OTHER_SUPERVISOR, result.inspection_id, "admitted_after_check")


@pytest.mark.parametrize(
    ("outcome", "notes", "handed_to", "field"),
    [
        ("released", "x", None, "outcome"),
        ("refused", " ", None, "notes"),
        ("arrested", None, None, "notes"),
        ("handed_over", "customs search", None, "handed_to"),
        ("refused", "no visa", "customs", "handed_to"),
    ],
)
def test_a_bad_outcome_is_refused_naming_the_field_and_nothing_is_recorded(
    node: Node,
    inspector: Inspector,
    clock: Clock,
    second_line: SecondLine,
    outcome: str,
    notes: str | None,
    handed_to: str | None,
    field: str,
) -> None:
    result = inspector.inspect(request(passport(), clock))
    inspector.record_decision(result.inspection_id, "refer", "identity_doubt", OFFICER)
    before = audit_count(node)
    with pytest.raises(InvalidInput) as refused:
        second_line.record_outcome(
            SUPERVISOR, result.inspection_id, outcome, notes=notes, handed_to=handed_to
        )
    assert refused.value.field == field
    assert audit_count(node) == before
    assert inspector.get(result.inspection_id).referral.outcome is None  # type: ignore[union-attr]


def test_an_outcome_for_a_traveller_not_referred_or_twice_is_refused(
    node: Node, inspector: Inspector, clock: Clock, second_line: SecondLine
) -> None:
    result = inspector.inspect(request(passport(), clock))
    with pytest.raises(InvalidInput, match="not referred") as not_referred:
        second_line.record_outcome(SUPERVISOR, result.inspection_id, "refused", notes="no")
    assert not_referred.value.field == "outcome"

    inspector.record_decision(result.inspection_id, "refer", "identity_doubt", OFFICER)
    second_line.record_outcome(
        SUPERVISOR, result.inspection_id, "handed_over", notes="search", handed_to="Customs"
    )
    before = audit_count(node)
    with pytest.raises(InvalidInput, match="already has an outcome") as twice:
        second_line.record_outcome(SUPERVISOR, result.inspection_id, "arrested", notes="again")
    assert twice.value.field == "outcome"
    assert audit_count(node) == before
