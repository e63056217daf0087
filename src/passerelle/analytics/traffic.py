"""Traffic figures: crossings per day and per point, top nationalities, inspections per day.

Each function sums the store's daily counts (``daily_crossings``,
``daily_inspections``: :mod:`passerelle.store.rollups`, kept in the same
transaction as every crossing and inspection) over the query's UTC days and, when
it names one, crossing point: a year at national scale is a few hundred thousand
count rows, not tens of millions of crossings. Crossings are counted on the UTC
day of their instant (``crossings.at``), inspections on that of theirs
(``inspections.at``). :mod:`passerelle.analytics.scans` counts the same figures
from the rows themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import daily_series
from passerelle.analytics.figures import DailySeries, LabelCount, PointCount
from passerelle.analytics.query import DashboardQuery
from passerelle.exc import InvalidInput
from passerelle.store.rollups import NO_NATIONALITY
from passerelle.store.tables import DailyCrossings, DailyInspections

__all__ = [
    "DECISIONS",
    "DIRECTIONS",
    "MAX_TOP",
    "crossings_per_day",
    "crossings_per_point",
    "inspections_per_day",
    "top_nationalities",
]

DIRECTIONS = ("entry", "exit")
DECISIONS = ("clear", "refer", "hit")
MAX_TOP = 250


def in_days(
    query: DashboardQuery, table: type[DailyCrossings] | type[DailyInspections]
) -> list[ColumnElement[bool]]:
    """The WHERE conditions on a daily count: its day in the period, at the query's point."""
    conditions = [table.day >= query.start, table.day <= query.end]
    if query.crossing_point is not None:
        conditions.append(table.crossing_point == query.crossing_point)
    return conditions


def total(column: Any) -> ColumnElement[Any]:
    """The sum of a count column (0 over no row)."""
    return func.coalesce(func.sum(column), 0)


def crossings_per_day(session: Session, query: DashboardQuery) -> DailySeries:
    """Entries and exits per UTC day of the period (labels ``entry``, ``exit``), zeros included."""
    rows = session.execute(
        select(DailyCrossings.day, DailyCrossings.direction, total(DailyCrossings.n))
        .where(*in_days(query, DailyCrossings))
        .group_by(DailyCrossings.day, DailyCrossings.direction)
    )
    return daily_series(query, DIRECTIONS, rows)


def crossings_per_point(session: Session, query: DashboardQuery) -> tuple[PointCount, ...]:
    """Entries and exits per crossing point, the busiest first (then by code).

    Only points with a crossing in the period are listed; with a point in the
    query, that point alone (or nothing).
    """
    rows = session.execute(
        select(DailyCrossings.crossing_point, DailyCrossings.direction, total(DailyCrossings.n))
        .where(*in_days(query, DailyCrossings))
        .group_by(DailyCrossings.crossing_point, DailyCrossings.direction)
    )
    counts: dict[str, dict[str, int]] = {}
    for point, direction, n in rows:
        counts.setdefault(str(point), {})[str(direction)] = int(n)
    points = [
        PointCount(point, found.get("entry", 0), found.get("exit", 0))
        for point, found in counts.items()
    ]
    return tuple(sorted((p for p in points if p.total), key=lambda p: (-p.total, p.crossing_point)))


def top_nationalities(
    session: Session, query: DashboardQuery, *, limit: int = 10
) -> tuple[LabelCount, ...]:
    """The ``limit`` nationalities with the most crossings, most first (ties by code).

    Crossings without a recorded nationality are left out (they still count in
    the totals).
    """
    if not 1 <= limit <= MAX_TOP:
        raise InvalidInput("limit", f"must be 1 to {MAX_TOP}, not {limit}")
    count = total(DailyCrossings.n).label("n")
    rows = session.execute(
        select(DailyCrossings.nationality, count)
        .where(*in_days(query, DailyCrossings), DailyCrossings.nationality != NO_NATIONALITY)
        .group_by(DailyCrossings.nationality)
        .having(func.sum(DailyCrossings.n) > 0)
        .order_by(count.desc(), DailyCrossings.nationality)
        .limit(limit)
    )
    return tuple(LabelCount(str(code), int(n)) for code, n in rows)


def inspections_per_day(session: Session, query: DashboardQuery) -> DailySeries:
    """Inspections per UTC day by decision (``clear``, ``refer``, ``hit``), zeros included."""
    rows = session.execute(
        select(DailyInspections.day, DailyInspections.decision, total(DailyInspections.n))
        .where(*in_days(query, DailyInspections))
        .group_by(DailyInspections.day, DailyInspections.decision)
    )
    return daily_series(query, DECISIONS, rows)
