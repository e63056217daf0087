"""The figures' values: daily series with every day and label, rates phrased for the page."""

from __future__ import annotations

from datetime import date

from passerelle.analytics import DashboardQuery, FalsePositiveRate, PointCount
from passerelle.analytics._sql import daily_series

WEEK = DashboardQuery(date(2026, 11, 1), date(2026, 11, 3))


def test_daily_series_fills_missing_days_and_labels_with_zero() -> None:
    series = daily_series(WEEK, ("entry", "exit"), [("2026-11-03", "entry", 2)])
    assert series.days == (date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3))
    assert series.count(date(2026, 11, 3), "entry") == 2
    assert series.count(date(2026, 11, 2), "exit") == 0
    assert series.as_dict() == {
        "days": ["2026-11-01", "2026-11-02", "2026-11-03"],
        "series": {"entry": [0, 0, 2], "exit": [0, 0, 0]},
    }


def test_daily_series_reads_days_as_either_driver_returns_them() -> None:
    series = daily_series(
        WEEK, ("clear",), [(date(2026, 11, 1), "clear", 1), ("2026-11-02", "clear", 4)]
    )
    assert [p.count for p in series.points] == [1, 4, 0]
    assert series.total() == 5


def test_unexpected_label_is_shown_after_the_known_ones() -> None:
    series = daily_series(WEEK, ("clear", "refer", "hit"), [("2026-11-01", "error", 1)])
    assert series.labels == ("clear", "refer", "hit", "error")
    assert series.total("error") == 1


def test_false_positive_rate_says_how_many_of_how_many() -> None:
    rate = FalsePositiveRate("watchlist", "wanted", 45, 40, 3, 1, 5)
    assert rate.phrase == "3 of 40"
    assert rate.rate == 3 / 40
    assert rate.as_dict()["rate"] == 0.075


def test_rate_is_none_while_nothing_is_reviewed() -> None:
    assert FalsePositiveRate("face", None, 2, 0, 0, 0, 2).rate is None


def test_point_total_is_entries_and_exits() -> None:
    assert PointCount("NDR", 2, 1).as_dict() == {
        "crossing_point": "NDR",
        "entries": 2,
        "exits": 1,
        "total": 3,
    }
