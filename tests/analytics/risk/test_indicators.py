"""Refusals, overstays, document fraud and hits counted by route, nationality and period."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from passerelle.analytics import DashboardQuery
from passerelle.analytics.risk import INDICATORS, IndicatorRow, RiskQuery, pattern_rules
from passerelle.analytics.risk.counted import (
    counted_by_day,
    counted_by_nationality,
    counted_by_route,
)
from passerelle.analytics.risk.indicators import by_day, by_nationality, by_period, by_route
from passerelle.exc import InvalidInput
from passerelle.store import AuditTrail, Database
from tests.analytics.risk.world import WEEK, build

FRAUD = pattern_rules().fraud


@pytest.fixture
def world(database: Database, audit: AuditTrail) -> Database:
    build(database, audit)
    return database


# The page reads the daily outcome counts; the scan of the inspections is their peer.
READINGS = {
    "scan": (by_route, by_nationality, by_day),
    "counts": (counted_by_route, counted_by_nationality, counted_by_day),
}


@pytest.fixture(params=sorted(READINGS))
def reading(request: pytest.FixtureRequest) -> tuple[Any, Any, Any]:
    return READINGS[request.param]


def counts(row: IndicatorRow) -> tuple[int, ...]:
    return tuple(row.count(name) for name in INDICATORS)


def test_indicators_by_route_count_each_point_and_direction_by_hand(
    world: Database, reading: tuple[Any, Any, Any]
) -> None:
    with world.read() as session:
        rows = {r.key: counts(r) for r in reading[0](session, WEEK, FRAUD)}
    assert rows == {
        ("TNG-MED", "entry"): (3, 1, 1, 2, 0),
        ("NDR-BNI", "exit"): (1, 0, 0, 0, 1),
        ("NDR-BNI", "entry"): (1, 1, 1, 0, 0),
    }


def test_indicators_by_nationality_and_filtered_by_point(
    world: Database, reading: tuple[Any, Any, Any]
) -> None:
    with world.read() as session:
        rows = {r.key: counts(r) for r in reading[1](session, WEEK, FRAUD)}
        at_nador = RiskQuery(DashboardQuery(WEEK.period.start, WEEK.period.end, "ndr-bni"))
        nador = {r.key: counts(r) for r in reading[1](session, at_nador, FRAUD)}
    assert rows == {("DZA",): (3, 2, 1, 2, 0), ("SYR",): (1, 0, 1, 0, 0), ("MAR",): (1, 0, 0, 0, 1)}
    assert nador == {("DZA",): (1, 1, 1, 0, 0), ("MAR",): (1, 0, 0, 0, 1)}


def test_indicators_by_week_fold_days_and_keep_empty_buckets(
    world: Database, reading: tuple[Any, Any, Any]
) -> None:
    weekly = RiskQuery(WEEK.period, "dza", "week")
    with world.read() as session:
        days = reading[2](session, WEEK, FRAUD)
        weeks = by_period(reading[2](session, weekly, FRAUD), weekly)
    assert [r.key[0] for r in days] == ["2026-11-01", "2026-11-03", "2026-11-05"]
    # 1 November 2026 is a Sunday: its week starts on 26 October.
    assert {r.key[0]: counts(r) for r in weeks} == {
        "2026-10-26": (1, 1, 0, 1, 0),
        "2026-11-02": (2, 1, 1, 1, 0),
    }


def test_a_bad_nationality_or_step_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as bad:
        RiskQuery.from_params(start=None, end=None, crossing_point=None, nationality="12",
                              granularity="day", today=date(2026, 11, 7))  # fmt: skip
    assert bad.value.field == "nationality"
    with pytest.raises(InvalidInput) as step:
        RiskQuery.from_params(start=None, end=None, crossing_point=None, nationality=None,
                              granularity="year", today=date(2026, 11, 7))  # fmt: skip
    assert step.value.field == "granularity"
