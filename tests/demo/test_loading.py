"""Seeding a node with the demo world: the node's own loaders, audited, idempotent; the
scenarios then answer as promised from the stored registries."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from passerelle.demo import DemoWorld, SeedReport, generate_world, seed_node
from passerelle.demo.catalogues import DEMO_CATALOGUES
from passerelle.demo.loading import LoadCount, write_world
from passerelle.names import DEFAULT_THRESHOLD, NameQuery, ScreeningIndex
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.stay import assess_stay
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.alerts import AlertRegistry
from passerelle.store.crossings import crossings_of
from passerelle.store.sltd import SltdRegistry
from passerelle.store.stay_rules import rule_for
from passerelle.store.tables import (
    Alert,
    AuditRecord,
    BiometricTemplate,
    Crossing,
    SltdRecord,
    WatchlistPerson,
)
from passerelle.store.watchlist import WatchlistRegistry
from passerelle.wiring import load_catalogues
from tests.conftest import AS_OF, Clock, with_biometric_key

SEEDER = Actor("demo.analyst", "user", "analyst")
"""Who loads the demo lists and enrols its faces: the analyst who keeps them."""
TABLES = (SltdRecord, WatchlistPerson, Crossing, Alert, BiometricTemplate)


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return generate_world(11, as_of=AS_OF, travellers=300)


def node_on(database: Database, home: Path, clock: Clock) -> Node:
    settings = Settings(home=home, database_url=database.engine.url.render_as_string(False))
    return Node(with_biometric_key(settings), database, AuditTrail(secrets.token_bytes(32)), clock)


@pytest.fixture
def node(tmp_path: Path, clock: Clock) -> Iterator[Node]:
    """A migrated SQLite node in a temporary folder."""
    database = Database(f"sqlite:///{tmp_path / 'node.db'}")
    database.upgrade("heads")
    yield node_on(database, tmp_path / "home", clock)
    database.dispose()


@pytest.fixture
def seeded(node: Node, world: DemoWorld) -> SeedReport:
    return seed_node(node, world, actor=SEEDER, faces=False)


def rows(database: Database) -> dict[str, int]:
    with database.read() as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in TABLES
        }


def test_seeding_loads_the_world_and_seeding_again_stores_nothing(
    database: Database, tmp_path: Path, clock: Clock, world: DemoWorld
) -> None:
    node = node_on(database, tmp_path / "home", clock)
    first = seed_node(node, world, actor=SEEDER, faces=False)

    assert (first.sltd, first.watchlist, first.crossings, first.alerts) == (
        LoadCount(len(world.sltd), 0),
        LoadCount(len(world.watchlist), 0),
        LoadCount(len(world.crossings), 0),
        LoadCount(len(world.alerts), 0),
    )
    assert first.rejections == ()
    assert first.notes == ("no face enrolled: faces were not asked for",)
    stored = rows(database)
    assert stored == {
        "sltd_records": len(world.sltd),
        "watchlist_persons": len(world.watchlist),
        "crossings": len(world.crossings),
        "alerts": len(world.alerts),
        "biometric_templates": 0,
    }

    clock.advance(hours=1)
    second = seed_node(node, world, actor=SEEDER, faces=False)

    assert second.stored == 0
    assert (second.sltd.unchanged, second.watchlist.unchanged, second.crossings.unchanged) == (
        len(world.sltd),
        len(world.watchlist),
        len(world.crossings),
    )
    assert second.alerts == LoadCount(0, len(world.alerts))
    assert rows(database) == stored


def test_every_step_of_a_seeding_is_in_an_intact_audit_chain(
    node: Node, seeded: SeedReport
) -> None:
    with node.database.read() as session:
        actions = list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))
        verdict = node.audit.verify(session)
    assert verdict.intact
    assert {"sltd.load", "watchlist.load", "crossings.load", "demo.seed"} <= set(actions)
    assert actions.count("alert.issue") == 6
    assert actions[-1] == "demo.seed"


def test_the_files_written_are_the_ones_an_operator_would_load(
    node: Node, seeded: SeedReport, world: DemoWorld, tmp_path: Path
) -> None:
    folder = seeded.folder
    assert folder == node.settings.home / "demo"
    names = {p.name for p in folder.iterdir()}
    assert {"sltd.jsonl", "watchlist.jsonl", "crossings.jsonl", "alerts", "passports.txt"} <= names
    assert len(list((folder / "alerts").glob("*.json"))) == len(world.alerts)
    again = write_world(world, tmp_path / "again")
    assert again.crossings.read_bytes() == (folder / "crossings.jsonl").read_bytes()
    assert (folder / "passports.txt").read_text().count("\n\n") == len(world.travellers) - 1


def test_the_stolen_scenario_is_found_in_the_registry(
    node: Node, seeded: SeedReport, world: DemoWorld
) -> None:
    traveller = world.traveller(world.scenario("stolen").traveller_id or "")
    with node.database.read() as session:
        (match,) = SltdRegistry().lookup(session, *traveller.document.split(":"))
        readme = SltdRegistry().lookup(session, "MAR", "UM4731285")
        clear = world.traveller(world.scenario("clear").traveller_id or "")
        assert SltdRegistry().lookup(session, clear.issuing_state, clear.document_number) == []
    assert (match.status, match.match, match.reported_by) == ("stolen", "exact", "MAR")
    assert [m.status for m in readme] == ["stolen"]


def test_screening_the_stored_watchlist_finds_the_listed_spelling_but_not_the_namesake(
    node: Node, seeded: SeedReport, world: DemoWorld
) -> None:
    with node.database.read() as session:  # as ``passerelle screen`` builds its index
        index = ScreeningIndex.build(WatchlistRegistry().active(session, node.clock().date()))
    listed = world.traveller(world.scenario("watchlisted").traveller_id or "")
    (match, *_) = index.screen(
        NameQuery(listed.mrz_name, listed.birth_date.isoformat(), listed.nationality, listed.sex)
    )
    assert match.score >= DEFAULT_THRESHOLD
    assert "Muhammad bin Ali" in world.watchlist[0].names
    assert match.id == world.watchlist[0].id

    namesake = world.traveller(world.scenario("common_name").traveller_id or "")
    query = NameQuery(namesake.mrz_name, namesake.birth_date.isoformat(), "MAR", namesake.sex)
    assert index.screen(query, threshold=0.5) == []


def test_the_overstay_scenario_is_flagged_and_the_clear_one_is_within_the_limit(
    node: Node, seeded: SeedReport, world: DemoWorld
) -> None:
    def stay_of(key: str) -> tuple[int, int]:
        traveller = world.traveller(world.scenario(key).traveller_id or "")
        with node.database.read() as session:
            crossings = crossings_of(session, traveller.issuing_state, traveller.document_number)
            rule = rule_for(session, traveller.nationality)
        result = assess_stay([c.movement for c in crossings], as_of=world.as_of, limit=rule.limit)
        return result.days_used, result.overstay_days

    days_used, overstay = stay_of("overstay")
    assert days_used > 90
    assert overstay == days_used - 90
    assert stay_of("clear") == (8, 0)


def test_the_travel_ban_is_found_by_the_travellers_name_and_birth_date(
    node: Node, seeded: SeedReport, world: DemoWorld
) -> None:
    traveller = world.traveller(world.scenario("travel_ban").traveller_id or "")
    registry = AlertRegistry(node.audit)
    with node.database.read() as session:
        (alert,) = registry.find_by_person(
            session,
            f"{traveller.given_names} {traveller.surname}",
            traveller.birth_date.isoformat(),
        )
        documents = [
            registry.find_by_document(session, "MAR", a.subject.as_json()["document_number"])
            for a in world.alerts
            if a.subject.kind == "document" and a.subject.as_json()["issuing_state"] == "MAR"
        ]
    assert (alert.category, alert.status) == ("travel_ban", "active")
    assert alert.in_force(world.as_of)
    assert alert.issuing_authority.startswith("Parquet")
    assert "refuse exit" in alert.action
    assert [[a.category for a in found] for found in documents] == [["stolen_document"]]


def test_the_demo_portrait_is_enrolled_once_and_found_in_the_alerts_gallery(
    node: Node, world: DemoWorld
) -> None:
    pytest.importorskip("skimage")
    from passerelle.biometrics.enrolment import FaceGalleries
    from passerelle.biometrics.face import capture_face, read_image

    report = seed_node(node, world, actor=SEEDER)
    again = seed_node(node, world, actor=SEEDER)

    assert (report.faces, again.faces) == (LoadCount(1, 0), LoadCount(0, 1))
    assert report.portrait is not None
    assert report.portrait.is_file()
    folder = node.settings.home / "galleries"
    galleries = FaceGalleries(node.database, node.template_vault(), folder)
    probe = capture_face(read_image(report.portrait.read_bytes()))
    (hit, *_) = galleries.search(world.face.gallery, probe)
    assert (hit.identity, hit.is_hit) == (world.alerts[0].id, True)
    assert rows(node.database)["biometric_templates"] == 1


def test_the_cli_helper_seeds_and_prints_every_scenario_with_commands_to_try(
    node: Node,
) -> None:
    from rich.console import Console

    from passerelle.cli.demo import seed_demo_world

    console = Console(record=True, width=200)
    world, report = seed_demo_world(node, seed=5, travellers=150, faces=False, console=console)
    seed_demo_world(node, seed=5, travellers=150, faces=False, console=console)

    text = console.export_text()
    assert world.as_of == AS_OF
    assert report.stored > 0
    for scenario in world.scenarios:
        assert f"{scenario.title}: expect {scenario.expected.upper()}" in text
        assert scenario.mrz_lines[1] in text
    assert "passerelle sltd check MAR " in text
    assert "passerelle stay SEN:" in text
    assert f"{len(world.sltd):>6,} already there" in text


def test_seeding_gives_the_node_moroccos_crossing_points_unless_it_has_a_catalogue(
    node: Node, seeded: SeedReport, world: DemoWorld
) -> None:
    path = node.settings.effective_catalogues_file
    assert seeded.catalogues == path == node.settings.home / "config" / "catalogues.json"
    catalogues = load_catalogues(node.settings)
    assert catalogues.crossing_points == DEMO_CATALOGUES.crossing_points
    assert set(catalogues.point_codes) >= {c.crossing_point for c in world.crossings}
    assert len(catalogues.point_codes) == 7

    path.write_text('{"crossing_points": [{"code": "AGA-T1"}]}', encoding="utf-8")
    again = seed_node(node, world, actor=SEEDER, faces=False)
    assert again.catalogues is None  # the operator's file is kept
    assert load_catalogues(node.settings).point_codes == ("AGA-T1",)


def test_the_discreet_check_scenario_lets_the_traveller_pass_with_a_report_asked(
    node: Node, seeded: SeedReport, world: DemoWorld
) -> None:
    from passerelle.screening import InspectionRequest, Inspector

    scenario = world.scenario("discreet_check")
    inspector = Inspector(node)
    try:
        result = inspector.inspect(
            InspectionRequest(
                mrz=scenario.mrz,
                purpose="demo",
                crossing_point=scenario.crossing_point,
                direction=scenario.direction,
                officer=Actor("officer.demo", "user", "officer"),
                at=node.clock(),
            )
        )
    finally:
        inspector.close()
    assert (result.decision, result.action) == ("clear", "discreet_check")
    assert result.light("alerts") == "blue"
