"""Risk indicators from the daily outcome counts: the page's reading at national scale.

The same breakdowns as :mod:`.indicators` (by route, nationality and day), read from
``daily_outcomes`` (:mod:`passerelle.store.outcomes`) instead of the inspections:
one ``GROUP BY`` over the period's counts, per group and outcome, then each
outcome folded into the five indicators here, under the fraud codes given (so a
node's codes can change without a recount). A year is read from the few hundred
thousand counts of its days, never from the inspections behind them. The
:mod:`.indicators` scan is the peer the tests and ``bench/risk.py`` compare with;
after retention has deleted inspections, only the counts still hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from passerelle.analytics._sql import as_day
from passerelle.analytics.risk.indicators import INDICATORS, IndicatorRow
from passerelle.analytics.risk.query import RiskQuery
from passerelle.analytics.risk.rules import FraudCodes
from passerelle.store.tables import DailyOutcomes

__all__ = ["counted_by_day", "counted_by_nationality", "counted_by_route", "is_fraud"]

_OUTCOME = (
    DailyOutcomes.decision,
    DailyOutcomes.action,
    DailyOutcomes.reason_code,
    DailyOutcomes.overstay,
    DailyOutcomes.findings,
)


def is_fraud(action: str, reason_code: str, findings: str, fraud: FraudCodes) -> bool:
    """Whether an outcome is document fraud under ``fraud`` (as :mod:`.indicators` counts it).

    >>> codes = FraudCodes(("false_document",), ("suspicious",), ("alert_forged_document",))
    >>> is_fraud("refuse", "false_document", "", codes), is_fraud("", "", "document:ok", codes)
    (True, False)
    >>> is_fraud("", "", "alerts:alert_forged_document document:ok", codes)
    True
    """
    if action == "refuse" and reason_code in fraud.reason_codes:
        return True
    wanted = {f"document:{c}" for c in fraud.document_codes}
    wanted |= {f"alerts:{c}" for c in fraud.alert_codes}
    return any(code in wanted for code in findings.split())


def _where(query: RiskQuery) -> list[ColumnElement[bool]]:
    conditions = [DailyOutcomes.day >= query.period.start, DailyOutcomes.day <= query.period.end]
    if query.period.crossing_point is not None:
        conditions.append(DailyOutcomes.crossing_point == query.period.crossing_point)
    if query.nationality is not None:
        conditions.append(DailyOutcomes.nationality == query.nationality)
    return conditions


def _fold(
    session: Session, query: RiskQuery, fraud: FraudCodes, *group: Any
) -> dict[tuple[Any, ...], list[int]]:
    """Per group, the five indicators folded from its outcomes' counts."""
    rows = session.execute(
        select(*group, *_OUTCOME, func.sum(DailyOutcomes.n))
        .where(*_where(query))
        .group_by(*group, *_OUTCOME)
    )
    width = len(group)
    totals: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        decision, action, reason, overstay, findings = row[width : width + 5]
        n = int(row[-1] or 0)
        counts = totals.setdefault(tuple(row[:width]), [0] * len(INDICATORS))
        counts[0] += n
        counts[1] += n if action == "refuse" else 0
        counts[2] += n if overstay else 0
        counts[3] += n if is_fraud(action, reason, findings, fraud) else 0
        counts[4] += n if decision == "hit" else 0
    return {key: counts for key, counts in totals.items() if counts[0]}


def _ranked(totals: dict[tuple[Any, ...], list[int]]) -> tuple[IndicatorRow, ...]:
    ordered: Iterable[tuple[tuple[Any, ...], list[int]]] = sorted(
        totals.items(), key=lambda item: (-item[1][0], tuple(str(v) for v in item[0]))
    )
    return tuple(IndicatorRow(tuple(str(v) for v in key), *counts) for key, counts in ordered)


def counted_by_route(
    session: Session, query: RiskQuery, fraud: FraudCodes
) -> tuple[IndicatorRow, ...]:
    """Per crossing point and direction, the busiest first (then by point and direction)."""
    group = (DailyOutcomes.crossing_point, DailyOutcomes.direction)
    return _ranked(_fold(session, query, fraud, *group))


def counted_by_nationality(
    session: Session, query: RiskQuery, fraud: FraudCodes
) -> tuple[IndicatorRow, ...]:
    """Per nationality (``""`` when not read), the most inspected first (then by code)."""
    return _ranked(_fold(session, query, fraud, DailyOutcomes.nationality))


def counted_by_day(
    session: Session, query: RiskQuery, fraud: FraudCodes
) -> tuple[IndicatorRow, ...]:
    """Per UTC day with an inspection (``YYYY-MM-DD``), oldest first."""
    totals = _fold(session, query, fraud, DailyOutcomes.day)
    days = sorted((as_day(key[0]), counts) for key, counts in totals.items())
    return tuple(IndicatorRow((day.isoformat(),), *counts) for day, counts in days)
