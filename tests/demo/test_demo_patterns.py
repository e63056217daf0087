"""A fresh demo node shows the planted patterns on the risk reading, on its own map."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from passerelle.analytics import DashboardQuery
from passerelle.analytics.risk import RiskQuery, pattern_rules, risk_report
from passerelle.demo import generate_world
from passerelle.demo.loading import seed_node
from passerelle.demo.plants_patterns import BURST_NUMBERS, BURST_STATE
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.wiring.risk import load_crossing_map
from tests.conftest import AS_OF, Clock, with_biometric_key

SEEDER = Actor("demo.analyst", "user", "analyst")


@pytest.fixture
def node(tmp_path: Path, clock: Clock) -> Iterator[Node]:
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade("heads")
    settings = Settings(home=tmp_path / "home", database_url=str(database.engine.url))
    yield Node(with_biometric_key(settings), database, AuditTrail(secrets.token_bytes(32)), clock)
    database.dispose()


def test_a_fresh_demo_shows_a_double_use_and_a_burst_of_sequential_passports(
    node: Node,
) -> None:
    seed_node(node, generate_world(11, as_of=AS_OF, travellers=300), actor=SEEDER, faces=False)
    places = load_crossing_map(node.settings)
    assert {"TNG-MED", "OUJ-ZKH", "CMN-T1", "BAB-SEBTA", "NDR-BNI"} <= {
        p.code for p in places.points
    }
    query = RiskQuery(DashboardQuery(AS_OF - timedelta(days=30), AS_OF))
    with node.database.read() as session:
        report = risk_report(session, query, pattern_rules(), places)
    rules = {f.rule: f for f in report.findings}
    twice = rules["used_at_once"]
    assert {r.crossing_point for r in twice.records} == {"TNG-MED", "OUJ-ZKH"}
    assert len({r.document_number for r in twice.records}) == 1
    burst = rules["sequential_documents"]
    assert {(r.issuing_state, r.document_number) for r in burst.records} == {
        (BURST_STATE, number) for number in BURST_NUMBERS
    }
