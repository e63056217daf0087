"""The node's catalogues are read once from its catalogue file, or are the defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from passerelle.node import Node
from passerelle.records.catalogues import DEFAULT_CATALOGUES, CrossingPoint, InvalidCatalogue
from passerelle.settings import Settings
from passerelle.wiring import build_services, load_catalogues
from tests.screening.conftest import node  # noqa: F401  (fixture)

POINTS = {"crossing_points": [{"code": "TNG-MED", "name": "Tanger Med port"}]}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_node_without_a_catalogue_file_runs_on_the_defaults(tmp_path: Path) -> None:
    assert load_catalogues(Settings(home=tmp_path)) is DEFAULT_CATALOGUES


def test_the_catalogue_file_in_the_nodes_home_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "config" / "catalogues.json", json.dumps(POINTS))
    catalogues = load_catalogues(Settings(home=tmp_path))
    assert catalogues.crossing_points == (CrossingPoint("TNG-MED", "Tanger Med port"),)
    assert catalogues.source == str(path)


def test_the_setting_points_at_another_file(tmp_path: Path) -> None:
    path = write(tmp_path / "etc" / "mar.json", json.dumps(POINTS))
    write(tmp_path / "home" / "config" / "catalogues.json", "{}")
    catalogues = load_catalogues(Settings(home=tmp_path / "home", catalogues_file=path))
    assert catalogues.point_codes == ("TNG-MED",)


def test_a_file_the_setting_names_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "etc" / "mar.json"
    with pytest.raises(InvalidCatalogue) as refused:
        load_catalogues(Settings(home=tmp_path, catalogues_file=missing))
    assert refused.value.source == str(missing)
    assert "PASSERELLE_CATALOGUES_FILE" in refused.value.reason


def test_a_catalogue_file_that_is_not_text_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "config" / "catalogues.json"
    path.parent.mkdir()
    path.write_bytes(b"\xff\xfe{")
    with pytest.raises(InvalidCatalogue) as refused:
        load_catalogues(Settings(home=tmp_path))
    assert (refused.value.source, refused.value.field) == (str(path), "(file)")


def test_a_bad_catalogue_stops_the_wiring_of_the_node(node: Node) -> None:  # noqa: F811
    write(node.settings.effective_catalogues_file, '{"crossing_points": [{"code": ""}]}')
    with pytest.raises(InvalidCatalogue, match=r"crossing_points\[0\]\.code: must not be empty"):
        build_services(node)


def test_the_node_services_carry_the_catalogues_read_at_start(node: Node) -> None:  # noqa: F811
    write(node.settings.effective_catalogues_file, json.dumps(POINTS))
    services = build_services(node)
    try:
        assert services.catalogues.point_codes == ("TNG-MED",)
    finally:
        services.close()
