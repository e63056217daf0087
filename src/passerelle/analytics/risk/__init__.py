"""Risk indicators and unusual patterns for analysts: leads for a person, never decisions.

Over a period (and optionally a crossing point and a nationality, :class:`RiskQuery`):

- **indicators** (:mod:`.indicators`): refusals, overstays, document fraud and hits
  among the inspections, by route (point and direction), nationality and period (day,
  week or month), each an aggregate query (GROUP BY in the database);
- **unusual patterns** (:mod:`.patterns`), each a rule whose windows and thresholds are
  data (``patterns.toml``, overridable by the node, :func:`pattern_rules`): a document
  used at two points too close in time, entries in a row with no exit, bursts of
  documents with sequential numbers; each finding lists the crossings behind it and
  says why;
- **the map** (:mod:`.geo`): the node's crossing points from its GeoJSON file, with
  each point's figures.

Example (``database`` a :class:`passerelle.store.Database`)::

    query = RiskQuery(DashboardQuery.last_days(date.today()), granularity="week")
    with database.read() as session:
        report = risk_report(session, query, pattern_rules(), crossing_map)
    report.as_dict()["findings"]
"""

from passerelle.analytics.risk.events import CrossingEvent
from passerelle.analytics.risk.geo import (
    CrossingMap,
    MapPoint,
    PlacedPoint,
    distance_km,
    parse_crossing_map,
)
from passerelle.analytics.risk.indicators import INDICATORS, IndicatorRow
from passerelle.analytics.risk.patterns import RULES, PatternFinding
from passerelle.analytics.risk.query import GRANULARITIES, RiskQuery
from passerelle.analytics.risk.report import MAX_FINDINGS, MapFigure, RiskReport, risk_report
from passerelle.analytics.risk.rules import PatternRules, pattern_rules

__all__ = [
    "GRANULARITIES",
    "INDICATORS",
    "MAX_FINDINGS",
    "RULES",
    "CrossingEvent",
    "CrossingMap",
    "IndicatorRow",
    "MapFigure",
    "MapPoint",
    "PatternFinding",
    "PatternRules",
    "PlacedPoint",
    "RiskQuery",
    "RiskReport",
    "distance_km",
    "parse_crossing_map",
    "pattern_rules",
    "risk_report",
]
