"""Crossings and inspections counted per day, point and nationality, on both backends."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from passerelle.analytics import (
    DashboardQuery,
    crossings_per_day,
    crossings_per_point,
    inspections_per_day,
    top_nationalities,
)
from passerelle.exc import InvalidInput
from passerelle.store import AuditTrail, Database
from tests.analytics.scenario import END, START, WEEK, build_week

NOV = [date(2026, 11, d) for d in range(1, 8)]


@pytest.fixture
def week(database: Database, audit: AuditTrail) -> Database:
    build_week(database, audit)
    return database


def test_crossings_per_day_separate_entries_and_exits_with_zero_on_empty_days(
    week: Database,
) -> None:
    with week.read() as session:
        series = crossings_per_day(session, WEEK)
    assert series.labels == ("entry", "exit")
    assert series.days == tuple(NOV)
    assert [series.count(day, "entry") for day in NOV] == [2, 0, 3, 0, 0, 0, 0]
    assert [series.count(day, "exit") for day in NOV] == [1, 0, 1, 0, 0, 0, 1]
    assert series.count(date(2026, 11, 2), "entry") == 0  # the gap day is there, at 0


def test_crossings_on_the_period_edges_count_and_those_outside_do_not(week: Database) -> None:
    with week.read() as session:
        first = crossings_per_day(session, DashboardQuery(START, START))
        around = crossings_per_day(session, DashboardQuery(date(2026, 10, 31), date(2026, 11, 8)))
    assert first.total() == 3
    assert around.count(date(2026, 10, 31), "entry") == 1
    assert around.count(date(2026, 11, 8), "entry") == 1
    assert around.total() == 10


def test_days_are_utc_days_whatever_the_database_session_time_zone(week: Database) -> None:
    with week.read() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL TIME ZONE 'Pacific/Kiritimati'"))  # UTC+14
        series = crossings_per_day(session, WEEK)
        inspections = inspections_per_day(session, WEEK)
    assert series.count(date(2026, 11, 3), "entry") == 3  # 23:30 UTC stays on the 3rd
    assert series.count(date(2026, 11, 7), "exit") == 1  # 23:59:59 UTC on the 7th
    assert inspections.count(date(2026, 11, 3), "hit") == 2


def test_crossings_filtered_by_point(week: Database) -> None:
    with week.read() as session:
        series = crossings_per_day(session, DashboardQuery(START, END, "ndr"))
        points = crossings_per_point(session, DashboardQuery(START, END, "NDR"))
        nowhere = crossings_per_point(session, DashboardQuery(START, END, "OUJDA"))
    assert [series.count(day, "entry") for day in NOV] == [0, 0, 2, 0, 0, 0, 0]
    assert [series.count(day, "exit") for day in NOV] == [0, 0, 0, 0, 0, 0, 1]
    assert [(p.crossing_point, p.entries, p.exits) for p in points] == [("NDR", 2, 1)]
    assert nowhere == ()


def test_crossings_per_point_busiest_first(week: Database) -> None:
    with week.read() as session:
        points = crossings_per_point(session, WEEK)
    assert [(p.crossing_point, p.entries, p.exits, p.total) for p in points] == [
        ("TNG-MED", 3, 2, 5),
        ("NDR", 2, 1, 3),
    ]


def test_top_nationalities_most_first_ties_by_code_unknown_left_out(week: Database) -> None:
    with week.read() as session:
        top = top_nationalities(session, WEEK)
        top_two = top_nationalities(session, WEEK, limit=2)
        at_ndr = top_nationalities(session, DashboardQuery(START, END, "NDR"))
    assert [(n.label, n.count) for n in top] == [("MAR", 3), ("ESP", 2), ("DZA", 1), ("FRA", 1)]
    assert [n.label for n in top_two] == ["MAR", "ESP"]
    assert [(n.label, n.count) for n in at_ndr] == [("DZA", 1), ("ESP", 1), ("MAR", 1)]


def test_top_nationalities_limit_must_be_sensible(database: Database) -> None:
    with database.read() as session, pytest.raises(InvalidInput, match=r"^limit: "):
        top_nationalities(session, WEEK, limit=0)


def test_inspections_per_day_by_decision(week: Database) -> None:
    with week.read() as session:
        series = inspections_per_day(session, WEEK)
        at_tanger = inspections_per_day(session, DashboardQuery(START, END, "TNG-MED"))
    assert series.labels == ("clear", "refer", "hit")
    assert [series.count(day, "clear") for day in NOV] == [2, 0, 0, 0, 0, 0, 0]
    assert [series.count(day, "refer") for day in NOV] == [1, 0, 0, 0, 0, 0, 0]
    assert [series.count(day, "hit") for day in NOV] == [0, 0, 2, 0, 1, 0, 0]
    assert [at_tanger.count(day, "hit") for day in NOV] == [0, 0, 0, 0, 1, 0, 0]
    assert at_tanger.total() == 4


def test_empty_node_gives_every_day_at_zero(database: Database) -> None:
    with database.read() as session:
        crossings = crossings_per_day(session, WEEK)
        inspections = inspections_per_day(session, WEEK)
        points = crossings_per_point(session, WEEK)
        top = top_nationalities(session, WEEK)
    assert (len(crossings.points), crossings.total()) == (14, 0)
    assert (len(inspections.points), inspections.total()) == (21, 0)
    assert points == ()
    assert top == ()
