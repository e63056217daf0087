"""The watchlist registry: idempotent loads, updates, withdrawal and the active list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from passerelle.exc import InvalidInput
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.loading import LoadReport, load_file
from passerelle.store.tables import WatchlistPerson
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import AS_OF, Clock

registry = WatchlistRegistry()

ARABIC = "محمد بن علي"


def person(person_id: str = "MAR-W-0001", **changes: Any) -> dict[str, Any]:
    """A valid watchlist line as a dict, with ``changes`` applied."""
    record: dict[str, Any] = {
        "id": person_id,
        "names": ["Mohamed Ben Ali", ARABIC],
        "birth_date": "1985-03-02",
        "nationalities": ["MAR"],
        "sex": "M",
        "category": "wanted",
        "issued_by": "MAR",
        "valid_until": None,
    }
    record.update(changes)
    return record


def write_lines(path: Path, *lines: dict[str, Any] | str) -> Path:
    text = "".join(
        (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
        for line in lines
    )
    path.write_text(text, encoding="utf-8")
    return path


def load(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, path: Path
) -> LoadReport:
    return load_file(database, audit, registry, path, actor=officer, clock=clock, batch_size=3)


def stored_names(database: Database) -> dict[str, list[str]]:
    """Every stored person's names, in the issuer's order."""
    with database.read() as session:
        rows = session.execute(
            select(WatchlistPerson.id, WatchlistPerson.names).order_by(WatchlistPerson.id)
        ).all()
    return {person_id: list(names) for person_id, names in rows}


def count_persons(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(WatchlistPerson)) or 0


def test_load_stores_persons_and_their_names(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "w.jsonl",
        person("A1"),
        person("A2", names=["Fatima Zahra"], birth_date="1990", sex=None, category="missing"),
        person("A3", birth_date="1979-11", nationalities=["DZA", "TUN"], category="travel_ban"),
    )
    report = load(database, audit, officer, clock, path)
    assert (report.lines, report.accepted, report.unchanged, report.rejected) == (3, 3, 0, 0)
    with database.read() as session:
        a2 = registry.get(session, "A2")
        a3 = registry.get(session, "A3")
    assert a2 is not None
    assert a3 is not None
    assert (a2.birth_date, a2.birth_year, a2.sex, a2.status) == ("1990", 1990, None, "active")
    assert (a3.birth_date, a3.birth_year, a3.nationalities) == ("1979-11", 1979, ("DZA", "TUN"))
    assert a2.created_at == a2.updated_at == clock()
    assert stored_names(database) == {
        "A1": ["Mohamed Ben Ali", ARABIC],
        "A2": ["Fatima Zahra"],
        "A3": ["Mohamed Ben Ali", ARABIC],
    }


def test_reloading_the_same_file_changes_nothing(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "w.jsonl", *(person(f"P{n}") for n in range(5)))
    load(database, audit, officer, clock, path)
    clock.advance(days=1)
    again = load(database, audit, officer, clock, path)
    assert (again.accepted, again.unchanged, again.rejected) == (0, 5, 0)
    with database.read() as session:
        p0 = registry.get(session, "P0")
    assert count_persons(database) == 5
    assert p0 is not None
    assert p0.updated_at == p0.created_at != clock()


def test_changed_content_updates_the_person_and_keeps_created_at(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    load(database, audit, officer, clock, write_lines(tmp_path / "a.jsonl", person("P1")))
    created = clock()
    clock.advance(hours=3)
    changed = person("P1", names=["Mohammed Benali"], category="travel_ban")
    report = load(database, audit, officer, clock, write_lines(tmp_path / "b.jsonl", changed))
    assert (report.accepted, report.unchanged) == (1, 0)
    with database.read() as session:
        p1 = registry.get(session, "P1")
    assert p1 is not None
    assert (p1.names, p1.category) == (("Mohammed Benali",), "travel_ban")
    assert (p1.created_at, p1.updated_at) == (created, clock())
    assert p1.content_hash == registry.parse(changed).content_hash
    assert stored_names(database) == {"P1": ["Mohammed Benali"]}


def test_a_load_stores_who_is_kept_from_partners_and_a_change_of_it_is_an_update(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    lines = (
        person("P1"),
        person("P2", shareable=False),
        person("P3", restricted_matter="religious"),
    )
    load(database, audit, officer, clock, write_lines(tmp_path / "a.jsonl", *lines))
    with database.read() as session:
        views = [registry.get(session, f"P{n}") for n in (1, 2, 3)]
    assert [(v.shareable, v.restricted_matter) for v in views if v is not None] == [
        (True, None),
        (False, None),
        (True, "religious"),
    ]
    assert views[2] is not None
    assert views[2].as_dict()["restricted_matter"] == "religious"
    clock.advance(hours=1)
    kept_now = (person("P1", shareable=False), person("P2"), person("P3"))
    report = load(database, audit, officer, clock, write_lines(tmp_path / "b.jsonl", *kept_now))
    assert (report.accepted, report.unchanged) == (3, 0)
    with database.read() as session:
        views = [registry.get(session, f"P{n}") for n in (1, 2, 3)]
    assert [(v.shareable, v.restricted_matter) for v in views if v is not None] == [
        (False, None),
        (True, None),
        (True, None),
    ]


def test_same_id_twice_in_a_file_with_different_content_is_rejected_with_its_line(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "w.jsonl",
        person("D1"),
        person("D2"),
        person("D1"),
        person("D1", sex="F"),
    )
    report = load(database, audit, officer, clock, path)
    assert (report.accepted, report.unchanged) == (2, 1)
    (rejection,) = report.rejections
    assert (rejection.line_no, rejection.field) == (4, "id")
    assert "line 1" in rejection.reason
    with database.read() as session:
        d1 = registry.get(session, "D1")
    assert d1 is not None
    assert d1.sex == "M"


BAD_LINES: list[tuple[dict[str, Any] | str, str, str]] = [
    (person("B1", alias="x"), "alias", "unknown field"),
    (person("B2", birth_date="1985-02-30"), "birth_date", "not a real date"),
    (person("B3", birth_date="02/03/1985"), "birth_date", "YYYY, YYYY-MM or YYYY-MM-DD"),
    (person("B4", valid_until="2027-13-01"), "valid_until", "not a real date"),
    (person("B5", nationalities=["MAR", "XYZ"]), "nationalities", "'XYZ'"),
    (person("B6", issued_by="ZZZ"), "issued_by", "'ZZZ'"),
    (person("B7", names=[]), "names", "at least one name"),
    (person("B8", names=["Ali", "   "]), "names", "name 2 is empty"),
    (person("B9", names=["A" * 257]), "names", "longer than 256"),
    (person("B10", category="suspect"), "category", "'suspect' is not one of"),
    (person("B11", category=["wanted"]), "category", "is not one of"),
    (person("B12", sex="X"), "sex", "'X' is not one of"),
    (person("B13", names=["Ali\u0000"]), "names", "control characters"),
    (person("", names=["Ali"]), "id", "non-empty string"),
    (person("B15", issued_by=None), "issued_by", "is required"),
    ("{not json", "line", "not valid JSON"),
]


def test_bad_lines_are_rejected_with_field_and_reason_and_nothing_of_them_is_stored(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    lines = [person("GOOD1"), *(line for line, _, _ in BAD_LINES), person("GOOD2")]
    report = load(database, audit, officer, clock, write_lines(tmp_path / "w.jsonl", *lines))
    found = [(r.line_no, r.field) for r in report.rejections]
    assert found == [(n, field) for n, (_, field, _) in enumerate(BAD_LINES, start=2)]
    for rejection, (_, _, reason) in zip(report.rejections, BAD_LINES, strict=True):
        assert reason in rejection.reason
    assert (report.accepted, report.rejected) == (2, len(BAD_LINES))
    assert count_persons(database) == 2
    assert set(stored_names(database)) == {"GOOD1", "GOOD2"}
    with database.read() as session:
        assert audit.verify(session).intact


def test_names_in_any_script_are_stored_nfc_and_round_trip(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    decomposed = "\u0627\u0654\u062d\u0645\u062f  \u0628\u0646 \u0639\u0644\u064a"  # ا + ٔ
    names = [ARABIC, decomposed, "Ахмед Бен Али", "José Ben Alí"]
    path = write_lines(tmp_path / "w.jsonl", person("AR1", names=names))
    load(database, audit, officer, clock, path)
    expected = (ARABIC, "أحمد بن علي", "Ахмед Бен Али", "José Ben Alí")
    with database.read() as session:
        ar1 = registry.get(session, "AR1")
    assert ar1 is not None
    assert ar1.names == expected
    assert stored_names(database) == {"AR1": list(expected)}
    again = load(database, audit, officer, clock, path)
    assert again.unchanged == 1


def test_add_refuses_an_existing_id_and_update_an_unknown_one(
    database: Database, clock: Clock
) -> None:
    with database.write() as session:
        added = registry.add(session, registry.parse(person("C1")), clock())
    assert added.status == "active"
    with pytest.raises(InvalidInput) as refused, database.write() as session:
        registry.add(session, registry.parse(person("C1", sex="F")), clock())
    assert refused.value.field == "id"
    assert "already on the watchlist" in refused.value.reason
    with pytest.raises(InvalidInput) as unknown, database.write() as session:
        registry.update(session, registry.parse(person("C2")), clock())
    assert (unknown.value.field, unknown.value.reason) == (
        "id",
        "no watchlist person has id 'C2'",
    )


def test_update_replaces_content_and_names_but_same_content_changes_nothing(
    database: Database, clock: Clock
) -> None:
    with database.write() as session:
        registry.add(session, registry.parse(person("C1")), clock())
    created = clock()
    clock.advance(minutes=5)
    with database.write() as session:
        same = registry.update(session, registry.parse(person("C1")), clock())
    assert same.updated_at == created
    with database.write() as session:
        changed = registry.update(session, registry.parse(person("C1", names=["Ali"])), clock())
    assert (changed.names, changed.created_at, changed.updated_at) == (("Ali",), created, clock())
    assert stored_names(database) == {"C1": ["Ali"]}


def test_withdrawn_person_stays_withdrawn_when_loaded_again(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    load(database, audit, officer, clock, write_lines(tmp_path / "a.jsonl", person("W1")))
    clock.advance(days=1)
    with database.write() as session:
        gone = registry.withdraw(session, "W1", clock(), "arrested")
    assert (gone.status, gone.withdrawn_at) == ("withdrawn", clock())
    with pytest.raises(InvalidInput, match="already withdrawn"), database.write() as session:
        registry.withdraw(session, "W1", clock(), "again")
    clock.advance(days=1)
    path = write_lines(tmp_path / "b.jsonl", person("W1", category="alert"))
    report = load(database, audit, officer, clock, path)
    assert (report.accepted, report.unchanged) == (0, 1)
    with database.read() as session:
        w1 = registry.get(session, "W1")
        assert list(registry.active(session, AS_OF)) == []
    assert w1 is not None
    assert (w1.status, w1.category, w1.withdrawn_at) == ("withdrawn", "wanted", gone.withdrawn_at)


def test_withdraw_needs_a_known_id_and_a_reason(database: Database, clock: Clock) -> None:
    with database.write() as session:
        registry.add(session, registry.parse(person("W1")), clock())
    with pytest.raises(InvalidInput) as blank, database.write() as session:
        registry.withdraw(session, "W1", clock(), "  ")
    assert blank.value.field == "reason"
    with pytest.raises(InvalidInput) as unknown, database.write() as session:
        registry.withdraw(session, "NOPE", clock(), "arrested")
    assert unknown.value.field == "id"


def test_active_lists_only_persons_active_and_still_valid(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "w.jsonl",
        person("V-open"),
        person("V-today", valid_until=AS_OF.isoformat()),
        person("V-past", valid_until="2026-11-24"),
        person("V-future", valid_until="2030-01-01"),
        person("V-gone"),
    )
    load(database, audit, officer, clock, path)
    with database.write() as session:
        registry.withdraw(session, "V-gone", clock(), "duplicate record")
    with database.read() as session:
        today = [p.id for p in registry.active(session, AS_OF)]
        later = [p.id for p in registry.active(session, date(2027, 1, 1))]
    assert today == ["V-future", "V-open", "V-today"]
    assert later == ["V-future", "V-open"]


def test_parse_normalises_values_without_a_database() -> None:
    entry = registry.parse(
        person(
            " X1 ",
            names=["  Ben   Ali ", "Ben Ali"],
            nationalities=["mar", "MAR", "tun"],
            issued_by="mar",
            valid_until="2030-06-30",
        )
    )
    assert (entry.id, entry.names, entry.nationalities) == ("X1", ("Ben Ali",), ("MAR", "TUN"))
    assert (entry.issued_by, entry.valid_until) == ("MAR", date(2030, 6, 30))
    nulls = registry.parse({"id": "X2", "names": ["Ali"], "category": "alert", "issued_by": "DZA"})
    assert (nulls.birth_date, nulls.sex, nulls.nationalities, nulls.valid_until) == (
        None,
        None,
        (),
        None,
    )


def test_one_registry_reused_for_a_second_load_still_sees_what_the_first_stored(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    # The registry skips looking persons up while every stored person is one it inserted
    # itself; that must hold per load, not over the registry object's life.
    reused = WatchlistRegistry()
    first = write_lines(tmp_path / "a.jsonl", person("R1"), person("R2"))
    second = write_lines(tmp_path / "b.jsonl", person("R2"), person("R3"))
    for path in (first, second):
        report = load_file(database, audit, reused, path, actor=officer, clock=clock, batch_size=10)
    assert (report.accepted, report.unchanged) == (1, 1)
    with database.read() as session:
        assert {p.id for p in reused.active(session, clock().date())} == {"R1", "R2", "R3"}
