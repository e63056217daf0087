"""The analysts' dashboard in one call, and the period's summary.

Crossings and inspections are summed from the store's daily counts
(:mod:`passerelle.analytics.traffic`); hits are counted from the review queue
(``hit_reviews``), whose verdicts change after the hit and which holds a few hits
per thousand inspections, read through its ``created_at`` index.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import count_where, period_hits
from passerelle.analytics.figures import Dashboard, Summary
from passerelle.analytics.hits import false_positive_rates, hits_by_source
from passerelle.analytics.query import DashboardQuery
from passerelle.analytics.traffic import (
    crossings_per_day,
    crossings_per_point,
    in_days,
    inspections_per_day,
    top_nationalities,
    total,
)
from passerelle.store.tables import DailyCrossings, DailyInspections, HitReview

__all__ = ["dashboard", "summary"]


def summary(session: Session, query: DashboardQuery) -> Summary:
    """The period's totals: crossings (entries, exits), inspections, hits, hits still pending."""
    rows = session.execute(
        select(DailyCrossings.direction, total(DailyCrossings.n))
        .where(*in_days(query, DailyCrossings))
        .group_by(DailyCrossings.direction)
    )
    directions = {str(direction): int(n) for direction, n in rows}
    entries, exits = int(directions.get("entry", 0)), int(directions.get("exit", 0))
    crossings = sum(int(n) for n in directions.values())
    inspections = session.scalar(
        select(total(DailyInspections.n)).where(*in_days(query, DailyInspections))
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


def dashboard(session: Session, query: DashboardQuery, *, top: int = 10) -> Dashboard:
    """Every figure of the analysts' dashboard for ``query``, read in the caller's session.

    Read in one transaction (``Database.read()``) the figures agree with each other.
    ``top`` is how many nationalities are listed.
    """
    return Dashboard(
        query=query,
        summary=summary(session, query),
        crossings_per_day=crossings_per_day(session, query),
        crossings_per_point=crossings_per_point(session, query),
        inspections_per_day=inspections_per_day(session, query),
        hits_by_source=hits_by_source(session, query),
        top_nationalities=top_nationalities(session, query, limit=top),
        false_positive_rates=false_positive_rates(session, query),
    )
