"""The risk page's whole reading for one query: indicators, pattern findings, the map's figures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.analytics.figures import PointCount
from passerelle.analytics.risk.columnar import columnar_findings
from passerelle.analytics.risk.counted import (
    counted_by_day,
    counted_by_nationality,
    counted_by_route,
)
from passerelle.analytics.risk.events import crossings_by_document, crossings_by_state
from passerelle.analytics.risk.geo import CrossingMap, MapPoint
from passerelle.analytics.risk.indicators import (
    IndicatorRow,
    by_day,
    by_nationality,
    by_period,
    by_route,
)
from passerelle.analytics.risk.patterns import (
    PatternFinding,
    impossible_travel,
    repeated_entries,
    sequential_documents,
)
from passerelle.analytics.risk.query import RiskQuery
from passerelle.analytics.risk.rules import PatternRules
from passerelle.analytics.traffic import crossings_per_point
from passerelle.store.tables import Inspection

__all__ = ["MAX_FINDINGS", "MapFigure", "RiskReport", "pattern_findings", "risk_report"]

MAX_FINDINGS = 500
"""The most findings a reading lists (the oldest first); ``truncated`` says when more were."""


@dataclass(frozen=True, slots=True)
class MapFigure:
    """A point of the map with its period's figures: crossings, inspections and hits."""

    point: MapPoint
    crossings: int
    inspections: int
    hits: int

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.point.as_dict(),
            "crossings": self.crossings,
            "inspections": self.inspections,
            "hits": self.hits,
        }


@dataclass(frozen=True, slots=True)
class RiskReport:
    """Everything the risk page shows for ``query``, read in one transaction."""

    query: RiskQuery
    rules: PatternRules
    routes: tuple[IndicatorRow, ...]
    nationalities: tuple[IndicatorRow, ...]
    periods: tuple[IndicatorRow, ...]
    findings: tuple[PatternFinding, ...]
    truncated: bool
    map: tuple[MapFigure, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.as_dict(),
            "rules": self.rules.as_dict(),
            "routes": [r.as_dict() for r in self.routes],
            "nationalities": [r.as_dict() for r in self.nationalities],
            "periods": [r.as_dict() for r in self.periods],
            "findings": [f.as_dict() for f in self.findings],
            "truncated": self.truncated,
            "map": [m.as_dict() for m in self.map],
        }


def pattern_findings(
    session: Session, query: RiskQuery, rules: PatternRules, places: CrossingMap
) -> list[PatternFinding]:
    """Every enabled rule's findings over the query's period, each rule in one pass."""
    found: list[PatternFinding] = []
    if rules.travel.enabled:
        found += impossible_travel(crossings_by_document(session, query), rules.travel, places)
    if rules.entries.enabled:
        found += repeated_entries(crossings_by_document(session, query), rules.entries)
    if rules.series.enabled:
        found += sequential_documents(crossings_by_state(session, query), rules.series)
    return found


def _with_inspections(
    session: Session, findings: list[PatternFinding]
) -> tuple[PatternFinding, ...]:
    ids = sorted({r.id for f in findings for r in f.records})
    known: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Inspection.crossing_id, Inspection.id).where(
                Inspection.crossing_id.in_(ids[start : start + 500])
            )
        )
        known.update({int(c): str(i) for c, i in rows if c is not None})
    return tuple(
        replace(f, inspections={r.id: known[r.id] for r in f.records if r.id in known})
        for f in findings
    )


def _map(
    places: CrossingMap, crossings: tuple[PointCount, ...], routes: tuple[IndicatorRow, ...]
) -> tuple[MapFigure, ...]:
    traffic = {p.crossing_point: p.entries + p.exits for p in crossings}
    inspected: dict[str, list[int]] = {}
    for row in routes:
        totals = inspected.setdefault(row.key[0], [0, 0])
        totals[0] += row.inspections
        totals[1] += row.hits
    return tuple(
        MapFigure(p, traffic.get(p.code, 0), *inspected.get(p.code, [0, 0])) for p in places.points
    )


def risk_report(
    session: Session,
    query: RiskQuery,
    rules: PatternRules,
    places: CrossingMap,
    *,
    by_scan: bool = False,
) -> RiskReport:
    """The indicators, findings (oldest first, :data:`MAX_FINDINGS` at most) and map figures.

    The indicators are read from the daily outcome counts (:mod:`.counted`) and the
    patterns found in DuckDB (:mod:`.columnar`); ``by_scan`` reads them as before,
    the indicators by a scan of the inspections and the patterns by the Python
    pass: the peer the tests and ``bench/risk.py`` compare with.
    """
    fraud = rules.fraud
    if by_scan:
        routes, nationalities, days = (
            by_route(session, query, fraud),
            by_nationality(session, query, fraud),
            by_day(session, query, fraud),
        )
        found = pattern_findings(session, query, rules, places)
    else:
        routes, nationalities, days = (
            counted_by_route(session, query, fraud),
            counted_by_nationality(session, query, fraud),
            counted_by_day(session, query, fraud),
        )
        found = columnar_findings(session, query, rules, places)
    findings = sorted(found, key=lambda f: (f.records[0].at, f.rule, f.records[0].id))
    return RiskReport(
        query=query,
        rules=rules,
        routes=routes,
        nationalities=nationalities,
        periods=by_period(days, query),
        findings=_with_inspections(session, findings[:MAX_FINDINGS]),
        truncated=len(findings) > MAX_FINDINGS,
        map=_map(places, crossings_per_point(session, query.period), routes),
    )
