"""A node on a PostgreSQL primary and a real streaming replica (``pg_basebackup -R``).

The analysts' heavy reads come from the replica: with its replay paused, a change made on
the primary is not on the dashboard nor in the identity links until replay resumes. Their
audit records are on the primary (the standby refuses every write); an analyst's own
change reads back at once (from the primary while the replica is behind it); officers'
inspections never wait on the replica; with the replica down the analysts read the
primary and the page says so (``PASSERELLE_REPLICA_FALLBACK=primary``, the default).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from passerelle.access import AccessControl
from passerelle.node import Node, open_node
from passerelle.records.identity_links import LinkEnd, LinkProposal
from passerelle.server import create_app
from passerelle.settings import Settings
from passerelle.store import Database
from passerelle.store.identity_links import IdentityLinkRepository
from passerelle.store.replica import ReplicaUnavailable
from tests.api.conftest import FAST, PASSWORD, SETUP, fast_services
from tests.api.test_identity_links import BODY, EVIDENCE
from tests.conftest import provision_node
from tests.faults.private_postgres import PrivatePostgres
from tests.screening.conftest import passport
from tests.web.test_pages import csrf, login

DATABASE = "passerelle"


@pytest.fixture
def standby(running_postgres: PrivatePostgres) -> Iterator[PrivatePostgres]:
    """A hot standby of the private primary, streaming, with the node's database on it."""
    running_postgres.create_database(DATABASE)
    replica = PrivatePostgres(standby_of=running_postgres)
    try:
        replica.start()
        yield replica
    finally:
        replica.remove()
        running_postgres.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@pytest.fixture
def node(
    running_postgres: PrivatePostgres, standby: PrivatePostgres, tmp_path: Path
) -> Iterator[Node]:
    settings = Settings(
        home=tmp_path / "home",
        database_url=running_postgres.url_of(DATABASE),
        replica_database_url=standby.url_of(DATABASE),
        replica_retry_s=0,  # a replica back up is read again at once
    )
    provision_node(settings)
    with open_node(settings) as opened:
        yield opened


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    access = AccessControl.for_node(node, hashing=FAST)
    for role in ("officer", "analyst"):
        access.add_user(f"{role}.one", role, PASSWORD, by=SETUP)
    app = create_app(node=node, wire=fast_services)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def token(node: Node, role: str) -> dict[str, str]:
    issued = AccessControl.for_node(node, hashing=FAST).issue_token(f"{role}.one", by=SETUP)
    return {"authorization": f"Bearer {issued.token}"}


def replay_caught_up(primary: PrivatePostgres, standby: PrivatePostgres) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with Database(primary.url_of(DATABASE)).lookup() as session:
        target = session.execute(text("SELECT pg_current_wal_lsn()")).scalar_one()
    replica = Database(standby.url_of(DATABASE))
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            with replica.lookup() as session:
                done = session.execute(
                    text("SELECT pg_last_wal_replay_lsn() >= CAST(:t AS pg_lsn)"), {"t": target}
                ).scalar_one()
            if done:
                return
            time.sleep(0.05)
    finally:
        replica.dispose()
    raise AssertionError(f"the standby did not replay up to {target} in 30 s")


def inspected(client: TestClient, officer: dict[str, str], number: str) -> str:
    answer = client.post(
        "/api/v1/inspections", json={**BODY, "mrz": passport(number=number)}, headers=officer
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["inspection_id"])


def proposed(node: Node, left: str, right: str) -> int:
    links = IdentityLinkRepository(node.audit)
    ends = LinkEnd("inspection", left), LinkEnd("inspection", right)
    with node.database.write() as session:
        links.propose(session, [LinkProposal(*ends, 0.93, EVIDENCE)], run_id=None, now=node.clock())
        (link,) = links.links(session, record=ends[0])
        return link.id


def inspections_on_dashboard(client: TestClient) -> tuple[int, str]:
    page = client.get("/dashboard")
    assert page.status_code == 200, page.text
    found = re.search(r'class="figure">(\d+)</span><span>inspections<', page.text)
    source = re.search(r'id="data-as-of" role="status" data-source="(\w+)"', page.text)
    assert found is not None
    assert source is not None
    return int(found.group(1)), source.group(1)


def audited_on_primary(node: Node, action: str) -> int:
    with node.database.read() as session:
        return int(
            session.execute(
                text("SELECT count(*) FROM audit_records WHERE action = :a"), {"a": action}
            ).scalar_one()
        )


def test_analysts_read_the_replica_audit_on_the_primary_and_see_their_own_changes(
    running_postgres: PrivatePostgres, standby: PrivatePostgres, node: Node, client: TestClient
) -> None:
    officer, analyst = token(node, "officer"), token(node, "analyst")
    first = proposed(
        node, inspected(client, officer, "ZX9876543"), inspected(client, officer, "QA1234567")
    )
    replay_caught_up(running_postgres, standby)
    assert login(client, "analyst.one") == 303
    assert inspections_on_dashboard(client) == (2, "replica")
    listed = client.get("/api/v1/identity-links", headers=analyst)
    assert listed.headers["passerelle-read-from"] == "replica"
    assert listed.headers["passerelle-data-as-of"]  # the replica's last replayed commit
    assert [link["id"] for link in listed.json()["links"]] == [first]

    # replay paused: the primary moves on, the analysts' reads do not
    standby.execute("SELECT pg_wal_replay_pause()")
    second = proposed(
        node, inspected(client, officer, "LM5551234"), inspected(client, officer, "KP7654321")
    )
    assert inspections_on_dashboard(client) == (2, "replica")
    listed = client.get("/api/v1/identity-links", headers=analyst)
    assert [link["id"] for link in listed.json()["links"]] == [first]
    assert audited_on_primary(node, "identity_link.list") == 2  # each reading recorded there

    # the standby refuses writes; the node's reads there never tried one
    with pytest.raises(Exception, match="read-only transaction"):
        standby.execute("CREATE TABLE written_on_the_replica (id int)", database=DATABASE)

    # an analyst's own change reads back at once: from the primary, the replica behind it
    page = client.get(f"/analysis/identities/{first}")
    assert 'data-source="replica"' in page.text
    resolved = client.post(
        f"/analysis/identities/{first}/resolution",
        data={"csrf_token": csrf(page.text), "colour": "red", "note": "Two passports."},
        follow_redirects=False,
    )
    assert resolved.status_code == 303
    assert "passerelle_written=" in resolved.headers["set-cookie"]
    page = client.get(f"/analysis/identities/{first}")
    assert "red: multiple identity" in page.text
    assert 'data-source="primary"' in page.text
    assert "has not replayed your latest change yet" in page.text
    elsewhere = TestClient(client.app)  # another analyst's client: the replica's view
    others = elsewhere.get(f"/api/v1/identity-links/{first}", headers=analyst)
    assert (others.json()["colour"], others.headers["passerelle-read-from"]) == (
        "yellow",
        "replica",
    )

    standby.execute("SELECT pg_wal_replay_resume()")
    replay_caught_up(running_postgres, standby)
    assert inspections_on_dashboard(client) == (4, "replica")
    page = client.get(f"/analysis/identities/{first}")
    assert 'data-source="replica"' in page.text
    assert "red: multiple identity" in page.text
    listed = client.get("/api/v1/identity-links", headers=analyst)
    assert {link["id"] for link in listed.json()["links"]} == {first, second}

    # the replica down: the analysts read the primary, and are told so
    standby.stop()
    assert inspections_on_dashboard(client) == (4, "primary")
    assert "the analysts' replica cannot be reached" in client.get("/dashboard").text
    assert inspected(client, officer, "RT1122334")  # the booth never needed it
    listed = client.get("/api/v1/identity-links", headers=analyst)
    assert listed.status_code == 200
    assert listed.headers["passerelle-read-from"] == "primary"

    standby.start()
    replay_caught_up(running_postgres, standby)
    assert inspections_on_dashboard(client) == (5, "replica")
    assert audited_on_primary(node, "identity_link.list") == 4
    assert audited_on_primary(node, "identity_link.read") == 4


def test_a_node_that_refuses_without_its_replica_keeps_inspecting(
    running_postgres: PrivatePostgres, standby: PrivatePostgres, node: Node, client: TestClient
) -> None:
    assert node.reads is not None
    node.reads.fallback = "refuse"
    officer, analyst = token(node, "officer"), token(node, "analyst")
    standby.stop()
    refused = client.get("/api/v1/identity-links", headers=analyst)
    assert refused.status_code == 503
    assert "PASSERELLE_REPLICA_FALLBACK=refuse" in refused.json()["detail"]
    assert inspected(client, officer, "ZX9876543")
    with pytest.raises(ReplicaUnavailable), node.analysis.read():
        pass
