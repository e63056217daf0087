"""SQL pieces the figures share: the UTC day of a timestamp per dialect, period bounds, gaps.

Timestamps are stored in UTC (``passerelle.store.types.UtcDateTime``); their UTC
day in SQL is the store's (:func:`passerelle.store.rollups.utc_day`), the one the
daily counts are kept by.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from passerelle.analytics.figures import DailyCount, DailySeries
from passerelle.analytics.query import DashboardQuery
from passerelle.store.rollups import utc_day
from passerelle.store.tables import HitReview, Inspection

__all__ = [
    "as_day",
    "count_where",
    "daily_series",
    "in_period",
    "period_hits",
    "utc_day",
]


def as_day(value: object) -> date:
    """A day as a driver returns it: a ``date`` (PostgreSQL) or ISO text (SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def in_period(
    query: DashboardQuery,
    at: InstrumentedAttribute[datetime],
    point: InstrumentedAttribute[str] | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions: ``at`` inside the period, and at the query's point if it names one."""
    conditions = [at >= query.since, at < query.until]
    if point is not None and query.crossing_point is not None:
        conditions.append(point == query.crossing_point)
    return conditions


def count_where(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """How many rows of the group meet ``condition`` (SUM of CASE: every backend has it)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def period_hits(query: DashboardQuery, *columns: Any) -> Select[Any]:
    """SELECT ``columns`` over the hits raised in the period (at the query's point, if any).

    A hit's point is its inspection's, looked up only when a point is asked: one look-up
    by the inspection's key per hit of the period (a correlated subquery, which neither
    database turns into a join), so the cost follows the period's hits, not the tens of
    millions of inspections a join would scan.
    """
    statement = (
        select(*columns).select_from(HitReview).where(*in_period(query, HitReview.created_at))
    )
    if query.crossing_point is not None:
        point = (
            select(Inspection.crossing_point)
            .where(Inspection.id == HitReview.inspection_id)
            .scalar_subquery()
        )
        statement = statement.where(point == query.crossing_point)
    return statement


def daily_series(
    query: DashboardQuery, labels: Iterable[str], rows: Iterable[tuple[object, str, int]]
) -> DailySeries:
    """A full series from ``(day, label, count)`` rows: each day and label, 0 where none.

    Labels found in the rows but not in ``labels`` are added after them, sorted.
    """
    counts: dict[tuple[date, str], int] = {}
    for day, label, count in rows:
        key = (as_day(day), label)
        counts[key] = counts.get(key, 0) + int(count)
    known = list(labels)
    known += sorted({label for _, label in counts} - set(known))
    points = tuple(
        DailyCount(day, label, counts.get((day, label), 0))
        for day in query.each_day()
        for label in known
    )
    return DailySeries(tuple(known), points)
