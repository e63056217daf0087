"""A client's request id makes an inspection safe to retry, on SQLite and PostgreSQL.

The same request sent again under its id is answered with the inspection it made;
two hosts (two ``Database`` engines on one store) running it at the same moment store
it once, the unique index deciding which.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from passerelle.exc import InvalidInput
from passerelle.names import NameMatch, NameQuery
from passerelle.node import Node
from passerelle.records.inspections import RequestIdReused
from passerelle.screening import InspectionRequest, Inspector
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.tables import AuditRecord, Inspection
from tests.conftest import Clock
from tests.screening.conftest import OFFICER, passport

REQUEST_ID = "3f2a9c1e-5b7d-4e21-9a0c-7d1e2f3a4b5c"


def ask(
    clock: Clock,
    *,
    request_id: str | None = REQUEST_ID,
    officer: Actor = OFFICER,
    number: str = "ZX9876543",
    direction: str = "entry",
) -> InspectionRequest:
    return InspectionRequest(
        mrz=passport(number=number),
        purpose="border control: entry check",
        crossing_point="TNG-MED",
        direction="entry" if direction == "entry" else "exit",
        officer=officer,
        at=clock(),
        request_id=request_id,
    )


class NoNames:
    """A watchlist with nobody on it: the name check answers at once."""

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        return []


class MeetingNames(NoNames):
    """A watchlist check that waits until ``parties`` inspections are inside it: both hosts
    have then looked for the request id and found nothing, and both will try to store."""

    def __init__(self, meeting: threading.Barrier) -> None:
        self._meeting = meeting

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        self._meeting.wait(timeout=20)
        return []


@pytest.fixture
def store(database: Database, audit: AuditTrail, clock: Clock) -> Node:
    return Node(settings=Settings(), database=database, audit=audit, clock=clock)


def count(database: Database, request_id: str) -> int:
    with database.read() as session:
        found = session.scalar(
            select(func.count()).select_from(Inspection).where(Inspection.request_id == request_id)
        )
    return int(found or 0)


def intact(node: Node) -> bool:
    with node.database.read() as session:
        return node.audit.verify(session).intact


def searches(database: Database) -> int:
    with database.read() as session:
        found = session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == "inspection.search")
        )
    return int(found or 0)


def test_a_retried_request_is_answered_with_the_inspection_it_made(
    store: Node, clock: Clock
) -> None:
    inspector = Inspector(store, names=NoNames())
    first = inspector.inspect(ask(clock))
    clock.advance(seconds=5)
    again = inspector.inspect(ask(clock))
    assert first.recorded
    assert again.recorded
    assert again.inspection_id == first.inspection_id
    assert again.decision == first.decision == "clear"
    assert again.crossing_id == first.crossing_id
    assert count(store.database, REQUEST_ID) == 1
    assert searches(store.database) == 1  # the replay writes no audit record
    assert intact(store)


def test_another_officers_request_under_the_same_id_is_another_inspection(
    store: Node, clock: Clock
) -> None:
    inspector = Inspector(store, names=NoNames())
    colleague = Actor("officer.idrissi", "user", "officer")
    mine = inspector.inspect(ask(clock))
    theirs = inspector.inspect(ask(clock, officer=colleague))
    assert theirs.inspection_id != mine.inspection_id
    assert count(store.database, REQUEST_ID) == 2


def test_a_request_id_reused_for_another_traveller_is_refused_naming_it(
    store: Node, clock: Clock
) -> None:
    inspector = Inspector(store, names=NoNames())
    inspector.inspect(ask(clock))
    with pytest.raises(RequestIdReused) as refused:
        inspector.inspect(ask(clock, number="YY1234567"))
    assert refused.value.field == "request_id"
    with pytest.raises(RequestIdReused):
        inspector.inspect(ask(clock, direction="exit"))
    assert count(store.database, REQUEST_ID) == 1


@pytest.mark.parametrize("bad", ["short", "has space in it", "-starts-with-dash", "x" * 65])
def test_a_request_id_out_of_shape_is_refused_naming_the_field(clock: Clock, bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ask(clock, request_id=bad)
    assert refused.value.field == "request_id"


def test_requests_without_an_id_are_each_a_new_inspection(store: Node, clock: Clock) -> None:
    inspector = Inspector(store, names=NoNames())
    first = inspector.inspect(ask(clock, request_id=None))
    second = inspector.inspect(ask(clock, request_id=None))
    assert first.inspection_id != second.inspection_id


@pytest.fixture
def second_host(store: Node) -> Iterator[Node]:
    """Another host on the same store: its own engine and connections, the same key."""
    other = Database(store.database.url)
    yield Node(settings=store.settings, database=other, audit=store.audit, clock=store.clock)
    other.dispose()


def test_two_hosts_running_the_same_request_at_once_store_it_once(
    store: Node, second_host: Node, clock: Clock
) -> None:
    meeting = threading.Barrier(2)
    hosts = [Inspector(node, names=MeetingNames(meeting)) for node in (store, second_host)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda inspector: inspector.inspect(ask(clock)), hosts))
    first, second = answers
    assert first.inspection_id == second.inspection_id
    assert first.decision == second.decision
    assert first.recorded
    assert second.recorded
    assert count(store.database, REQUEST_ID) == 1
    assert searches(store.database) == 1
    assert intact(store)
