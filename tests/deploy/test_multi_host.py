"""Two API hosts behind HAProxy on one PostgreSQL database; one dies during inspections.

The layout of docs/deployment.md on loopback: two ``passerelle serve`` processes, each
with its own HOME and the node's keys, the shipped HAProxy config in front, and booth
clients that name every inspection with a request id and send it again when the
answer is lost (a connection error, a 5xx from the balancer). Host A hangs (SIGSTOP)
while the clients run, long enough to be given requests, then dies (SIGKILL) with
them: their answers are lost, whether or not A had stored them. Afterwards every
request id has exactly one inspection in the database, each client holds that
inspection's id, and the audit chain is intact.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import fresh_postgres_database
from tests.deploy.hosts import (
    Balancer,
    ServeHost,
    balancer,
    haproxy_binary,
    host_environment,
    passerelle,
    provision_keys,
    serving,
    set_up_first_host,
)
from tests.screening.conftest import passport

pytestmark = pytest.mark.skipif(
    haproxy_binary() is None and not os.environ.get("PASSERELLE_REQUIRE_HAPROXY"),
    reason="haproxy is not installed (apt-get install haproxy; .ci/run installs it and sets "
    "PASSERELLE_REQUIRE_HAPROXY, which makes its absence a failure)",
)

RETRY_FOR_S = 90.0
"""How long a booth's client keeps sending one request before the test gives up."""


HANG_S = 2.0
"""How long host A hangs before it dies: several requests' time, so that it holds some."""


@dataclass(frozen=True)
class Answered:
    request_id: str
    inspection_id: str
    decision: str
    lost: tuple[str, ...]
    """Why each earlier attempt got no answer (a transport error's name, a 5xx status)."""

    @property
    def attempts(self) -> int:
        return len(self.lost) + 1


@dataclass(frozen=True)
class Node:
    database_url: str
    token: str
    env_b: dict[str, str]
    front: Balancer
    host_a: ServeHost


@pytest.fixture
def two_hosts(tmp_path: Path) -> Iterator[Node]:
    with fresh_postgres_database("multihost") as url:
        home_a, home_b = tmp_path / "host-a", tmp_path / "host-b"
        env_a, env_b = host_environment(home_a, url), host_environment(home_b, url)
        token = set_up_first_host(env_a)
        home_b.mkdir()
        provision_keys(home_a, home_b)
        with serving("host-a", env_a, tmp_path) as a, serving("host-b", env_b, tmp_path) as b:
            a.wait_healthy()
            b.wait_healthy()
            with balancer([a, b], tmp_path) as front:
                yield Node(url, token, env_b, front, a)


def inspect_until_answered(client: httpx.Client, body: dict[str, Any]) -> Answered:
    """Send one inspection until it is answered, as a booth's client does: the same body
    (the same request id) again after a connection error or a 5xx."""
    deadline = time.monotonic() + RETRY_FOR_S
    lost: list[str] = []
    while True:
        try:
            answer = client.post("/api/v1/inspections", json=body)
        except httpx.TransportError as exc:
            lost.append(type(exc).__name__)
            answer = None
        if answer is not None and answer.status_code < 500:
            assert answer.status_code == 201, answer.text
            found = answer.json()
            return Answered(
                body["request_id"], found["inspection_id"], found["decision"], tuple(lost)
            )
        if answer is not None:
            lost.append(str(answer.status_code))
        assert time.monotonic() < deadline, f"{body['request_id']}: no answer in {RETRY_FOR_S} s"
        time.sleep(0.2)


def run_booths(node: Node, inspections: int, clients: int) -> list[Answered]:
    """``inspections`` travellers checked by ``clients`` booths at once. Once a third are
    answered host A hangs for ``HANG_S`` (the balancer's least-loaded choice gives it the
    next requests, which it holds), then is killed."""
    bodies = [
        {
            "mrz": passport(number=f"QA{n:07d}"),
            "purpose": "border control",
            "crossing_point": "TNG-MED",
            "direction": "entry",
            "request_id": str(uuid.uuid4()),
        }
        for n in range(inspections)
    ]
    local = threading.local()

    def booth(body: dict[str, Any]) -> Answered:
        if not hasattr(local, "client"):
            local.client = node.front.client(node.token)
        answered: Answered = inspect_until_answered(local.client, body)
        return answered

    answers: list[Answered] = []
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(booth, body) for body in bodies]
        for future in as_completed(futures):
            answers.append(future.result())
            if len(answers) == inspections // 3:
                node.host_a.freeze()
                time.sleep(HANG_S)
                node.host_a.kill()
    return answers


def stored_per_request(database_url: str) -> dict[str | None, list[str]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT request_id, id FROM inspections")).all()
            searches = connection.scalar(
                text("SELECT count(*) FROM audit_records WHERE action = 'inspection.search'")
            )
    finally:
        engine.dispose()
    found: dict[str | None, list[str]] = {"searches": [str(searches)]}
    for request_id, inspection_id in rows:
        found.setdefault(request_id, []).append(inspection_id)
    return found


def check_every_request_stored_once(node: Node, answers: list[Answered], expected: int) -> None:
    assert len(answers) == expected
    stored = stored_per_request(node.database_url)
    searches = int(stored.pop("searches")[0])
    assert set(stored) == {a.request_id for a in answers}  # none lost, none without an id
    for answer in answers:
        assert stored[answer.request_id] == [answer.inspection_id]  # once, the one answered
    assert searches == expected  # one audit record of each inspection, none for a replay
    verified = passerelle(node.env_b, "audit", "verify", check=False)
    assert verified.exit_code == 0, verified.output


def test_a_host_killed_during_inspections_loses_none_and_answers_none_twice(
    two_hosts: Node,
) -> None:
    answers = run_booths(two_hosts, inspections=16, clients=4)
    check_every_request_stored_once(two_hosts, answers, 16)
    assert {a.decision for a in answers} == {"clear"}
    assert any(a.attempts > 1 for a in answers)  # answers the dead host held were retried


@pytest.mark.slow
def test_many_inspections_through_a_host_killed_midway_are_each_stored_once(
    two_hosts: Node,
) -> None:
    answers = run_booths(two_hosts, inspections=400, clients=8)
    check_every_request_stored_once(two_hosts, answers, 400)
    assert any(a.attempts > 1 for a in answers)
