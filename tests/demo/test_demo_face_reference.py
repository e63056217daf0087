"""The demo's wanted woman is enrolled with her reference photo and name, so that `make demo`'s
face scenario shows them on the verdict (issue 14, part SEES)."""

from __future__ import annotations

import pytest

from passerelle.demo import DemoWorld, generate_world, seed_node
from passerelle.node import Node
from passerelle.wiring import face_desk
from tests.conftest import AS_OF
from tests.demo.test_loading import SEEDER, node  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return generate_world(11, as_of=AS_OF, travellers=100)


def test_the_demo_face_is_filed_with_its_photo_and_the_alerts_name(
    node: Node,  # noqa: F811
    world: DemoWorld,
) -> None:
    pytest.importorskip("skimage")
    seed_node(node, world, actor=SEEDER)

    reference = face_desk(node).galleries.reference(world.face.gallery, world.face.identity)
    assert reference is not None
    (wanted,) = [a for a in world.alerts if a.id == world.face.identity]
    assert reference.name == wanted.subject.as_json()["names"][0] == "Nadia Berrada"
    assert reference.jpeg is not None
    assert reference.jpeg.startswith(b"\xff\xd8")
    scenario = {s.key: s for s in world.scenarios}["face"]
    assert "reference photo and name (Nadia Berrada)" in scenario.explanation
