"""Crossings: recorded by officers, bulk-loaded idempotently, counted into stays; stay rules."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from passerelle.exc import InvalidInput
from passerelle.stay import SCHENGEN_SHORT_STAY, StayLimit, assess_stay
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.crossings import (
    CrossingRegistry,
    crossings_of,
    parse_crossing,
    record_crossing,
)
from passerelle.store.loading import LoadReport, load_file
from passerelle.store.rollups import verify_rollups
from passerelle.store.stay_rules import list_rules, rule_for, set_rule
from passerelle.store.tables import AuditPayload, AuditRecord, Crossing, DailyCrossings
from tests.conftest import Clock

ADMIN = Actor("registry.admin", "user", "admin")


def line(**changes: Any) -> dict[str, Any]:
    return {
        "id": "TNG-000001",
        "issuing_state": "MAR",
        "document_number": "UM4731285",
        "nationality": "MAR",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "at": "2026-03-01T10:15:00Z",
        "officer": "officer.benali",
    } | changes


def write_lines(path: Path, *lines: dict[str, Any] | str) -> Path:
    path.write_text(
        "".join((json.dumps(item) if isinstance(item, dict) else item) + "\n" for item in lines),
        encoding="utf-8",
    )
    return path


def load(database: Database, audit: AuditTrail, clock: Clock, path: Path) -> LoadReport:
    return load_file(
        database, audit, CrossingRegistry(), path, actor=ADMIN, clock=clock, batch_size=2
    )


def stored(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Crossing)) or 0


def travel(path: Path) -> Path:
    """A traveller's year: in March, out in April, in again in June (still inside)."""
    return write_lines(
        path,
        line(id="c1", at="2026-03-01T10:15:00Z"),
        line(id="c2", direction="exit", at="2026-04-14T18:00:00+01:00"),
        line(id="c3", at="2026-06-20T08:00:00Z", crossing_point="NDR"),
    )


def test_recorded_crossing_is_listed_with_its_officer(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock
) -> None:
    entry = parse_crossing(line(officer=None))
    with database.write() as session:
        view, created = record_crossing(session, audit, entry, actor=officer, now=clock())
    assert created
    with database.read() as session:
        (listed,) = crossings_of(session, "mar", "um4731285")
    assert listed == view
    assert (listed.officer, listed.direction, listed.crossing_point) == (
        officer.name,
        "entry",
        "TNG-MED",
    )
    assert listed.at == datetime(2026, 3, 1, 10, 15, tzinfo=UTC)


def test_recording_the_same_crossing_again_stores_it_once(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock
) -> None:
    entry = parse_crossing(line())
    with database.write() as session:
        first, _ = record_crossing(session, audit, entry, actor=officer, now=clock())
    with database.write() as session:
        again, created = record_crossing(session, audit, entry, actor=officer, now=clock())
    assert (again.id, created, stored(database)) == (first.id, False, 1)
    with database.read() as session:
        actions = session.scalars(select(AuditRecord.action)).all()
        results = session.scalars(select(AuditPayload.result).order_by(AuditPayload.seq)).all()
    assert actions == ["crossing.record", "crossing.record"]
    assert [r["created"] for r in results] == [True, False]


def test_crossing_in_the_future_is_refused(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock
) -> None:
    tomorrow = (clock() + timedelta(days=1)).isoformat()
    entry = parse_crossing(line(at=tomorrow))
    with pytest.raises(InvalidInput) as refused, database.write() as session:
        record_crossing(session, audit, entry, actor=officer, now=clock())
    assert refused.value.field == "at"
    assert stored(database) == 0


def test_loaded_crossings_are_listed_in_time_order_in_utc(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "x.jsonl",
        line(id="late", at="2026-05-01T09:00:00Z"),
        line(id="early", direction="exit", at="2026-04-01T12:00:00+02:00"),
    )
    report = load(database, audit, clock, path)
    assert (report.accepted, report.unchanged, report.rejected) == (2, 0, 0)
    with database.read() as session:
        listed = crossings_of(session, "MAR", "UM4731285")
    assert [c.at for c in listed] == [
        datetime(2026, 4, 1, 10, tzinfo=UTC),
        datetime(2026, 5, 1, 9, tzinfo=UTC),
    ]
    assert [c.officer for c in listed] == ["officer.benali"] * 2


def test_reloading_a_file_stores_nothing_new(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = travel(tmp_path / "x.jsonl")
    load(database, audit, clock, path)
    again = load(database, audit, clock, path)
    assert (again.accepted, again.unchanged, again.rejected) == (0, 3, 0)
    assert stored(database) == 3


def test_same_crossing_under_another_id_is_not_stored_twice(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    load(database, audit, clock, travel(tmp_path / "a.jsonl"))
    other = write_lines(
        tmp_path / "b.jsonl",
        line(id="other-system-17", at="2026-03-01T11:15:00+01:00"),  # the same instant
        line(id="other-system-18", at="2026-07-01T08:00:00Z", direction="exit"),
    )
    report = load(database, audit, clock, other)
    assert (report.accepted, report.unchanged) == (1, 1)
    assert stored(database) == 4


def test_a_crossing_an_officer_recorded_is_found_by_a_load_of_the_same_crossing(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    """The load compares instants as the database stores them (SQLite: text), so one
    stored by the officer's screen and one from a file written with an offset meet."""
    at = datetime(2026, 3, 1, 10, 15, 0, 250_000, tzinfo=UTC)
    entry = parse_crossing(line(at=at.isoformat()))
    with database.write() as session:
        record_crossing(session, audit, entry, actor=officer, now=clock() + timedelta(days=400))
    path = write_lines(
        tmp_path / "x.jsonl",
        line(id="archive-1", at="2026-03-01T11:15:00.250+01:00"),  # the same instant
        line(id="archive-2", at="2026-03-01T11:15:00.251+01:00"),  # a millisecond later
    )
    report = load(database, audit, clock, path)
    assert (report.accepted, report.unchanged) == (1, 1)
    assert stored(database) == 2


def test_one_id_with_two_contents_in_a_file_is_rejected_naming_the_id(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "x.jsonl", line(id="c1"), line(id="c1"), line(id="c1", direction="exit")
    )
    report = load(database, audit, clock, path)
    assert (report.accepted, report.unchanged) == (1, 1)
    (rejection,) = report.rejections
    assert (rejection.line_no, rejection.field) == (3, "id")
    assert "line 1" in rejection.reason


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"direction": "transit"}, "direction"),
        ({"at": "2026-03-01T10:15:00"}, "at"),
        ({"at": "yesterday"}, "at"),
        ({"issuing_state": "QQQ"}, "issuing_state"),
        ({"document_number": "UM 47-31"}, "document_number"),
        ({"nationality": "Moroccan"}, "nationality"),
        ({"crossing_point": ""}, "crossing_point"),
        ({"gate": 4}, "gate"),
    ],
)
def test_bad_line_is_rejected_naming_the_field(
    database: Database,
    audit: AuditTrail,
    clock: Clock,
    tmp_path: Path,
    bad: dict[str, Any],
    field: str,
) -> None:
    path = write_lines(tmp_path / "x.jsonl", line(id="good"), line(id="bad", **bad))
    report = load(database, audit, clock, path)
    assert report.accepted == 1
    assert [(r.line_no, r.field) for r in report.rejections] == [(2, field)]


def test_load_is_audited_and_the_chain_stays_intact(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    load(database, audit, clock, travel(tmp_path / "x.jsonl"))
    with database.read() as session:
        actions = set(session.scalars(select(AuditRecord.action)))
        assert audit.verify(session).intact
    assert actions == {"crossings.load"}


def test_loaded_crossings_count_into_the_stay(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    load(database, audit, clock, travel(tmp_path / "x.jsonl"))
    with database.read() as session:
        movements = [c.movement for c in crossings_of(session, "MAR", "UM4731285")]
    stay = assess_stay(movements, as_of=date(2026, 7, 10))
    # Window from 2026-01-12: March 1..April 14 (45 days) + June 20..July 10 (21 days).
    assert (stay.days_used, stay.inside, stay.entered_on) == (66, True, date(2026, 6, 20))


def test_rule_falls_back_to_the_default_then_to_ninety_in_one_hundred_eighty(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.read() as session:
        assert rule_for(session, "MAR").limit == SCHENGEN_SHORT_STAY
        assert rule_for(session, None).applies_to == "built-in"
    with database.write() as session:
        set_rule(session, audit, "*", 60, 120, actor=ADMIN, now=clock())
        set_rule(session, audit, "usa", 30, 60, actor=ADMIN, now=clock())
    with database.read() as session:
        assert rule_for(session, "MAR").limit == StayLimit(60, 120)
        assert rule_for(session, "MAR").applies_to == "*"
        assert rule_for(session, "USA").limit == StayLimit(30, 60)
        assert rule_for(session, None).applies_to == "*"
        assert [r.applies_to for r in list_rules(session)] == ["*", "USA"]


def test_setting_a_rule_again_replaces_it_and_audits_the_previous_one(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        set_rule(session, audit, "DZA", 30, 60, actor=ADMIN, now=clock())
    with database.write() as session:
        rule = set_rule(session, audit, "DZA", 90, 180, actor=ADMIN, now=clock())
    assert (rule.limit, rule.applies_to) == (StayLimit(90, 180), "DZA")
    with database.read() as session:
        assert len(list_rules(session)) == 1
        results = session.scalars(select(AuditPayload.result).order_by(AuditPayload.seq)).all()
    assert [r["previous"] for r in results] == [None, [30, 60]]


@pytest.mark.parametrize(
    ("nationality", "max_days", "window_days", "field"),
    [
        ("MAR", 180, 180, "max_days"),
        ("MAR", 0, 180, "max_days"),
        ("MAR", 90, 0, "window_days"),
        ("Morocco", 90, 180, "nationality"),
    ],
)
def test_bad_rule_is_refused_naming_the_field(
    database: Database,
    audit: AuditTrail,
    clock: Clock,
    nationality: str,
    max_days: int,
    window_days: int,
    field: str,
) -> None:
    with pytest.raises(InvalidInput) as refused, database.write() as session:
        set_rule(session, audit, nationality, max_days, window_days, actor=ADMIN, now=clock())
    assert refused.value.field == field
    with database.read() as session:
        assert list_rules(session) == []


def test_a_load_in_any_order_skips_only_crossings_later_than_every_stored_one(
    database: Database, audit: AuditTrail, officer: Actor, clock: Clock, tmp_path: Path
) -> None:
    """A key later than the newest stored crossing is not searched for; one at or before it
    is, whatever part, batch or process brought the crossing stored first. The daily
    counts then equal a count of the rows, on both backends."""
    newest = datetime(2026, 3, 5, 12, 0, 0, 500_000, tzinfo=UTC)
    with database.write() as session:
        for at in (datetime(2026, 3, 1, 8, tzinfo=UTC), newest):
            record_crossing(
                session, audit, parse_crossing(line(at=at.isoformat())), actor=officer, now=clock()
            )
    lines = [
        line(id="a1", at="2026-03-09T10:00:00Z"),  # later than every stored crossing: new
        line(id="a2", at="2026-03-05T13:00:00.500+01:00"),  # the newest, as stored
        line(id="a3", at="2026-03-01T08:00:00Z"),  # an older stored one
        line(id="a4", at="2026-03-02T09:00:00Z", nationality=None),  # older, not stored: new
        line(id="a5", at="2026-03-09T10:00:00Z"),  # a1 under another id
        line(id="a6", at="2026-03-09T10:00:00Z", direction="exit"),  # new
        line(id="a7", at="2026-03-07T10:00:00Z", crossing_point="NDR"),  # new, earlier than a1
        line(id="a8", at="2026-03-09T11:00:00+01:00"),  # a1 again, written with an offset
        line(id="a9", at="2026-03-20T10:00:00Z"),  # new
    ]
    report = load_file(
        database,
        audit,
        CrossingRegistry(),
        write_lines(tmp_path / "x.jsonl", *lines),
        actor=ADMIN,
        clock=clock,
        batch_size=4,
        parallel=True,
        part_lines=2,
    )
    assert (report.accepted, report.unchanged, report.rejected) == (5, 4, 0)
    assert stored(database) == 7
    with database.read() as session:
        assert verify_rollups(session, since=None) == []
        counted = session.execute(
            select(DailyCrossings.day, DailyCrossings.nationality, DailyCrossings.n).order_by(
                DailyCrossings.day, DailyCrossings.nationality, DailyCrossings.crossing_point
            )
        ).all()
    assert [tuple(row) for row in counted] == [
        (date(2026, 3, 1), "MAR", 1),
        (date(2026, 3, 2), "", 1),
        (date(2026, 3, 5), "MAR", 1),
        (date(2026, 3, 7), "MAR", 1),
        (date(2026, 3, 9), "MAR", 1),
        (date(2026, 3, 9), "MAR", 1),
        (date(2026, 3, 20), "MAR", 1),
    ]
