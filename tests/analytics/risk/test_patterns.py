"""The unusual-pattern rules find what is planted and leave ordinary travel alone."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from passerelle.analytics import DashboardQuery
from passerelle.analytics.risk import CrossingMap, MapPoint, RiskQuery, pattern_rules
from passerelle.analytics.risk.columnar import columnar_findings
from passerelle.analytics.risk.patterns import PatternFinding
from passerelle.analytics.risk.report import pattern_findings, risk_report
from passerelle.store import AuditTrail, Database
from tests.analytics.risk.world import cross

RULES = pattern_rules()
# Tanger Med and Agadir are about 716 km apart in a straight line (more by road).
MAP = CrossingMap(
    (
        MapPoint("TNG-MED", "Tanger Med", "port", -5.50, 35.88),
        MapPoint("OUJ-ZKH", "Oujda Zouj Beghal", "land", -1.74, 34.70),
        MapPoint("BAB-SEBTA", "Bab Sebta", "land", -5.34, 35.87),
        MapPoint("AGA-T1", "Agadir Al Massira", "airport", -9.41, 30.33),
    )
)
WEEK = RiskQuery(DashboardQuery(date(2026, 11, 1), date(2026, 11, 7)))


def _seen(finding: PatternFinding) -> tuple[str, list[int], str]:
    return (finding.rule, [r.id for r in finding.records], finding.reason.english)


def rules_found(database: Database, query: RiskQuery = WEEK) -> list[tuple[str, list[int]]]:
    with database.read() as session:
        found = pattern_findings(session, query, RULES, MAP)
        columnar = columnar_findings(session, query, RULES, MAP)
    # DuckDB's window queries find what the Python pass over every crossing finds.
    assert sorted(map(_seen, columnar)) == sorted(map(_seen, found))
    return [(f.rule, [r.id for r in f.records]) for f in found]


def test_two_points_716_km_apart_two_hours_apart_is_impossible(
    database: Database, audit: AuditTrail
) -> None:
    ids = cross(database, audit, [
        ("AB1000001", "TNG-MED", "exit", "2026-11-02T10:00:00"),
        ("AB1000001", "AGA-T1", "entry", "2026-11-02T12:00:00"),
    ])  # fmt: skip
    found = rules_found(database)
    assert found == [("impossible_travel", ids)]
    with database.read() as session:
        (said,) = pattern_findings(session, WEEK, RULES, MAP)
    assert "km apart" in said.reason.english


def test_one_passport_at_two_points_at_once_is_a_double_use(
    database: Database, audit: AuditTrail
) -> None:
    ids = cross(database, audit, [
        ("AB2000001", "TNG-MED", "entry", "2026-11-03T09:00:00"),
        ("AB2000001", "BAB-SEBTA", "entry", "2026-11-03T09:03:00"),
    ])  # fmt: skip
    assert rules_found(database) == [("used_at_once", ids)]


def test_ordinary_travel_is_not_a_finding(database: Database, audit: AuditTrail) -> None:
    cross(database, audit, [
        # an entry then an exit, then back a week later: ordinary
        ("AB3000001", "TNG-MED", "entry", "2026-11-01T09:00:00"),
        ("AB3000001", "TNG-MED", "exit", "2026-11-01T09:04:00"),  # same point: never
        ("AB3000001", "OUJ-ZKH", "entry", "2026-11-01T18:00:00"),  # 9 h for 360 km: possible
        ("AB3000001", "OUJ-ZKH", "exit", "2026-11-02T18:00:00"),
        ("AB3000001", "TNG-MED", "entry", "2026-11-06T18:00:00"),
        # documents of one series, numbers far apart
        ("AB5000100", "TNG-MED", "entry", "2026-11-04T10:00:00"),
        ("AB5000200", "TNG-MED", "entry", "2026-11-04T10:05:00"),
        ("AB5000300", "TNG-MED", "entry", "2026-11-04T10:10:00"),
        ("AB5000400", "TNG-MED", "entry", "2026-11-04T10:15:00"),
    ])  # fmt: skip
    assert rules_found(database) == []


def test_three_entries_in_a_row_without_an_exit_are_found(
    database: Database, audit: AuditTrail
) -> None:
    ids = cross(database, audit, [
        ("AB4000001", "TNG-MED", "entry", "2026-11-01T09:00:00"),
        ("AB4000001", "TNG-MED", "entry", "2026-11-03T09:00:00"),
        ("AB4000001", "TNG-MED", "entry", "2026-11-05T09:00:00"),
    ])  # fmt: skip
    assert rules_found(database) == [("repeated_entries", ids)]


def test_a_burst_of_sequential_passports_is_found_and_its_stragglers_are_not(
    database: Database, audit: AuditTrail
) -> None:
    ids = cross(database, audit, [
        ("AB6000010", "TNG-MED", "entry", "2026-11-04T10:00:00"),
        ("AB6000012", "TNG-MED", "entry", "2026-11-04T10:04:00"),
        ("AB6000011", "TNG-MED", "entry", "2026-11-04T10:09:00"),
        ("AB6000013", "TNG-MED", "entry", "2026-11-04T10:20:00"),
        ("AB6000014", "TNG-MED", "entry", "2026-11-04T13:00:00"),  # hours later: not in it
    ], state="SYR")  # fmt: skip
    assert rules_found(database) == [("sequential_documents", ids[:4])]


def test_a_rule_switched_off_by_the_node_finds_nothing(
    database: Database, audit: AuditTrail
) -> None:
    cross(database, audit, [
        ("AB2000001", "TNG-MED", "entry", "2026-11-03T09:00:00"),
        ("AB2000001", "BAB-SEBTA", "entry", "2026-11-03T09:03:00"),
    ])  # fmt: skip
    off = pattern_rules("[impossible_travel]\nenabled = false\n")
    with database.read() as session:
        assert pattern_findings(session, WEEK, off, MAP) == []
        report = risk_report(session, WEEK, RULES, MAP)
    assert [f["rule"] for f in report.as_dict()["findings"]] == ["used_at_once"]
    tanger = next(m for m in report.map if m.point.code == "TNG-MED")
    assert tanger.crossings == 1


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[repeated_entries]\nmin_entries = 1\n", "repeated_entries.min_entries"),
        ("[impossible_travel]\nmax_speed_kmh = 'fast'\n", "impossible_travel.max_speed_kmh"),
        ("[impossible_travel]\nspeed = 3\n", "impossible_travel.speed"),
        ("[teleport]\nenabled = true\n", "teleport"),
        ("not toml = = 3", "rules"),
    ],
)
def test_a_bad_rule_override_names_its_key(text: str, field: str) -> None:
    from passerelle.exc import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        pattern_rules(text)
    assert refused.value.field == field


@pytest.mark.parametrize("seed", [1, 2])
def test_duckdb_finds_what_the_python_pass_finds_in_a_busy_seeded_week(
    database: Database, audit: AuditTrail, seed: int
) -> None:
    """Travellers from a small pool of close numbers, crossing back and forth all week."""
    rng = random.Random(seed)
    points = [p.code for p in MAP.points]
    legs = []
    for _ in range(240):
        number = f"AB{rng.randrange(1000, 1060):07d}"
        at = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(7 * 24 * 60))
        way = "entry" if rng.random() < 0.6 else "exit"
        legs.append((number, rng.choice(points), way, at.isoformat()[:19]))
    cross(database, audit, legs)
    for query in (WEEK, RiskQuery(WEEK.period, "MAR"), RiskQuery(DashboardQuery(
            WEEK.period.start, WEEK.period.end, "TNG-MED"))):  # fmt: skip
        found = rules_found(database, query)  # asserts DuckDB == Python
        assert len({rule for rule, _ in found}) >= 2  # a busy week: not an empty agreement
    with database.read() as session:
        assert risk_report(session, WEEK, RULES, MAP) == risk_report(
            session, WEEK, RULES, MAP, by_scan=True
        )
