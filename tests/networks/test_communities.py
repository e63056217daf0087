"""Communities: a planted ring is found whole, strangers are not merged into it."""

from __future__ import annotations

from datetime import timedelta

from passerelle.networks import (
    build_network,
    community_part,
    default_parameters,
    neighbourhood,
)
from passerelle.store import Database
from tests.networks.world import SmallWorld, at

PARAMETERS = default_parameters()
ORGANISER = "R0"
GROUP_A, GROUP_B = ("R1", "R2", "R3"), ("R4", "R5", "R6")


def plant_ring(world: SmallWorld) -> None:
    """An organiser crossing with one sub-group then the other, weekly, for six weeks."""
    for week in range(6):
        group = GROUP_A if week % 2 == 0 else GROUP_B
        start = at(week * 7, 10 * 60)
        for n, member in enumerate((ORGANISER, *group)):
            world.crossing(member, start + timedelta(minutes=2 * n))
            world.crossing(member, start + timedelta(hours=5, minutes=2 * n), way="entry")


def test_the_planted_ring_is_one_community_around_its_organiser(database: Database) -> None:
    with database.write() as session:
        world = SmallWorld(session)
        plant_ring(world)
        for week in range(6):  # two strangers crossing together, elsewhere, as often
            world.crossing("S1", at(week * 7, 60), point="TNG-MED")
            world.crossing("S2", at(week * 7, 63), point="TNG-MED")
            world.crossing("S3", at(week * 7, 65), point="TNG-MED")
        world.crossing("S9", at(0, 10 * 60 + 1))  # once beside the ring: chance
    with database.read() as session:
        network = build_network(session, at(-1), at(60), PARAMETERS)
    ring = {f"doc:MAR:{m}" for m in (ORGANISER, *GROUP_A, *GROUP_B)}
    strangers = {"doc:MAR:S1", "doc:MAR:S2", "doc:MAR:S3"}
    found = [set(c.persons) for c in network.communities]
    assert ring in found
    assert strangers in found
    assert "doc:MAR:S9" not in {p.key for p in network.persons}
    community = next(c for c in network.communities if set(c.persons) == ring)
    assert community.central[0].key == "doc:MAR:R0"
    assert {(r.point, r.hour) for r in community.routes} >= {("NDR-BNI", 18), ("NDR-BNI", 23)}
    assert community.growth[-1].persons == 7
    assert dict(community.kinds) == {
        "co_travel_time": len(community_part(network, community.number).links)
    }


def test_a_persons_neighbours_are_those_they_crossed_with(database: Database) -> None:
    with database.write() as session:
        plant_ring(SmallWorld(session))
    with database.read() as session:
        network = build_network(session, at(-1), at(60), PARAMETERS, ["co_travel_time"])
    part = neighbourhood(network, "doc:MAR:R1")
    assert {p.key for p in part.persons} == {f"doc:MAR:{m}" for m in (ORGANISER, *GROUP_A)}
    assert all(link.reason.english for link in part.links)


def test_building_twice_gives_the_same_communities(database: Database) -> None:
    with database.write() as session:
        plant_ring(SmallWorld(session))
    with database.read() as session:
        first = build_network(session, at(-1), at(60), PARAMETERS)
        second = build_network(session, at(-1), at(60), PARAMETERS)
    assert first.as_dict() == second.as_dict()
