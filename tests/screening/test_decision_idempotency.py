"""One decision per inspection on both backends (issue 15, item 6): the same decision sent twice
at the same moment (a double submit, a retry racing the first) is taken once and answered
alike to both; a different one after it is a conflict naming it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.records.inspections import DecisionConflict
from passerelle.screening.model import OfficerDecision
from passerelle.screening.records import record_officer_decision
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.crossings import crossings_of
from passerelle.store.inspections import InspectionRepository
from passerelle.store.tables import AuditRecord
from tests.conftest import Clock, with_biometric_key

OFFICER = Actor("officer.benali", "user", "officer")


@pytest.fixture
def checked(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> tuple[Node, InspectionRepository, str]:
    """A node on the backend, and one stored clear inspection of the officer's."""
    node = Node(with_biometric_key(Settings(home=tmp_path / "home")), database, audit, clock)
    repository = InspectionRepository(audit)
    with database.write() as session:
        repository.add(
            session,
            inspection_id="i" * 32,
            at=clock(),
            now=clock(),
            officer=OFFICER.name,
            crossing_point="TNG-MED",
            direction="entry",
            purpose="border control",
            issuing_state="MAR",
            document_number="ZX9876543",
            nationality="MAR",
            decision="clear",
            result={},
            crossing_id=None,
            hits=(),
            booth="B1",
        )
        audit.record(
            session, actor=OFFICER, action="inspection.search", purpose="border control", at=clock()
        )
    return node, repository, "i" * 32


def decided(node: Node) -> int:
    with node.database.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.action == "inspection.decide")
            )
            or 0
        )


def test_the_same_admission_sent_twice_at_once_is_taken_once(
    checked: tuple[Node, InspectionRepository, str],
) -> None:
    node, repository, inspection_id = checked
    start = threading.Barrier(2)

    def admit() -> OfficerDecision:
        start.wait()
        return record_officer_decision(node, repository, inspection_id, "admit", "cleared", OFFICER)

    with ThreadPoolExecutor(2) as pool:
        first, second = (f.result() for f in [pool.submit(admit), pool.submit(admit)])

    assert first == second
    assert decided(node) == 1
    with node.database.read() as session:
        assert len(crossings_of(session, "MAR", "ZX9876543")) == 1
        assert node.audit.verify(session).intact


def test_another_decision_is_a_conflict_and_changes_nothing(
    checked: tuple[Node, InspectionRepository, str],
) -> None:
    node, repository, inspection_id = checked
    record_officer_decision(node, repository, inspection_id, "admit", "cleared", OFFICER)

    with pytest.raises(DecisionConflict, match=r"already decided: admit \(cleared\) by officer"):
        record_officer_decision(
            node, repository, inspection_id, "refuse", "false_document", OFFICER
        )

    assert decided(node) == 1
    with node.database.read() as session:
        assert repository.get(session, inspection_id).action == "admit"
