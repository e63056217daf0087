"""A catalogue saved through one host applies on every host of the node, without a restart."""

from __future__ import annotations

from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.wiring.catalogues import CatalogueBook, save_catalogues, saved_catalogues

ADMIN = Actor("node.admin", "user", "admin")
TANGER_MED = '{"crossing_points": [{"code": "TNG-MED", "name": "Tanger Med"}]}'
BAB_SEBTA = (
    '{"crossing_points": [{"code": "TNG-MED", "name": "Tanger Med"},'
    ' {"code": "BAB-SEBTA", "name": "Bab Sebta"}]}'
)


def _points(book: CatalogueBook) -> list[str]:
    return [point.code for point in book.current().crossing_points]


def test_a_catalogue_saved_through_one_host_applies_on_the_other_at_its_next_check(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    at_a = CatalogueBook(a, check_s=0.0)
    assert _points(at_a) == []  # no catalogue yet: the defaults

    save_catalogues(b, TANGER_MED, by=ADMIN)
    assert _points(at_a) == ["TNG-MED"]

    save_catalogues(b, BAB_SEBTA, by=ADMIN)
    assert _points(at_a) == ["TNG-MED", "BAB-SEBTA"]
    assert [p.code for p in saved_catalogues(a).crossing_points] == ["TNG-MED", "BAB-SEBTA"]
    assert _points(CatalogueBook(a)) == ["TNG-MED", "BAB-SEBTA"]  # a host starting now
