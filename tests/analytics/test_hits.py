"""Hits per list and the false-positive rate of each list and watchlist category."""

from __future__ import annotations

import pytest

from passerelle.analytics import (
    SOURCES,
    DashboardQuery,
    FalsePositiveRate,
    false_positive_rates,
    hits_by_source,
)
from passerelle.store import AuditTrail, Database
from tests.analytics.scenario import END, START, WEEK, build_week


@pytest.fixture
def week(database: Database, audit: AuditTrail) -> Database:
    build_week(database, audit)
    return database


def rates_of(rates: tuple[FalsePositiveRate, ...]) -> dict[tuple[str, str | None], tuple[int, ...]]:
    """(source, category) -> (hits, reviewed, false positives, not same person, pending)."""
    return {
        (r.source, r.category): (
            r.hits,
            r.reviewed,
            r.false_positives,
            r.not_same_person,
            r.pending,
        )
        for r in rates
    }


def test_hits_counted_per_list_in_the_period(week: Database) -> None:
    with week.read() as session:
        hits = hits_by_source(session, WEEK)
    assert [(h.label, h.count) for h in hits] == [
        ("sltd", 1),
        ("alerts", 1),
        ("watchlist", 5),
        ("face", 1),
    ]


def test_hits_filtered_by_the_point_of_their_inspection(week: Database) -> None:
    with week.read() as session:
        hits = hits_by_source(session, DashboardQuery(START, END, "TNG-MED"))
    assert [(h.label, h.count) for h in hits] == [
        ("sltd", 0),
        ("alerts", 1),
        ("watchlist", 3),
        ("face", 0),
    ]


def test_false_positives_are_dismissed_or_not_the_same_person(week: Database) -> None:
    with week.read() as session:
        rates = false_positive_rates(session, WEEK)
    by_list = rates_of(rates)
    assert by_list["sltd", None] == (1, 1, 0, 0, 0)  # confirmed
    assert by_list["alerts", None] == (1, 1, 1, 0, 0)  # dismissed
    # dismissed, not-the-same-person (pending), confirmed, weak candidate marked, unreviewed
    assert by_list["watchlist", None] == (5, 4, 3, 2, 1)
    assert by_list["face", None] == (1, 0, 0, 0, 1)
    watchlist = next(r for r in rates if r.source == "watchlist" and r.category is None)
    assert (watchlist.phrase, watchlist.rate) == ("3 of 4", 0.75)


def test_watchlist_rates_per_category_of_the_person_hit(week: Database) -> None:
    with week.read() as session:
        rates = false_positive_rates(session, WEEK)
    assert [(r.source, r.category) for r in rates] == [
        ("sltd", None),
        ("alerts", None),
        ("watchlist", None),
        ("watchlist", "travel_ban"),
        ("watchlist", "wanted"),
        ("watchlist", "unknown"),  # a person no longer stored
        ("face", None),
    ]
    by_list = rates_of(rates)
    assert by_list["watchlist", "travel_ban"] == (2, 2, 2, 2, 0)
    assert by_list["watchlist", "wanted"] == (2, 2, 1, 0, 0)
    assert by_list["watchlist", "unknown"] == (1, 0, 0, 0, 1)


def test_false_positive_rates_at_one_point(week: Database) -> None:
    with week.read() as session:
        rates = rates_of(false_positive_rates(session, DashboardQuery(START, END, "NDR")))
    assert rates["sltd", None] == (1, 1, 0, 0, 0)
    assert rates["alerts", None] == (0, 0, 0, 0, 0)
    assert rates["watchlist", None] == (2, 2, 1, 1, 0)
    assert rates["watchlist", "wanted"] == (1, 1, 0, 0, 0)
    assert rates["watchlist", "travel_ban"] == (1, 1, 1, 1, 0)
    assert rates["face", None] == (1, 0, 0, 0, 1)


def test_no_hits_gives_every_list_at_zero_with_no_rate(database: Database) -> None:
    with database.read() as session:
        rates = false_positive_rates(session, WEEK)
        hits = hits_by_source(session, WEEK)
    assert [(r.source, r.category, r.hits, r.rate) for r in rates] == [
        (source, None, 0, None) for source in SOURCES
    ]
    assert [h.count for h in hits] == [0, 0, 0, 0]
