"""The risk page's daily counts of inspection outcomes: kept as inspections are written.

An inspection counts once, on its UTC day, route (point and direction) and
nationality (``""`` when none was read), under its *outcome* (:func:`outcome_of`):
its decision, the officer's action and a refusal's reason, whether the stay rule
found an overstay, and its document and alert finding codes. The count is added
in the inspection's own transaction (:meth:`InspectionRepository.add`), and moved
from the undecided outcome to the decided one when the officer decides
(``record_decision``), each an upsert ``n = n + excluded.n`` as
:mod:`passerelle.store.rollups` does. The indicators (refusals, overstays, fraud,
hits) are folded from these counts by the analytics layer, under the node's fraud
codes of the moment: no code is baked into the counts.

:func:`outcomes_scan` counts the same from the inspections themselves; it is what
:func:`rebuild_outcomes` writes back and :func:`verify_outcomes` compares with
(``passerelle analytics rebuild|verify``, through :mod:`.rollups`).

>>> outcome_of(decision="hit", action=None, reason_code=None,
...            result={"stay": {"overstay_days": 3},
...                    "findings": [{"source": "alerts", "code": "alert_forged_document"},
...                                 {"source": "watchlist", "code": "hit"}]})
('hit', '', '', True, 'alerts:alert_forged_document')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from passerelle.store.counting import upsert_counts
from passerelle.store.tables import DailyOutcomes, Inspection

__all__ = [
    "FINDING_SOURCES",
    "OUTCOME_KEY",
    "count_outcome",
    "move_outcome",
    "outcome_of",
    "outcomes_scan",
    "rebuild_outcomes",
    "stored_outcomes",
    "verify_outcomes",
]

FINDING_SOURCES = ("document", "alerts")
"""The finding sources an outcome keeps the codes of (those fraud can be read from)."""

OUTCOME_KEY = (
    "day",
    "crossing_point",
    "direction",
    "nationality",
    "decision",
    "action",
    "reason_code",
    "overstay",
    "findings",
)

Outcome = tuple[str, str, str, bool, str]
Key = tuple[date, str, str, str, str, str, str, bool, str]


def _overstay(result: Mapping[str, Any]) -> bool:
    stay = result.get("stay")
    days = stay.get("overstay_days") if isinstance(stay, Mapping) else None
    try:
        return int(days or 0) > 0
    except (TypeError, ValueError):
        return False


def outcome_of(
    *, decision: str, action: str | None, reason_code: str | None, result: Mapping[str, Any]
) -> Outcome:
    """What an inspection's outcome is counted under (its reason only when refused)."""
    findings = result.get("findings")
    codes = sorted(
        {
            f"{f.get('source')}:{f.get('code')}"
            for f in (findings if isinstance(findings, list) else [])
            if isinstance(f, Mapping) and f.get("source") in FINDING_SOURCES
        }
    )
    refused = action == "refuse"
    return (
        decision,
        action or "",
        (reason_code or "") if refused else "",
        _overstay(result),
        " ".join(codes)[:255],
    )


def _day_of(at: datetime) -> date:
    return at.astimezone(UTC).date() if at.tzinfo else at.date()


def _key(
    at: datetime, crossing_point: str, direction: str, nationality: str | None, outcome: Outcome
) -> Key:
    return (_day_of(at), crossing_point, direction, nationality or "", *outcome)


def count_outcome(
    session: Session,
    *,
    at: datetime,
    crossing_point: str,
    direction: str,
    nationality: str | None,
    outcome: Outcome,
    sign: int = 1,
) -> None:
    """Add one inspection's outcome to its day's count (same transaction as the inspection)."""
    key = _key(at, crossing_point, direction, nationality, outcome)
    upsert_counts(session, DailyOutcomes, OUTCOME_KEY, {key: sign})


def move_outcome(session: Session, row: Inspection, before: Outcome) -> None:
    """Move a stored inspection's count from outcome ``before`` to the one it has now."""
    after = outcome_of(
        decision=row.decision, action=row.action, reason_code=row.reason_code, result=row.result
    )
    if after == before:
        return
    where = (row.at, row.crossing_point, row.direction, row.nationality)
    upsert_counts(
        session, DailyOutcomes, OUTCOME_KEY, {_key(*where, before): -1, _key(*where, after): 1}
    )


def _since(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def outcomes_scan(session: Session, since: date | None = None) -> dict[Key, int]:
    """The inspections (from ``since``) counted as :class:`DailyOutcomes` counts them."""
    statement = select(
        Inspection.at,
        Inspection.crossing_point,
        Inspection.direction,
        Inspection.nationality,
        Inspection.decision,
        Inspection.action,
        Inspection.reason_code,
        Inspection.result,
    )
    if since is not None:
        statement = statement.where(Inspection.at >= _since(since))
    counts: dict[Key, int] = {}
    for at, point, direction, nationality, decision, action, reason, result in session.execute(
        statement.execution_options(yield_per=5000)
    ):
        outcome = outcome_of(
            decision=decision, action=action, reason_code=reason, result=result or {}
        )
        key = _key(at, point, direction, nationality, outcome)
        counts[key] = counts.get(key, 0) + 1
    return counts


def stored_outcomes(session: Session, since: date | None = None) -> dict[Key, int]:
    """The counts kept (from ``since``), by key."""
    statement = select(*(getattr(DailyOutcomes, name) for name in OUTCOME_KEY), DailyOutcomes.n)
    if since is not None:
        statement = statement.where(DailyOutcomes.day >= since)
    out: dict[Key, int] = {}
    for row in session.execute(statement):
        day = row[0] if isinstance(row[0], date) else date.fromisoformat(str(row[0]))
        out[(day, *row[1:7], bool(row[7]), row[8])] = int(row[-1])
    return out


def rebuild_outcomes(session: Session, *, since: date | None) -> tuple[int, int]:
    """Recount the outcomes from ``since`` (every day when ``None``): (rows, inspections)."""
    cleared = delete(DailyOutcomes)
    session.execute(cleared if since is None else cleared.where(DailyOutcomes.day >= since))
    counts = outcomes_scan(session, since)
    rows = [dict(zip(OUTCOME_KEY, k, strict=True)) | {"n": n} for k, n in sorted(counts.items())]
    for start in range(0, len(rows), 5000):
        session.execute(insert(DailyOutcomes), rows[start : start + 5000])
    counted = select(func.count(), func.coalesce(func.sum(DailyOutcomes.n), 0))
    if since is not None:
        counted = counted.where(DailyOutcomes.day >= since)
    total_rows, total = session.execute(counted).one()
    return int(total_rows), int(total)


def verify_outcomes(session: Session, *, since: date | None) -> list[tuple[Key, int, int]]:
    """Every key from ``since`` on whose count differs from a scan: (key, counted, scanned)."""
    counted = stored_outcomes(session, since)
    scanned = outcomes_scan(session, since)
    return [
        (key, counted.get(key, 0), scanned.get(key, 0))
        for key in sorted(set(counted) | set(scanned))
        if counted.get(key, 0) != scanned.get(key, 0)
    ]
