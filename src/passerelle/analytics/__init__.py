"""The figures behind the analysts' dashboard: traffic, inspections, hits and false positives.

A :class:`DashboardQuery` names a period of UTC days (``start`` to ``end``, both
included, at most 366; the page's default is the last 30 days) and, optionally,
one crossing point. Each figure is one aggregate query (GROUP BY in the
database, SQLite and PostgreSQL alike) read through the caller's SQLAlchemy
session, and comes back as frozen values with a JSON-ready ``as_dict()``:

- :func:`crossings_per_day`: entries and exits per day (a :class:`DailySeries`,
  days without crossings at 0), and :func:`crossings_per_point`;
- :func:`inspections_per_day`: inspections per day by decision (clear, refer, hit);
- :func:`hits_by_source`: hits per list (sltd, alerts, watchlist, face);
- :func:`top_nationalities`: the nationalities crossing most;
- :func:`false_positive_rates`: per list, and per watchlist category, the share of
  reviewed hits dismissed or marked *not the same person* ("3 of 40");
- :func:`summary`: the period's totals; :func:`dashboard`: all of the above.

Example (``database`` a :class:`passerelle.store.Database`)::

    query = DashboardQuery.last_days(date.today(), crossing_point="TNG-MED")
    with database.read() as session:
        figures = dashboard(session, query)
    figures.summary.crossings, figures.as_dict()["crossings_per_day"]

Crossings and inspections are summed from the store's daily counts
(``passerelle.store.rollups``, kept as they are written), hits read from the review
queue; :mod:`passerelle.analytics.scans` counts the same figures from the rows (the
peer the tests and ``bench/dashboard.py`` check the counts against).

Figures are counts, never persons: nothing here returns a name or a document.
"""

from passerelle.analytics.dashboard import dashboard, summary
from passerelle.analytics.figures import (
    DailyCount,
    DailySeries,
    Dashboard,
    FalsePositiveRate,
    LabelCount,
    PointCount,
    Summary,
)
from passerelle.analytics.hits import SOURCES, false_positive_rates, hits_by_source
from passerelle.analytics.query import (
    DEFAULT_PERIOD_DAYS,
    MAX_PERIOD_DAYS,
    DashboardQuery,
    crossing_point_code,
)
from passerelle.analytics.traffic import (
    DECISIONS,
    DIRECTIONS,
    crossings_per_day,
    crossings_per_point,
    inspections_per_day,
    top_nationalities,
)

__all__ = [
    "DECISIONS",
    "DEFAULT_PERIOD_DAYS",
    "DIRECTIONS",
    "MAX_PERIOD_DAYS",
    "SOURCES",
    "DailyCount",
    "DailySeries",
    "Dashboard",
    "DashboardQuery",
    "FalsePositiveRate",
    "LabelCount",
    "PointCount",
    "Summary",
    "crossing_point_code",
    "crossings_per_day",
    "crossings_per_point",
    "dashboard",
    "false_positive_rates",
    "hits_by_source",
    "inspections_per_day",
    "summary",
    "top_nationalities",
]
