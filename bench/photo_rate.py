"""What a photo request pays to take its user's token from the node's database.

What it measures
    ``--rounds`` takes, spread over ``--users`` officers (none is refused: the limit is
    set high), through:

    * the peer: the in-memory bucket each host kept before (``access.rates.PhotoRate``,
      one process: N hosts allowed N times the rate);
    * the node's bucket (``access.rates.NodePhotoRate``): one upsert in its own write
      transaction, on SQLite (a temporary folder) and, when ``--postgres`` names a
      server, on PostgreSQL (a database is created and dropped).

    It prints wall and CPU time (this process: the client's side; PostgreSQL's own
    server CPU is not in it) per take, median and p99 of the wall times, and the ratio of
    CPU per take against the peer. A photo request costs the node up to a second of a face
    worker's CPU (``bench/photo_flood.py``), so the take is measured against that too.

Run it
    PYTHONPATH=$PWD/src .venv/bin/python bench/photo_rate.py [--rounds 2000] [--users 50]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from passerelle.access.rates import NodePhotoRate, PhotoGate, PhotoRate, RateLimit
from passerelle.store.db import Database

LIMIT = RateLimit(per_minute=60_000.0, burst=1_000_000)
"""High enough that no take is refused: the cost of a granted take is measured."""


def _time(rate: PhotoGate, rounds: int, users: int) -> tuple[list[float], float]:
    """Each take's wall time (s), and the process CPU seconds of all of them."""
    for user in range(users):  # each user's row exists: the steady state
        rate.take(f"officer.{user:03d}")
    walls: list[float] = []
    cpu_before = time.process_time()
    for n in range(rounds):
        started = time.perf_counter()
        rate.take(f"officer.{n % users:03d}")
        walls.append(time.perf_counter() - started)
    return walls, time.process_time() - cpu_before


def _report(name: str, walls: list[float], cpu: float, peer_cpu: float | None) -> float:
    cpu_each = cpu / len(walls)
    p99 = statistics.quantiles(walls, n=100)[98]
    ratio = f", CPU ×{cpu_each / peer_cpu:,.0f} the peer's" if peer_cpu else ""
    print(
        f"{name:<22} wall p50 {statistics.median(walls) * 1e6:8.1f} µs, p99 {p99 * 1e6:8.1f} µs; "
        f"CPU {cpu_each * 1e6:8.1f} µs per take{ratio}"
    )
    return cpu_each


@contextmanager
def _postgres(admin_url: str) -> Iterator[str]:
    name = f"bench_photo_rate_{secrets.token_hex(3)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _node(url: str, rounds: int, users: int, peer_cpu: float, label: str) -> None:
    database = Database(url)
    try:
        database.upgrade()
        walls, cpu = _time(NodePhotoRate(database, LIMIT), rounds, users)
        _report(label, walls, cpu, peer_cpu)
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--postgres", default=None, help="an admin URL to create a database on")
    args = parser.parse_args()
    print(f"{args.rounds} takes over {args.users} users; load average {os.getloadavg()}")
    walls, cpu = _time(PhotoRate(LIMIT), args.rounds * 10, args.users)
    peer_cpu = _report("peer: in memory", walls, cpu, None)
    with tempfile.TemporaryDirectory(prefix="photo-rate-") as folder:
        url = f"sqlite:///{Path(folder) / 'node.db'}"
        _node(url, args.rounds, args.users, peer_cpu, "node-wide: SQLite")
    if args.postgres:
        with _postgres(args.postgres) as url:
            _node(url, args.rounds, args.users, peer_cpu, "node-wide: PostgreSQL")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
