"""The dashboard's query: a period of days and an optional crossing point, refused by field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from passerelle.analytics import MAX_PERIOD_DAYS, DashboardQuery, crossing_point_code
from passerelle.exc import InvalidInput

TODAY = date(2026, 11, 25)
START = date(2026, 11, 1)


def refused(field: str) -> pytest.RaisesExc[InvalidInput]:
    return pytest.raises(InvalidInput, match=f"^{field}: ")


def test_period_counts_both_of_its_days() -> None:
    query = DashboardQuery(date(2026, 11, 1), date(2026, 11, 7))
    assert query.days == 7
    every_day = list(query.each_day())
    assert (every_day[0], every_day[-1], len(every_day)) == (START, date(2026, 11, 7), 7)
    assert query.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert query.until == datetime(2026, 11, 8, tzinfo=UTC)


def test_one_day_period_is_allowed() -> None:
    assert DashboardQuery(TODAY, TODAY).days == 1


def test_end_before_start_is_refused_naming_end() -> None:
    with refused("end") as error:
        DashboardQuery(date(2026, 11, 7), date(2026, 11, 1))
    assert error.value.field == "end"
    assert "before start 2026-11-07" in error.value.reason


def test_period_of_366_days_is_allowed_and_367_refused() -> None:
    assert DashboardQuery(date(2024, 1, 1), date(2024, 12, 31)).days == MAX_PERIOD_DAYS
    with refused("end") as error:
        DashboardQuery(date(2024, 1, 1), date(2025, 1, 1))
    assert "367 days" in error.value.reason


def test_timestamp_instead_of_a_day_is_refused_naming_the_field() -> None:
    with refused("start"):
        DashboardQuery(datetime(2026, 11, 1, tzinfo=UTC), TODAY)
    with refused("end"):
        DashboardQuery(TODAY, "2026-11-30")  # type: ignore[arg-type]


@pytest.mark.parametrize("point", ["", "   ", "TNG MED!", "-NDR", "TNG;DROP", "X" * 65])
def test_bad_crossing_point_code_is_refused(point: str) -> None:
    with refused("crossing_point"):
        DashboardQuery(TODAY, TODAY, point)


def test_crossing_point_is_kept_as_the_store_keeps_it() -> None:
    assert DashboardQuery(TODAY, TODAY, "  tng-med ").crossing_point == "TNG-MED"
    assert crossing_point_code("Bab Sebta") == "BAB SEBTA"
    assert crossing_point_code("CMN/T1") == "CMN/T1"


def test_default_period_is_the_last_30_days_up_to_today() -> None:
    query = DashboardQuery.last_days(TODAY)
    assert (query.start, query.end, query.days) == (date(2026, 10, 27), TODAY, 30)
    assert query.crossing_point is None
    with refused("days"):
        DashboardQuery.last_days(TODAY, days=0)


def test_query_from_page_parameters() -> None:
    query = DashboardQuery.from_params(
        start="2026-11-01", end="2026-11-07", crossing_point="ndr", today=TODAY
    )
    assert query == DashboardQuery(date(2026, 11, 1), date(2026, 11, 7), "NDR")
    default = DashboardQuery.from_params(start=None, end="", crossing_point=" ", today=TODAY)
    assert default == DashboardQuery.last_days(TODAY)


@pytest.mark.parametrize(("field", "params"), [
    ("start", {"start": "2026-13-01", "end": None}),
    ("end", {"start": None, "end": "yesterday"}),
    ("end", {"start": "2026-11-08", "end": "2026-11-01"}),
])  # fmt: skip
def test_bad_page_parameters_are_refused_naming_the_field(
    field: str, params: dict[str, str | None]
) -> None:
    with refused(field):
        DashboardQuery.from_params(**params, crossing_point=None, today=TODAY)


def test_query_as_dict() -> None:
    assert DashboardQuery(TODAY, TODAY, "ndr").as_dict() == {
        "start": "2026-11-25",
        "end": "2026-11-25",
        "days": 1,
        "crossing_point": "NDR",
    }
