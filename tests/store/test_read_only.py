"""``Database.read_only()``: a snapshot for long reads that holds no writer back."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.tables import AuditRecord
from tests.conftest import Clock
from tests.store.test_audit import write_records


def test_a_writer_commits_while_a_read_only_snapshot_is_open(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 3)
    took: list[float] = []

    def writer() -> None:
        started = time.monotonic()
        write_records(database, audit, clock, 1)
        took.append(time.monotonic() - started)

    with database.read_only() as session:
        before = session.scalar(select(func.count()).select_from(AuditRecord))
        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(10)
        during = session.scalar(select(func.count()).select_from(AuditRecord))

    assert len(took) == 1
    assert took[0] < 2.0  # the writer did not wait for the snapshot to end
    assert (before, during) == (3, 3)  # and the snapshot did not see its record


def test_a_read_only_snapshot_refuses_writes_on_postgresql(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite: read_only() is a deferred transaction; the page writes nothing in it")
    with database.read_only() as session, pytest.raises(DBAPIError, match="read-only transaction"):
        audit.record(session, actor=Actor("someone"), action="audit.read", at=clock())
