"""A fresh demo has yellow links between each planted person's two identities, and none
between persons who merely share a common name (the watchlist's namesake decoys)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from passerelle.demo import DemoWorld, generate_world, seed_node
from passerelle.demo.plants_identities import PLANTED, plant_links, planted_pairs
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.biometrics import FaceReferenceStore
from passerelle.store.identity_links import IdentityLinkRepository
from tests.conftest import AS_OF, Clock, with_biometric_key

SEEDER = Actor("analyst.idrissi", "user", "analyst")


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return generate_world(11, as_of=AS_OF, travellers=300)


@pytest.fixture
def node(tmp_path: Path, clock: Clock) -> Iterator[Node]:
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade("heads")
    settings = Settings(home=tmp_path / "home", database_url=f"sqlite:///{tmp_path / 'node.db'}")
    yield Node(with_biometric_key(settings), database, AuditTrail(secrets.token_bytes(32)), clock)
    database.dispose()


def _links(node: Node) -> dict[frozenset[str], str]:
    with node.database.read() as session:
        found = IdentityLinkRepository(node.audit).links(session, limit=500)
    return {frozenset((link.left.key, link.right.key)): link.colour for link in found}


def test_the_planted_identities_are_yellow_links_and_namesakes_are_not_linked(
    node: Node, world: DemoWorld
) -> None:
    assert len(world.watchlist) == 20  # six others gave way to the planted identities
    seed_node(node, world, actor=SEEDER, faces=False)
    report = plant_links(node, world, SEEDER, faces=True)  # the planted face, no dlib
    links = _links(node)
    for one, other in planted_pairs(world):
        assert links.get(frozenset({f"watchlist:{one}", f"watchlist:{other}"})) == "yellow"
    planted = {f"watchlist:{i}" for pair in planted_pairs(world) for i in pair}
    assert all(pair <= planted for pair in links), "only the planted persons are linked"
    assert report.outcome.new == len(PLANTED)
    with node.database.read() as session:  # the face person's photo stands on both sides
        photos = [
            FaceReferenceStore().photo_galleries(session, identity)
            for identity in planted_pairs(world)[-1]
        ]
    assert photos == [["travellers"], ["travellers"]]


def test_without_faces_the_two_persons_found_by_names_and_dates_are_still_linked(
    node: Node, world: DemoWorld
) -> None:
    seed_node(node, world, actor=SEEDER, faces=False)
    plant_links(node, world, SEEDER, faces=False)
    links = _links(node)
    pairs = [frozenset({f"watchlist:{a}", f"watchlist:{b}"}) for a, b in planted_pairs(world)]
    assert [links.get(pair) for pair in pairs] == ["yellow", "yellow", None]
