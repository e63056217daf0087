"""The demo's smuggling ring: planted in the world, found by the networks once loaded."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from passerelle.demo import DemoWorld, generate_world, seed_node
from passerelle.demo.plants_ring import RING_POINT, RING_SIZE, TRIP_DAYS_AGO
from passerelle.networks import TimedRecords, build_network, default_parameters, pair_within
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store import AuditTrail, Database
from tests.conftest import AS_OF, Clock, with_biometric_key
from tests.demo.test_loading import SEEDER

PARAMETERS = default_parameters()


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    """The world ``make demo`` loads."""
    return generate_world(as_of=AS_OF)


def test_only_the_ring_crosses_together_three_times_in_the_world(world: DemoWorld) -> None:
    records = TimedRecords()
    for crossing in world.crossings:
        records.add(
            person=f"doc:{crossing.issuing_state}:{crossing.document_number}",
            group=f"{crossing.crossing_point}|{crossing.direction}",
            at=int(crossing.at.timestamp()),
            id=crossing.id,
        )
    together = list(
        pair_within(
            records,
            window_s=PARAMETERS.time_window_minutes * 60,
            at_least=PARAMETERS.time_min_occasions,
        )
    )
    persons = {key for pair in together for key in (pair.first, pair.second)}
    assert len(persons) == RING_SIZE
    assert len(together) == 6 + 3 + 3  # the organiser with each; each sub-group's three pairs
    ring_crossings = [
        c for c in world.crossings if f"doc:{c.issuing_state}:{c.document_number}" in persons
    ]
    assert {c.crossing_point for c in ring_crossings} == {RING_POINT}
    assert len(ring_crossings) == 2 * 4 * len(TRIP_DAYS_AGO)


def test_a_fresh_demo_shows_the_ring_as_a_community_around_its_organiser(
    tmp_path: Path, clock: Clock
) -> None:
    world = generate_world(as_of=AS_OF, travellers=300)
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade()
    settings = Settings(home=tmp_path / "home", database_url=str(database.engine.url))
    node = Node(with_biometric_key(settings), database, AuditTrail(secrets.token_bytes(32)), clock)
    seed_node(node, world, actor=SEEDER, faces=False)
    since = datetime.combine(AS_OF - timedelta(days=90), time(0), UTC)
    with database.read() as session:
        network = build_network(session, since, datetime.combine(AS_OF, time(0), UTC), PARAMETERS)
    database.dispose()
    (ring,) = network.communities
    assert len(ring.persons) == RING_SIZE
    assert ring.central[0].degree == RING_SIZE - 1  # the organiser crossed with everyone
    assert {route.point for route in ring.routes} == {RING_POINT}
