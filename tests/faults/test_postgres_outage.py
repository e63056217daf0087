"""The node's PostgreSQL goes away under inspection load, and comes back.

Officers keep sending inspections through the real app (routes, dependencies, error
table) while the test restarts the node's own PostgreSQL server, then stops it for a
few seconds. What must hold:

- during the outage an answer is never a clear: it is a ``refer`` whose finding says
  the node's database could not be reached, or a 503 that names the database and
  tells the officer to refer and check by hand (no 500, no traceback);
- nothing is half-written: every inspection answered as recorded is stored exactly
  once with its audit record, the audit chain verifies, no hit review, crossing or
  audit record stands without its inspection;
- the node recovers by itself: once the server is back, the next inspections are
  cleared and recorded, without restarting the node.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.server import create_app
from passerelle.settings import Settings
from passerelle.store import Database
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from tests.api.conftest import FAST, SETUP, fast_services
from tests.conftest import Clock, provision_node
from tests.faults.private_postgres import PrivatePostgres
from tests.screening.conftest import ADMIN, STOLEN_NUMBER, passport, write_lines

pytestmark = pytest.mark.faults

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
OFFICERS = 4


@dataclass
class Booths:
    """Officers sending inspections in a loop, each answer kept with the time it came."""

    client: TestClient
    token: str
    answers: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, number: int) -> tuple[int, dict[str, Any]]:
        stolen = number % 5 == 0  # one in five is a HIT: a hit review rides on the inspection
        mrz = passport(number=STOLEN_NUMBER) if stolen else passport(number=f"ZX{number:07d}")
        answer = self.client.post(
            "/api/v1/inspections",
            json={**BODY, "mrz": mrz},
            headers={"authorization": f"Bearer {self.token}"},
        )
        body = answer.json()
        with self.lock:
            self.answers.append((time.monotonic(), answer.status_code, body))
        return answer.status_code, body

    def booth(self, first: int) -> None:
        number = first
        while not self.stop.is_set():
            self.send(number)
            number += OFFICERS

    def since(self, moment: float) -> list[tuple[int, dict[str, Any]]]:
        with self.lock:
            return [(status, body) for at, status, body in self.answers if at >= moment]


@pytest.fixture
def node_on_private_postgres(
    running_postgres: PrivatePostgres, tmp_path: Path, clock: Clock
) -> Iterator[Node]:
    url = running_postgres.create_database(f"outage_{tmp_path.name[-8:].lower()}")
    settings = Settings(home=tmp_path / "home", database_url=url)
    audit = provision_node(settings)
    database = Database(settings.effective_database_url)
    stolen = {
        "issuing_state": "MAR",
        "document_number": STOLEN_NUMBER,
        "document_code": "P",
        "status": "stolen",
        "reported_on": "2026-10-01",
        "reported_by": "MAR",
    }
    load_file(
        database, audit, SltdRegistry(), write_lines(tmp_path / "sltd.jsonl", stolen),
        actor=ADMIN, clock=clock,
    )  # fmt: skip
    yield Node(settings=settings, database=database, audit=audit, clock=clock)
    database.dispose()


@pytest.fixture
def booths(node_on_private_postgres: Node) -> Iterator[Booths]:
    node = node_on_private_postgres
    access = AccessControl.for_node(node, hashing=FAST)
    access.add_user("officer.one", "officer", "correct horse battery", by=SETUP)
    token = access.issue_token("officer.one", by=SETUP).token
    app = create_app(node=node, wire=fast_services, web=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Booths(client, token)


def _run_booths(booths: Booths, fault: Any) -> None:
    threads = [threading.Thread(target=booths.booth, args=(i,)) for i in range(OFFICERS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        fault()
        time.sleep(1.0)
    finally:
        booths.stop.set()
        for thread in threads:
            thread.join(timeout=30)


def _outage_answers_are_clear(booths: Booths) -> None:
    statuses = Counter(status for _, status, _ in booths.answers)
    assert set(statuses) <= {201, 503}, statuses
    for _, status, body in booths.answers:
        if status == 503:
            assert "database could not be reached" in body["detail"], body
            assert "refer travellers" in body["detail"], body
            continue
        if body["recorded"] and not any(f["code"] == "error" for f in body["findings"]):
            continue
        assert body["decision"] in {"refer", "hit"}, body
        reasons = " ".join(f["message"] for f in body["findings"] if f["severity"] == "refer")
        assert "database could not be reached" in reasons, body["findings"]


def _nothing_is_half_written(node: Node, booths: Booths) -> None:
    recorded = [b["inspection_id"] for _, s, b in booths.answers if s == 201 and b["recorded"]]
    with node.database.read() as session:
        stored = Counter(
            session.scalars(text("SELECT id FROM inspections")).all()  # type: ignore[call-overload]
        )
        audited = Counter(
            session.scalars(
                text(
                    "SELECT p.query ->> 'inspection' FROM audit_records r "
                    "JOIN audit_payloads p ON p.seq = r.seq WHERE r.action = 'inspection.search'"
                )
            ).all()
        )
        orphan_reviews = session.scalar(
            text(
                "SELECT count(*) FROM hit_reviews h "
                "LEFT JOIN inspections i ON i.id = h.inspection_id WHERE i.id IS NULL"
            )
        )
        orphan_crossings = session.scalar(
            text(
                "SELECT count(*) FROM crossings c "
                "LEFT JOIN inspections i ON i.crossing_id = c.id WHERE i.id IS NULL"
            )
        )
        verdict = node.audit.verify(session)
    assert verdict.intact, verdict
    for inspection in recorded:
        assert stored[inspection] == 1, inspection
        assert audited[inspection] == 1, inspection
    assert stored == audited  # every stored inspection has its one audit record, and only those
    assert orphan_reviews == 0
    assert orphan_crossings == 0


def _recovered(booths: Booths) -> None:
    for number in range(900001, 900005):  # none a multiple of 5: all clean
        status, body = booths.send(number)
        assert status == 201, body
        assert body["decision"] == "clear", body["findings"]
        assert body["recorded"]


def test_a_restart_of_postgresql_under_load_refers_then_recovers_without_a_node_restart(
    running_postgres: PrivatePostgres, node_on_private_postgres: Node, booths: Booths
) -> None:
    _run_booths(booths, lambda: running_postgres.restart("fast"))
    _outage_answers_are_clear(booths)
    _recovered(booths)
    _nothing_is_half_written(node_on_private_postgres, booths)


def test_a_stopped_postgresql_refers_every_traveller_until_it_is_back(
    running_postgres: PrivatePostgres, node_on_private_postgres: Node, booths: Booths
) -> None:
    def outage() -> None:
        running_postgres.stop("immediate")
        time.sleep(3.0)
        down = booths.since(time.monotonic() - 2.0)
        running_postgres.start()
        assert down, "no inspection was sent while the database was down"
        assert all(s == 503 or b["decision"] != "clear" for s, b in down)

    _run_booths(booths, outage)
    _outage_answers_are_clear(booths)
    _recovered(booths)
    _nothing_is_half_written(node_on_private_postgres, booths)


def test_the_first_inspection_after_a_restart_of_an_idle_node_is_recorded(
    running_postgres: PrivatePostgres, booths: Booths
) -> None:
    status, body = booths.send(1)
    assert body["recorded"], body  # the pools now hold live connections
    running_postgres.restart("fast")  # which the server closes while nobody is inspecting
    status, body = booths.send(2)
    assert status == 201, body
    assert body["decision"] == "clear", body["findings"]
    assert body["recorded"]
