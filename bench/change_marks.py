"""What a host pays, per inspection, to know whether another host changed what it indexed.

What it measures
    A migrated node database (SQLite in a temporary folder, and PostgreSQL when
    ``--postgres`` names a server: a database is created and dropped) is given
    ``--persons`` watchlist persons (bulk insert, not timed). Then, ``--rounds`` times
    each, inside one open read transaction (an inspection makes the check in the
    transaction it already has, so only the statement is timed):

    * the peer: the watermark the indexes read before (row count and latest
      ``updated_at`` of the table: an aggregate over it);
    * the change counter (``passerelle.store.changes.change_marks``: a primary-key read).

    It prints the median and p99 of each in microseconds and their ratio. The alerts'
    name index read the peer's watermark of two tables per inspection.

Run it
    PYTHONPATH=$PWD/src .venv/bin/python bench/change_marks.py [--persons 100000]
        [--rounds 2000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from passerelle.store.changes import WATCHLIST_TABLES, change_marks
from passerelle.store.db import Database
from passerelle.store.tables import WatchlistPerson

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _fill(database: Database, persons: int) -> None:
    rows = [
        {
            "id": f"MAR-W-{n:08d}",
            "names": [f"Person {n}"],
            "nationalities": ["MAR"],
            "category": "missing",
            "issued_by": "MAR",
            "status": "active",
            "content_hash": "0" * 64,
            "created_at": NOW,
            "updated_at": NOW,
            "shareable": True,
        }
        for n in range(persons)
    ]
    with database.write() as session:
        for start in range(0, persons, 10_000):
            session.execute(insert(WatchlistPerson), rows[start : start + 10_000])


def _peer(session: Session) -> object:
    return session.execute(
        select(func.count(), func.max(WatchlistPerson.updated_at)).select_from(WatchlistPerson)
    ).one()


def _counter(session: Session) -> object:
    return change_marks(session, WATCHLIST_TABLES)


def _time(database: Database, check: Callable[[Session], object], rounds: int) -> list[float]:
    spent = []
    with database.read() as session:
        for _ in range(rounds):
            started = time.perf_counter()
            check(session)
            spent.append((time.perf_counter() - started) * 1e6)
    return spent


def _report(backend: str, persons: int, peer: list[float], counter: list[float]) -> None:
    def cut(values: list[float]) -> str:
        ordered = sorted(values)
        p99 = ordered[int(len(ordered) * 0.99) - 1]
        return f"median {statistics.median(values):8.1f} µs  p99 {p99:8.1f} µs"

    ratio = statistics.median(peer) / statistics.median(counter)
    print(f"{backend:10s} {persons:>9,} persons  count+max(updated_at): {cut(peer)}")
    print(f"{'':10s} {'':>9s}          change counter:        {cut(counter)}  ({ratio:.1f}x less)")


@contextmanager
def _postgres(admin_url: str) -> Iterator[str]:
    name = f"bench_changes_{secrets.token_hex(3)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _measure(backend: str, url: str, persons: int, rounds: int) -> None:
    database = Database(url)
    try:
        database.upgrade()
        _fill(database, persons)
        _time(database, _counter, 50)  # warm the pool
        _report(backend, persons, _time(database, _peer, rounds), _time(database, _counter, rounds))
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--postgres", default=None, help="an admin URL to create a database on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _measure("sqlite", f"sqlite:///{Path(folder) / 'node.db'}", args.persons, args.rounds)
    if args.postgres:
        with _postgres(args.postgres) as url:
            _measure("postgresql", url, args.persons, args.rounds)


if __name__ == "__main__":
    main()
