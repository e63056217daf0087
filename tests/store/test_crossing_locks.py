"""Who waits for whom when crossings are written on PostgreSQL (several hosts, one store).

An officer's crossing locks its document only: crossings of two documents are written at
once, whatever host writes them; two writers of one document's crossing take turns (the
duplicate check stays whole); a bulk load's batch holds every officer's crossing back until
it commits. Each case holds one transaction open and gives the other a short
``lock_timeout``: a writer that had to wait fails with ``LockNotAvailable``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from passerelle.store import Actor, Database
from passerelle.store.crossings import CrossingEntry, CrossingRegistry, store_crossing
from passerelle.store.tables import Crossing

OFFICER = Actor("officer.benali", "user", "officer")
AT = datetime(2026, 7, 14, 9, 30, tzinfo=UTC)
NOW = AT + timedelta(seconds=2)


@pytest.fixture
def store(postgres_url: str) -> Iterator[Database]:
    database = Database(postgres_url)
    with database.write() as session:
        session.execute(text("TRUNCATE crossings RESTART IDENTITY CASCADE"))
    yield database
    database.dispose()


def crossing(number: str) -> CrossingEntry:
    return CrossingEntry(
        issuing_state="MAR",
        document_number=number,
        nationality="MAR",
        crossing_point="TNG-MED",
        direction="entry",
        at=AT,
        officer=OFFICER.name,
    )


def impatient(session: Session) -> Session:
    session.execute(text("SET LOCAL lock_timeout = '500ms'"))
    return session


def test_crossings_of_two_documents_are_written_at_once(store: Database) -> None:
    with store.write() as first:
        store_crossing(first, crossing("UM4731285"), actor=OFFICER, now=NOW)
        with store.write() as second:  # another host's inspection, meanwhile
            _, created = store_crossing(
                impatient(second), crossing("XK0012345"), actor=OFFICER, now=NOW
            )
        assert created
    with store.read() as session:
        assert len(session.scalars(select(Crossing)).all()) == 2


def test_two_writers_of_one_document_s_crossing_take_turns(store: Database) -> None:
    with store.write() as first:
        store_crossing(first, crossing("UM4731285"), actor=OFFICER, now=NOW)
        with pytest.raises(OperationalError, match="lock"), store.write() as second:
            store_crossing(impatient(second), crossing("UM4731285"), actor=OFFICER, now=NOW)
    with store.write() as again:  # its turn now: the crossing is found, not stored twice
        _, created = store_crossing(again, crossing("UM4731285"), actor=OFFICER, now=NOW)
    assert not created
    with store.read() as session:
        assert len(session.scalars(select(Crossing)).all()) == 1


def test_a_load_s_batch_holds_officers_crossings_back_until_it_commits(store: Database) -> None:
    registry = CrossingRegistry(default_officer="registry.admin")
    line = {
        "issuing_state": "MAR",
        "document_number": "UM4731285",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "at": AT.isoformat(),
    }
    with store.write() as batch:
        registry.apply(batch, [registry.parse(line)], NOW)
        with pytest.raises(OperationalError, match="lock"), store.write() as officer:
            store_crossing(impatient(officer), crossing("XK0012345"), actor=OFFICER, now=NOW)
    with store.write() as officer:
        _, created = store_crossing(officer, crossing("XK0012345"), actor=OFFICER, now=NOW)
    assert created
