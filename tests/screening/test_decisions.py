"""After the check: the officer's decision, false-positive feedback, and the analysts' queue."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.screening import Inspector, InspectorConfig
from passerelle.services.second_line import SecondLine
from passerelle.store import Actor
from passerelle.store.crossings import crossings_of
from passerelle.store.inspections import UnknownInspection
from passerelle.store.tables import AuditRecord
from tests.conftest import Clock
from tests.screening.conftest import OFFICER, STOLEN_NUMBER, passport, request

ANALYST = Actor("analyst.idrissi", "user", "analyst")
SUPERVISOR = Actor("supervisor.tahiri", "user", "supervisor")
WANTED_MRZ = passport(surname="BENALI", given_names="MOHAMED", birth_date="850302", sex="M")
NAMESAKE_MRZ = passport(surname="ALAOUI", given_names="MOHAMED", birth_date="920517", sex="M")


def actions(node: Node) -> list[str]:
    with node.database.read() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_admitting_after_a_hit_logs_the_crossing_at_the_time_of_the_check(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    clock.advance(minutes=40)  # second line took its time

    asked = inspector.record_decision(
        result.inspection_id, "admit", "sltd_record_outdated", OFFICER
    )
    assert asked.awaiting_confirmation  # a HIT is admitted with a supervisor's word only
    SecondLine(node, inspector.repository).answer_admission(
        SUPERVISOR, result.inspection_id, "confirm"
    )

    with node.database.read() as session:
        (crossing,) = crossings_of(session, "MAR", STOLEN_NUMBER)
        assert node.audit.verify(session).intact
    assert crossing.at == result.at
    record = inspector.get(result.inspection_id)
    decision = record.officer_decision
    assert decision is not None
    assert (decision.action, decision.by, decision.confirmed_by) == (
        "admit",
        OFFICER.name,
        SUPERVISOR.name,
    )
    assert decision.crossing_id == crossing.id
    assert record.result.crossing_id == crossing.id
    assert actions(node)[-2:] == ["crossing.record", "inspection.admission_confirmed"]


def test_an_inspection_is_decided_once(inspector: Inspector, clock: Clock) -> None:
    result = inspector.inspect(request(passport(), clock))
    inspector.record_decision(result.inspection_id, "admit", "cleared", OFFICER)

    with pytest.raises(InvalidInput, match="already decided: admit"):
        inspector.record_decision(result.inspection_id, "refuse", "forged_document", OFFICER)


def test_refusing_after_a_clear_takes_the_crossing_back(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request(passport(), clock))
    assert result.crossing_id is not None

    decision = inspector.record_decision(result.inspection_id, "refuse", "no_visa", OFFICER)

    assert decision.crossing_id is None
    with node.database.read() as session:
        assert crossings_of(session, "MAR", "ZX9876543") == []
    assert inspector.get(result.inspection_id).result.crossing_id is None
    assert "crossing.remove" in actions(node)


@pytest.mark.parametrize(
    ("action", "reason_code", "field"),
    [("wave", "cleared", "action"), ("admit", "", "reason_code"), ("admit", "No!", "reason_code")],
)
def test_a_bad_decision_is_refused_naming_the_field(
    inspector: Inspector, clock: Clock, action: str, reason_code: str, field: str
) -> None:
    result = inspector.inspect(request(passport(), clock))
    with pytest.raises(InvalidInput) as caught:
        inspector.record_decision(result.inspection_id, action, reason_code, OFFICER)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_deciding_an_unknown_inspection_is_refused(inspector: Inspector) -> None:
    with pytest.raises(UnknownInspection):
        inspector.record_decision("0" * 32, "admit", "cleared", OFFICER)


def test_not_the_same_person_is_counted_as_a_false_positive_and_left_for_the_analyst(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request(WANTED_MRZ, clock))
    assert result.decision == "hit"

    review = inspector.mark_not_same_person(result.inspection_id, "MAR-W-0001", OFFICER)

    assert (review.status, review.feedback, review.feedback_by) == (
        "pending",
        "not_same_person",
        OFFICER.name,
    )
    with node.database.read() as session:
        counts = inspector.repository.false_positive_counts(session)
        assert [r.id for r in inspector.repository.pending(session)] == [review.id]
    assert counts == {"MAR-W-0001": 1}


def test_a_weak_candidate_marked_not_the_same_person_is_dismissed_at_once(
    node: Node, clock: Clock
) -> None:
    inspector = Inspector(node, config=InspectorConfig(weak_name_threshold=0.01))
    result = inspector.inspect(request(NAMESAKE_MRZ, clock))
    assert result.decision == "refer"
    assert {c.id for c in result.matches.watchlist} >= {"MAR-W-0002"}
    assert all(not c.hit for c in result.matches.watchlist)

    review = inspector.mark_not_same_person(result.inspection_id, "MAR-W-0002", OFFICER)

    assert review.status == "dismissed"
    with node.database.read() as session:
        assert inspector.repository.pending(session) == []
        assert inspector.repository.false_positive_counts(session, ["MAR-W-0002"]) == {
            "MAR-W-0002": 1
        }


def test_a_person_who_was_not_a_candidate_cannot_be_marked(
    inspector: Inspector, clock: Clock
) -> None:
    result = inspector.inspect(request(passport(), clock))
    with pytest.raises(InvalidInput, match="was not a watchlist candidate"):
        inspector.mark_not_same_person(result.inspection_id, "MAR-W-0001", OFFICER)


def test_analysts_confirm_or_dismiss_pending_hits_once(
    node: Node, inspector: Inspector, clock: Clock
) -> None:
    stolen = inspector.inspect(request(passport(number=STOLEN_NUMBER), clock))
    wanted = inspector.inspect(request(WANTED_MRZ, clock))
    repository = inspector.repository
    with node.database.read() as session:
        first, second = repository.pending(session)
    assert (first.inspection_id, second.inspection_id) == (
        stolen.inspection_id,
        wanted.inspection_id,
    )

    with node.database.write() as session:
        confirmed = repository.confirm(session, first.id, by=ANALYST, note=None, now=clock())
        with pytest.raises(InvalidInput, match="note"):
            repository.dismiss(session, second.id, by=ANALYST, note=" ", now=clock())
        dismissed = repository.dismiss(
            session, second.id, by=ANALYST, note="born in another town", now=clock()
        )
    with node.database.write() as session, pytest.raises(InvalidInput, match="already confirmed"):
        repository.dismiss(session, first.id, by=ANALYST, note="changed my mind", now=clock())

    assert (confirmed.status, confirmed.reviewer) == ("confirmed", ANALYST.name)
    assert (dismissed.status, dismissed.note) == ("dismissed", "born in another town")
    with node.database.read() as session:
        assert repository.pending(session) == []
        assert repository.false_positive_counts(session) == {"MAR-W-0001": 1}
        assert node.audit.verify(session).intact
    assert actions(node).count("hit_review.confirm") == 1
    assert actions(node).count("hit_review.dismiss") == 1
