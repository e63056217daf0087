"""Seizures on inspections, on SQLite and PostgreSQL: numbered per inspection, the document
copied from the inspection, gone with the inspection."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from passerelle.records.inspections import UnknownInspection
from passerelle.records.seizures import UnknownSeizure, parse_seizure
from passerelle.store import AuditTrail, Database
from passerelle.store.seizures import SeizureRepository
from passerelle.store.tables import Inspection, Seizure
from tests.conftest import Clock
from tests.store.test_cases import queue_hits


def test_seizures_are_numbered_per_inspection_with_the_document_read(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    queue_hits(database, audit, clock, "insp-1", count=1)
    queue_hits(database, audit, clock, "insp-2", count=1)
    seizures = SeizureRepository()
    now = clock()
    document = parse_seizure(document=True, items="", reason="Stolen", alert_reference="A-1")
    items = parse_seizure(document=False, items="Two stamps", reason="Forgery", alert_reference="")
    with database.write() as session:
        first = seizures.add(session, "insp-1", document, document_type="P", officer="o", now=now)
        second = seizures.add(session, "insp-1", items, document_type="P", officer="o", now=now)
        other = seizures.add(session, "insp-2", items, document_type=None, officer="o", now=now)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert (first.document_state, first.document_number, first.document_type) == (
        "MAR",
        "AB1234567",
        "P",
    )
    assert (second.document_state, second.document_number, second.document_type) == (
        None,
        None,
        None,
    )
    with database.read() as session:
        assert [s.number for s in seizures.of_inspection(session, "insp-1")] == [1, 2]
        assert seizures.get(session, "insp-1", 2).items == "Two stamps"
        with pytest.raises(UnknownSeizure):
            seizures.get(session, "insp-2", 2)
    with database.write() as session, pytest.raises(UnknownInspection):
        seizures.add(session, "nope", items, document_type=None, officer="o", now=clock())
    with database.write() as session:  # retention deletes the inspection: its seizures go
        session.execute(delete(Inspection).where(Inspection.id == "insp-1"))
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Seizure)) == 1
