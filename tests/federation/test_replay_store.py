"""The database replay guard on SQLite and PostgreSQL: first sight once, even concurrently."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from passerelle.federation.transport.replay_store import StoredReplayGuard
from passerelle.store import Database
from passerelle.store.tables import SeenMessage
from tests.federation.conftest import NOW


def seen(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(SeenMessage)) or 0


def test_a_message_id_is_new_once_per_sender(database: Database) -> None:
    guard = StoredReplayGuard(database)
    message_id = str(uuid.uuid4())

    assert guard.first_sight("MAR", message_id, NOW)
    assert not guard.first_sight("MAR", message_id, NOW + timedelta(seconds=1))
    assert guard.first_sight("BEL", message_id, NOW)
    assert seen(database) == 2


def test_two_guards_on_one_database_share_what_was_seen(database: Database) -> None:
    message_id = str(uuid.uuid4())
    assert StoredReplayGuard(database).first_sight("MAR", message_id, NOW)
    assert not StoredReplayGuard(database).first_sight("MAR", message_id, NOW)


def test_concurrent_deliveries_of_one_message_let_exactly_one_through(
    database: Database,
) -> None:
    guards = [StoredReplayGuard(database) for _ in range(6)]
    message_id = str(uuid.uuid4())
    barrier = threading.Barrier(len(guards))
    results: list[bool] = []
    lock = threading.Lock()

    def deliver(guard: StoredReplayGuard) -> None:
        barrier.wait()
        outcome = guard.first_sight("MAR", message_id, NOW)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=deliver, args=(guard,)) for guard in guards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(results) == [False] * 5 + [True]


def test_purge_forgets_pairs_older_than_the_horizon(database: Database) -> None:
    guard = StoredReplayGuard(database, max_skew=timedelta(hours=1))
    old, recent = str(uuid.uuid4()), str(uuid.uuid4())
    guard.first_sight("MAR", old, NOW - timedelta(minutes=10))
    guard.first_sight("MAR", recent, NOW)

    assert guard.purge(NOW - timedelta(minutes=4)) == 1
    assert seen(database) == 1
    assert guard.first_sight("MAR", old, NOW)
    assert not guard.first_sight("MAR", recent, NOW)


def test_the_guard_purges_outside_the_window_by_itself(database: Database) -> None:
    guard = StoredReplayGuard(database, max_skew=timedelta(seconds=60))
    guard.first_sight("MAR", str(uuid.uuid4()), NOW)
    guard.first_sight("MAR", str(uuid.uuid4()), NOW + timedelta(seconds=30))
    guard.first_sight("MAR", str(uuid.uuid4()), NOW + timedelta(seconds=150))

    assert seen(database) == 2
