"""Hit figures: hits per list, and how often each list's hits were false positives.

A hit is a row of the review queue (``hit_reviews``), counted in the period it
was raised (``created_at``, UTC) and, with a point in the query, at the point of
its inspection. A candidate an officer marked *not the same person* without it
having been a hit is queued too (already dismissed) and so counts here as a
watchlist hit that was a false positive, as the store counts it.

False positives follow the store's definition
(:meth:`passerelle.store.inspections.InspectionRepository.false_positive_counts`):
reviews dismissed by an analyst or marked not the same person at the border.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.orm import Session

from passerelle.analytics._sql import count_where, period_hits
from passerelle.analytics.figures import FalsePositiveRate, LabelCount
from passerelle.analytics.query import DashboardQuery
from passerelle.store.inspections import NOT_SAME_PERSON
from passerelle.store.tables import HitReview, WatchlistPerson

__all__ = ["SOURCES", "UNKNOWN_CATEGORY", "false_positive_rates", "hits_by_source"]

SOURCES = ("sltd", "alerts", "watchlist", "face")
"""The lists a hit comes from, in the order the dashboard shows them."""
UNKNOWN_CATEGORY = "unknown"
"""The category of a watchlist hit whose person is no longer stored."""


def _ordered(found: dict[str, Any]) -> list[str]:
    """Every known source in the dashboard's order, then any other found, sorted."""
    return [*SOURCES, *sorted(set(found) - set(SOURCES))]


def hits_by_source(session: Session, query: DashboardQuery) -> tuple[LabelCount, ...]:
    """Hits raised in the period per list (``sltd``, ``alerts``, ``watchlist``, ``face``).

    Every list is named, with 0 when it had no hit.
    """
    rows = session.execute(
        period_hits(query, HitReview.source, func.count()).group_by(HitReview.source)
    )
    counts = {str(source): int(n) for source, n in rows}
    return tuple(LabelCount(source, counts.get(source, 0)) for source in _ordered(counts))


def _verdict_columns() -> tuple[ColumnElement[Any], ...]:
    marked = HitReview.feedback == NOT_SAME_PERSON
    return (
        func.count(),
        count_where(or_(HitReview.status != "pending", marked)),
        count_where(or_(HitReview.status == "dismissed", marked)),
        count_where(marked),
    )


def _rate(source: str, category: str | None, row: tuple[Any, ...] | None) -> FalsePositiveRate:
    hits, reviewed, false_positives, marked = (int(v) for v in row) if row else (0, 0, 0, 0)
    return FalsePositiveRate(
        source=source,
        category=category,
        hits=hits,
        reviewed=reviewed,
        false_positives=false_positives,
        not_same_person=marked,
        pending=hits - reviewed,
    )


def false_positive_rates(session: Session, query: DashboardQuery) -> tuple[FalsePositiveRate, ...]:
    """Per list, the share of reviewed hits that were false positives, with the counts.

    One row per list (category ``None``), every list named even without hits; the
    watchlist's row is followed by one row per category of the persons hit (joined
    on the hit's reference, the watchlist id), most hits first, then by name.
    """
    per_source = {
        str(row[0]): tuple(row[1:])
        for row in session.execute(
            period_hits(query, HitReview.source, *_verdict_columns()).group_by(HitReview.source)
        )
    }
    per_category: dict[str, list[int]] = {}
    rows = session.execute(
        period_hits(query, WatchlistPerson.category, *_verdict_columns())
        .outerjoin(WatchlistPerson, WatchlistPerson.id == HitReview.reference)
        .where(HitReview.source == "watchlist")
        .group_by(WatchlistPerson.category)
    )
    for category, *counts in rows:
        # Grouped on the raw column (a COALESCE would differ between SELECT and GROUP BY
        # parameters on PostgreSQL); the missing persons' group is named here.
        key = str(category) if category is not None else UNKNOWN_CATEGORY
        totals = per_category.setdefault(key, [0, 0, 0, 0])
        for i, value in enumerate(counts):
            totals[i] += int(value)
    rates: list[FalsePositiveRate] = []
    for source in _ordered(per_source):
        rates.append(_rate(source, None, per_source.get(source)))
        if source == "watchlist":
            ordered = sorted(per_category.items(), key=lambda item: (-item[1][0], item[0]))
            rates.extend(_rate(source, name, tuple(counts)) for name, counts in ordered)
    return tuple(rates)
