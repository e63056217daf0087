"""Traffic figures: crossings per day and per point, top nationalities, inspections per day.

Each function runs one aggregate query (GROUP BY in the database) over the
query's period and, when it names one, crossing point. Crossings are counted
at their instant (``crossings.at``), inspections at theirs (``inspections.at``),
on UTC days.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import count_where, daily_series, in_period, utc_day
from passerelle.analytics.figures import DailySeries, LabelCount, PointCount
from passerelle.analytics.query import DashboardQuery
from passerelle.exc import InvalidInput
from passerelle.store.tables import Crossing, Inspection

__all__ = [
    "DECISIONS",
    "DIRECTIONS",
    "crossings_per_day",
    "crossings_per_point",
    "inspections_per_day",
    "top_nationalities",
]

DIRECTIONS = ("entry", "exit")
DECISIONS = ("clear", "refer", "hit")
MAX_TOP = 250


def crossings_per_day(session: Session, query: DashboardQuery) -> DailySeries:
    """Entries and exits per UTC day of the period (labels ``entry``, ``exit``), zeros included."""
    day = utc_day(session, Crossing.at).label("day")
    rows = session.execute(
        select(day, Crossing.direction, func.count())
        .where(*in_period(query, Crossing.at, Crossing.crossing_point))
        .group_by(day, Crossing.direction)
    )
    return daily_series(query, DIRECTIONS, rows)


def crossings_per_point(session: Session, query: DashboardQuery) -> tuple[PointCount, ...]:
    """Entries and exits per crossing point, the busiest first (then by code).

    Only points with a crossing in the period are listed; with a point in the
    query, that point alone (or nothing).
    """
    total = func.count()
    rows = session.execute(
        select(
            Crossing.crossing_point,
            count_where(Crossing.direction == "entry"),
            count_where(Crossing.direction == "exit"),
        )
        .where(*in_period(query, Crossing.at, Crossing.crossing_point))
        .group_by(Crossing.crossing_point)
        .order_by(total.desc(), Crossing.crossing_point)
    )
    return tuple(
        PointCount(point, int(entries or 0), int(exits or 0)) for point, entries, exits in rows
    )


def top_nationalities(
    session: Session, query: DashboardQuery, *, limit: int = 10
) -> tuple[LabelCount, ...]:
    """The ``limit`` nationalities with the most crossings, most first (ties by code).

    Crossings without a recorded nationality are left out (they still count in
    the totals).
    """
    if not 1 <= limit <= MAX_TOP:
        raise InvalidInput("limit", f"must be 1 to {MAX_TOP}, not {limit}")
    count = func.count().label("n")
    rows = session.execute(
        select(Crossing.nationality, count)
        .where(
            *in_period(query, Crossing.at, Crossing.crossing_point),
            Crossing.nationality.is_not(None),
        )
        .group_by(Crossing.nationality)
        .order_by(count.desc(), Crossing.nationality)
        .limit(limit)
    )
    return tuple(LabelCount(str(code), int(n)) for code, n in rows)


def inspections_per_day(session: Session, query: DashboardQuery) -> DailySeries:
    """Inspections per UTC day by decision (``clear``, ``refer``, ``hit``), zeros included."""
    day = utc_day(session, Inspection.at).label("day")
    rows = session.execute(
        select(day, Inspection.decision, func.count())
        .where(*in_period(query, Inspection.at, Inspection.crossing_point))
        .group_by(day, Inspection.decision)
    )
    return daily_series(query, DECISIONS, rows)
