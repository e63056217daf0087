"""The dashboard's figures counted from the rows themselves: the peer of the daily counts.

The dashboard reads the daily counts (:mod:`passerelle.analytics.traffic`); these
functions scan ``crossings`` and ``inspections`` instead, one aggregate query
(GROUP BY in the database) each over the query's period and, when it names one,
crossing point, as the dashboard did before the counts were kept. Crossings are
counted at their instant (``crossings.at``), inspections at theirs
(``inspections.at``), on UTC days. They give the same figures while retention has
deleted nothing in the period (:func:`dashboard_by_scan` is how the tests and
``bench/dashboard.py`` check and time the counts against them); after it, only the
counts still hold the deleted rows.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import count_where, daily_series, in_period, period_hits, utc_day
from passerelle.analytics.figures import DailySeries, Dashboard, LabelCount, PointCount, Summary
from passerelle.analytics.hits import false_positive_rates, hits_by_source
from passerelle.analytics.query import DashboardQuery
from passerelle.analytics.traffic import DECISIONS, DIRECTIONS, MAX_TOP
from passerelle.exc import InvalidInput
from passerelle.store.tables import Crossing, HitReview, Inspection

__all__ = [
    "crossings_per_day",
    "crossings_per_point",
    "dashboard_by_scan",
    "inspections_per_day",
    "summary_by_scan",
    "top_nationalities",
]


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


def summary_by_scan(session: Session, query: DashboardQuery) -> Summary:
    """The period's totals: crossings (entries, exits), inspections, hits, hits still pending."""
    crossings, entries, exits = session.execute(
        select(
            func.count(),
            count_where(Crossing.direction == "entry"),
            count_where(Crossing.direction == "exit"),
        ).where(*in_period(query, Crossing.at, Crossing.crossing_point))
    ).one()
    inspections = session.scalar(
        select(func.count())
        .select_from(Inspection)
        .where(*in_period(query, Inspection.at, Inspection.crossing_point))
    )
    hits, pending = session.execute(
        period_hits(query, func.count(), count_where(HitReview.status == "pending"))
    ).one()
    return Summary(
        crossings=int(crossings),
        entries=int(entries),
        exits=int(exits),
        inspections=int(inspections or 0),
        hits=int(hits),
        pending_reviews=int(pending),
    )


def dashboard_by_scan(session: Session, query: DashboardQuery, *, top: int = 10) -> Dashboard:
    """Every figure of the dashboard, counted from the rows (see the module's docstring)."""
    return Dashboard(
        query=query,
        summary=summary_by_scan(session, query),
        crossings_per_day=crossings_per_day(session, query),
        crossings_per_point=crossings_per_point(session, query),
        inspections_per_day=inspections_per_day(session, query),
        hits_by_source=hits_by_source(session, query),
        top_nationalities=top_nationalities(session, query, limit=top),
        false_positive_rates=false_positive_rates(session, query),
    )
