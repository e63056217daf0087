"""The dashboard's figures as frozen values, each with a JSON-ready ``as_dict()``.

Daily series hold one count per day of the period and per label, zeros
included, so a chart needs no gap filling; their ``as_dict()`` gives the days
once and one list of counts per label::

    {"days": ["2026-11-01", "2026-11-02"], "series": {"entry": [4, 0], "exit": [3, 1]}}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from passerelle.analytics.query import DashboardQuery

__all__ = [
    "DailyCount",
    "DailySeries",
    "Dashboard",
    "FalsePositiveRate",
    "LabelCount",
    "PointCount",
    "Summary",
]


@dataclass(frozen=True, slots=True)
class DailyCount:
    """How many of ``label`` (an entry, a ``clear`` inspection...) on one UTC day."""

    day: date
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class DailySeries:
    """Counts per day and label over a whole period: every day, every label, zeros included.

    ``points`` are ordered by day, then by the order of ``labels``.
    """

    labels: tuple[str, ...]
    points: tuple[DailyCount, ...]

    @property
    def days(self) -> tuple[date, ...]:
        """The period's days, oldest first."""
        step = max(len(self.labels), 1)
        return tuple(point.day for point in self.points[::step])

    def count(self, day: date, label: str) -> int:
        """The count for one day and label (0 for a day or label outside the series)."""
        return next((p.count for p in self.points if p.day == day and p.label == label), 0)

    def total(self, label: str | None = None) -> int:
        """The period's total for one label, or for every label."""
        return sum(p.count for p in self.points if label is None or p.label == label)

    def as_dict(self) -> dict[str, Any]:
        series: dict[str, list[int]] = {label: [] for label in self.labels}
        for point in self.points:
            series[point.label].append(point.count)
        return {"days": [day.isoformat() for day in self.days], "series": series}


@dataclass(frozen=True, slots=True)
class LabelCount:
    """A count for one label: a hit source, a nationality."""

    label: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "count": self.count}


@dataclass(frozen=True, slots=True)
class PointCount:
    """Entries and exits at one crossing point over the period."""

    crossing_point: str
    entries: int
    exits: int

    @property
    def total(self) -> int:
        return self.entries + self.exits

    def as_dict(self) -> dict[str, Any]:
        return {
            "crossing_point": self.crossing_point,
            "entries": self.entries,
            "exits": self.exits,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class FalsePositiveRate:
    """How often one list's hits turned out to be someone (something) else.

    ``source`` is the list (``sltd``, ``alerts``, ``watchlist``, ``face``);
    ``category`` is ``None`` for the whole list, or a watchlist category
    (``wanted``, ``travel_ban``... ``unknown`` when the person is no longer stored).

    - ``hits``: hits raised in the period;
    - ``reviewed``: those with a verdict: confirmed, dismissed, or marked *not the
      same person* at the border (even while an analyst has still to decide);
    - ``false_positives``: those dismissed or marked not the same person;
    - ``not_same_person``: of those, how many an officer marked so;
    - ``pending``: those with no verdict yet (``hits = reviewed + pending``).

    ``rate`` is ``false_positives / reviewed``, ``None`` while nothing is reviewed;
    ``phrase`` is what the page prints, e.g. ``"3 of 40"``.
    """

    source: str
    category: str | None
    hits: int
    reviewed: int
    false_positives: int
    not_same_person: int
    pending: int

    @property
    def rate(self) -> float | None:
        return self.false_positives / self.reviewed if self.reviewed else None

    @property
    def phrase(self) -> str:
        return f"{self.false_positives} of {self.reviewed}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "category": self.category,
            "hits": self.hits,
            "reviewed": self.reviewed,
            "false_positives": self.false_positives,
            "not_same_person": self.not_same_person,
            "pending": self.pending,
            "rate": self.rate,
            "phrase": self.phrase,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    """The period's totals: crossings (entries, exits), inspections, hits, hits still pending.

    ``pending_reviews`` counts the period's hits whose review is still ``pending``
    (the analysts' queue), including those an officer already marked not the same person.
    """

    crossings: int
    entries: int
    exits: int
    inspections: int
    hits: int
    pending_reviews: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "crossings": self.crossings,
            "entries": self.entries,
            "exits": self.exits,
            "inspections": self.inspections,
            "hits": self.hits,
            "pending_reviews": self.pending_reviews,
        }


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Every figure of the analysts' dashboard for one query."""

    query: DashboardQuery
    summary: Summary
    crossings_per_day: DailySeries
    crossings_per_point: tuple[PointCount, ...]
    inspections_per_day: DailySeries
    hits_by_source: tuple[LabelCount, ...]
    top_nationalities: tuple[LabelCount, ...]
    false_positive_rates: tuple[FalsePositiveRate, ...]

    def as_dict(self) -> dict[str, Any]:
        """The dashboard as JSON-ready values (ISO days, plain numbers) for the page's charts."""
        return {
            "period": self.query.as_dict(),
            "summary": self.summary.as_dict(),
            "crossings_per_day": self.crossings_per_day.as_dict(),
            "crossings_per_point": [p.as_dict() for p in self.crossings_per_point],
            "inspections_per_day": self.inspections_per_day.as_dict(),
            "hits_by_source": [h.as_dict() for h in self.hits_by_source],
            "top_nationalities": [n.as_dict() for n in self.top_nationalities],
            "false_positive_rates": [r.as_dict() for r in self.false_positive_rates],
        }
