"""Risk indicators: refusals, overstays, document fraud and hits among the period's inspections.

Each breakdown is one aggregate query (GROUP BY in the database, SQLite and
PostgreSQL alike) over the inspections of the period (``inspections.at``, indexed),
at the query's crossing point and of its nationality when it names them:

- a **refusal** is an inspection the officer decided ``refuse`` (``inspections.action``);
- an **overstay** is one whose stay rule found days over the limit
  (``result.stay.overstay_days`` above 0, ``passerelle.stay``);
- **document fraud** is a refusal for a false document (the reason codes of
  ``patterns.toml``), a forgery indicator of the document check, or a document in a
  forged-document alert's series (finding codes of ``patterns.toml``);
- a **hit** is an inspection decided ``hit``.

The breakdowns are small separate functions (:func:`by_route`, :func:`by_nationality`,
:func:`by_day`) so that each can later read daily rollups instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, ColumnElement, Integer, and_, column, exists, func, or_, select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import as_day, count_where, in_period, utc_day
from passerelle.analytics.risk.query import RiskQuery, bucket_of
from passerelle.analytics.risk.rules import FraudCodes
from passerelle.store.tables import Inspection

__all__ = ["INDICATORS", "IndicatorRow", "by_day", "by_nationality", "by_period", "by_route"]

INDICATORS = ("inspections", "refusals", "overstays", "fraud", "hits")


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """The indicators of one group: a route (point, direction), a nationality or a period."""

    key: tuple[str, ...]
    inspections: int
    refusals: int
    overstays: int
    fraud: int
    hits: int

    def count(self, indicator: str) -> int:
        return int(getattr(self, indicator))

    def as_dict(self) -> dict[str, Any]:
        return {"key": list(self.key), **{name: self.count(name) for name in INDICATORS}}


def _findings_with(session: Session, pairs: Iterable[tuple[str, str]]) -> ColumnElement[bool]:
    """An inspection whose stored findings hold one of ``(source, code)`` (EXISTS, per dialect)."""
    wanted = list(pairs)
    if not wanted:
        return Inspection.id.is_(None)  # never true: an inspection always has an id
    if session.get_bind().dialect.name == "postgresql":
        elements = func.json_array_elements(Inspection.result["findings"])
    else:
        elements = func.json_each(Inspection.result, "$.findings")
    found = elements.table_valued(column("value", JSON)).alias("finding")
    source = found.c.value["source"].as_string()
    code = found.c.value["code"].as_string()
    return exists(
        select(1).select_from(found).where(or_(*(and_(source == s, code == c) for s, c in wanted)))
    )


def _counts(session: Session, fraud: FraudCodes) -> list[ColumnElement[Any]]:
    overstay = Inspection.result["stay"]["overstay_days"].as_integer()
    false_document = and_(
        Inspection.action == "refuse", Inspection.reason_code.in_(fraud.reason_codes or ("",))
    )
    fraud_found = _findings_with(
        session,
        [("document", c) for c in fraud.document_codes]
        + [("alerts", c) for c in fraud.alert_codes],
    )
    return [
        func.count(),
        count_where(Inspection.action == "refuse"),
        count_where(func.coalesce(overstay, 0).cast(Integer) > 0),
        count_where(or_(false_document, fraud_found)),
        count_where(Inspection.decision == "hit"),
    ]


def _where(query: RiskQuery) -> list[ColumnElement[bool]]:
    conditions = in_period(query.period, Inspection.at, Inspection.crossing_point)
    if query.nationality is not None:
        conditions.append(Inspection.nationality == query.nationality)
    return conditions


def _rows(rows: Iterable[Any], width: int) -> tuple[IndicatorRow, ...]:
    out = []
    for row in rows:
        key = tuple("" if v is None else str(v) for v in row[:width])
        counts = [int(v or 0) for v in row[width:]]
        out.append(IndicatorRow(key, *counts))
    return tuple(out)


def by_route(session: Session, query: RiskQuery, fraud: FraudCodes) -> tuple[IndicatorRow, ...]:
    """Per crossing point and direction, the busiest first (then by point and direction)."""
    rows = session.execute(
        select(Inspection.crossing_point, Inspection.direction, *_counts(session, fraud))
        .where(*_where(query))
        .group_by(Inspection.crossing_point, Inspection.direction)
        .order_by(func.count().desc(), Inspection.crossing_point, Inspection.direction)
    )
    return _rows(rows, 2)


def by_nationality(
    session: Session, query: RiskQuery, fraud: FraudCodes
) -> tuple[IndicatorRow, ...]:
    """Per nationality (``""`` when not read), the most inspected first (then by code)."""
    rows = session.execute(
        select(Inspection.nationality, *_counts(session, fraud))
        .where(*_where(query))
        .group_by(Inspection.nationality)
        .order_by(func.count().desc(), Inspection.nationality)
    )
    return _rows(rows, 1)


def by_day(session: Session, query: RiskQuery, fraud: FraudCodes) -> tuple[IndicatorRow, ...]:
    """Per UTC day with an inspection (``YYYY-MM-DD``), oldest first."""
    day = utc_day(session, Inspection.at).label("day")
    rows = session.execute(
        select(day, *_counts(session, fraud)).where(*_where(query)).group_by(day).order_by(day)
    )
    return tuple(
        IndicatorRow((as_day(r[0]).isoformat(),), *(int(v or 0) for v in r[1:])) for r in rows
    )


def by_period(days: Iterable[IndicatorRow], query: RiskQuery) -> tuple[IndicatorRow, ...]:
    """The days folded into the query's buckets (day, ISO week from Monday, month), every
    bucket of the period listed, zeros included, keyed by its first day."""
    step = query.granularity
    buckets: dict[str, list[int]] = {}
    for day in query.period.each_day():
        buckets.setdefault(bucket_of(day, step).isoformat(), [0] * len(INDICATORS))
    for row in days:
        first = bucket_of(as_day(row.key[0]), step).isoformat()
        totals = buckets.setdefault(first, [0] * len(INDICATORS))
        for n, name in enumerate(INDICATORS):
            totals[n] += row.count(name)
    return tuple(IndicatorRow((key,), *counts) for key, counts in sorted(buckets.items()))
