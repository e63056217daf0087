"""Two hosts of one node write the audit chain at once: it stays one line, every record sealed.

Each host is its own process with its own HOME; both open the same PostgreSQL
database with the node's keys. Sixteen writers in all append at once; the chain
then verifies intact from either host and its sequence has no gap.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.node import open_node
from passerelle.settings import Settings
from passerelle.store.audit import Actor
from passerelle.store.db import Database
from passerelle.store.tables import AuditRecord
from tests.conftest import fresh_postgres_database
from tests.hosts.layout import Host, two_hosts

WRITERS_PER_HOST = 8
RECORDS_PER_WRITER = 10


def _start_writers(host: Host) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.hosts.audit_writers",
            str(WRITERS_PER_HOST),
            str(RECORDS_PER_WRITER),
        ],
        env=host.environment() | {"PYTHONPATH": _python_path()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _python_path() -> str:
    root = Path(__file__).resolve().parents[2]
    return f"{root}:{root / 'src'}"


def _sequence(url: str) -> tuple[list[int], int]:
    """Every record's sequence number in order, and how many the writers wrote."""
    database = Database(url)
    try:
        with database.read() as session:
            written = session.scalars(
                select(AuditRecord.seq).where(AuditRecord.action == "test.write")
            ).all()
            every = session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)).all()
    finally:
        database.dispose()
    return list(every), len(written)


@pytest.mark.slow
def test_sixteen_writers_in_two_host_processes_leave_one_intact_gap_free_chain(
    tmp_path: Path,
) -> None:
    with fresh_postgres_database("hosts") as url:
        first, second = two_hosts(tmp_path, url)
        writers = [_start_writers(first), _start_writers(second)]
        for writer in writers:
            _, stderr = writer.communicate(timeout=300)
            assert writer.returncode == 0, stderr

        every, written = _sequence(url)
        assert written == 2 * WRITERS_PER_HOST * RECORDS_PER_WRITER
        assert every == list(range(1, len(every) + 1))
        for host in (first, second):
            verified = host.run("audit", "verify")
            assert verified.returncode == 0, verified.stdout + verified.stderr
            assert f"audit chain intact: {len(every)} records" in verified.stdout


def test_sixteen_writers_on_two_host_nodes_leave_one_intact_gap_free_chain(
    tmp_path: Path,
) -> None:
    with fresh_postgres_database("hosts") as url:
        hosts = two_hosts(tmp_path, url)
        settings = [Settings(home=h.home, database_url=h.database_url) for h in hosts]
        with open_node(settings[0]) as first, open_node(settings[1]) as second:
            start = threading.Barrier(2 * WRITERS_PER_HOST)
            failures: list[BaseException] = []

            def write(node_number: int, writer: int) -> None:
                node = (first, second)[node_number]
                actor = Actor(f"writer.{node_number}.{writer}", "system")
                start.wait()
                try:
                    for _ in range(RECORDS_PER_WRITER):
                        with node.database.write() as session:
                            node.audit.record(
                                session, actor=actor, action="test.write", at=node.clock()
                            )
                except BaseException as exc:
                    failures.append(exc)

            threads = [
                threading.Thread(target=write, args=(n, w))
                for n in (0, 1)
                for w in range(WRITERS_PER_HOST)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not failures
            every, written = _sequence(url)
            assert written == 2 * WRITERS_PER_HOST * RECORDS_PER_WRITER
            assert every == list(range(1, len(every) + 1))
            for node in (first, second):
                with node.database.read() as session:
                    verdict = node.audit.verify(session)
                assert verdict.intact, verdict.reason
                assert verdict.records == len(every)
