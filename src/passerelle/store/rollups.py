"""The dashboard's daily counts: kept as crossings and inspections are written, rebuilt, verified.

Every write path that stores a crossing or an inspection adds it to its day's count
in the same transaction (:func:`count_crossings`, :func:`count_inspection`): the
crossing registry (``record_crossing``, the bulk loader and so the demo loader) and
the inspection repository. A crossing an officer removes (a clear not admitted
after all) is taken off again. Each count is one upsert,
``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``, on SQLite and
PostgreSQL alike: two booths counting the same day, point and direction at once
both land (PostgreSQL locks the row for the second until the first commits), and
several keys are always upserted in the same (sorted) order, so two bulk loads
cannot deadlock on them.

Retention deletes crossings and inspections, not their counts: the counts are not
persons, and a year's figures stay whole when the rows behind them are gone. The
days from :func:`first_whole_day` on are still whole in the transactional tables,
so that is where :func:`rebuild_rollups` and :func:`verify_rollups` start by
default (``passerelle analytics rebuild`` / ``verify``). The days are UTC days, as
the store keeps every timestamp in UTC. The risk page's counts of inspection
outcomes (:mod:`passerelle.store.outcomes`) are rebuilt and verified with them.

>>> first_whole_day(RetentionPolicy(crossings_days=30, inspections_days=10),
...                 datetime(2026, 12, 7, 12, tzinfo=UTC))
datetime.date(2026, 11, 28)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Select, cast, delete, func, insert, literal_column, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.counting import upsert_counts
from passerelle.store.outcomes import rebuild_outcomes, verify_outcomes
from passerelle.store.retention import RetentionPolicy
from passerelle.store.tables import Crossing, DailyCrossings, DailyInspections, Inspection

__all__ = [
    "NO_NATIONALITY",
    "Disagreement",
    "RebuildReport",
    "count_crossing_facts",
    "count_crossings",
    "count_inspection",
    "count_loaded_crossings",
    "crossings_scan",
    "first_whole_day",
    "inspections_scan",
    "rebuild_audited",
    "rebuild_rollups",
    "utc_day",
    "verify_rollups",
]

NO_NATIONALITY = ""
"""The nationality a crossing counts under when none was recorded."""

_CROSSING_KEY = ("day", "crossing_point", "direction", "nationality")
_INSPECTION_KEY = ("day", "crossing_point", "decision")


@dataclass(frozen=True, slots=True)
class RebuildReport:
    """What a rebuild recounted: from which day (``None``: every day), rows and events."""

    since: date | None
    crossing_rows: int
    crossings: int
    inspection_rows: int
    inspections: int
    outcome_rows: int = 0
    outcomes: int = 0
    """The risk page's outcome counts (:mod:`passerelle.store.outcomes`): rows, inspections."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "crossing_rows": self.crossing_rows,
            "crossings": self.crossings,
            "inspection_rows": self.inspection_rows,
            "inspections": self.inspections,
            "outcome_rows": self.outcome_rows,
            "outcomes": self.outcomes,
        }


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One day's key whose count differs from a scan of the rows (``table`` is the rollup)."""

    table: str
    key: tuple[str, ...]
    counted: int
    scanned: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": list(self.key),
            "counted": self.counted,
            "scanned": self.scanned,
        }


def utc_day(session: Session, at: InstrumentedAttribute[datetime]) -> Any:
    """The UTC day of a stored timestamp, as SQL for the session's database.

    SQLite keeps naive UTC text, whose ``date()`` is the UTC day; PostgreSQL's
    ``timestamptz`` is first turned into UTC wall time (its cast to ``date`` would
    follow the session's ``TimeZone``).
    """
    if session.get_bind().dialect.name == "postgresql":
        # A literal (not a bound parameter) so that the SELECT and GROUP BY
        # expressions are the same text, as PostgreSQL requires.
        return cast(func.timezone(literal_column("'UTC'"), at), Date)
    return func.date(at)


def _day_of(at: datetime) -> date:
    if at.tzinfo is UTC or at.tzinfo is None:  # a loaded crossing's instant is UTC already
        return at.date()
    return at.astimezone(UTC).date()


def count_crossings(
    session: Session, crossings: Iterable[Mapping[str, Any]], *, sign: int = 1
) -> None:
    """Add crossings (``at``, ``crossing_point``, ``direction``, ``nationality``) to their days.

    ``sign=-1`` takes them off again (a crossing removed as never having happened).
    """
    count_crossing_facts(
        session,
        ((r["at"], r["crossing_point"], r["direction"], r["nationality"]) for r in crossings),
        sign=sign,
    )


def count_crossing_facts(
    session: Session,
    facts: Iterable[tuple[datetime, str, str, str | None]],
    *,
    sign: int = 1,
) -> None:
    """:func:`count_crossings` for (at, crossing point, direction, nationality) tuples: a
    bulk load's millions of crossings are counted without a dictionary each."""
    counts: dict[tuple[date, str, str, str], int] = {}
    for at, point, direction, nationality in facts:
        key = (_day_of(at), point, direction, nationality or NO_NATIONALITY)
        counts[key] = counts.get(key, 0) + sign
    upsert_counts(session, DailyCrossings, _CROSSING_KEY, counts)


def count_loaded_crossings(
    session: Session, facts: Iterable[tuple[str, str, str, str | None]]
) -> None:
    """:func:`count_crossing_facts` for a bulk load's crossings, whose instants are UTC text
    (``2026-03-01 10:15:00.000000``, :mod:`passerelle.store.crossing_batches`): counted per
    day's text, each distinct day made a date once."""
    by_text: dict[tuple[str, str, str, str | None], int] = {}
    for at, point, direction, nationality in facts:
        key = (at[:10], point, direction, nationality)
        by_text[key] = by_text.get(key, 0) + 1
    days: dict[str, date] = {}
    counts: dict[tuple[date, str, str, str], int] = {}
    for (day, point, direction, nationality), n in by_text.items():
        when = days.get(day)
        if when is None:
            when = days[day] = date.fromisoformat(day)
        counted = (when, point, direction, nationality or NO_NATIONALITY)
        counts[counted] = counts.get(counted, 0) + n
    upsert_counts(session, DailyCrossings, _CROSSING_KEY, counts)


def count_inspection(session: Session, *, at: datetime, crossing_point: str, decision: str) -> None:
    """Add one inspection to its day's count (same transaction as the inspection)."""
    key = (_day_of(at), crossing_point, decision)
    upsert_counts(session, DailyInspections, _INSPECTION_KEY, {key: 1})


def first_whole_day(policy: RetentionPolicy, now: datetime) -> date:
    """The first UTC day no retention run can have thinned out (crossings nor inspections)."""
    kept = min(policy.crossings_days, policy.inspections_days)
    return _day_of(now - timedelta(days=kept)) + timedelta(days=1)


def _since(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def crossings_scan(session: Session, since: date | None = None) -> Select[Any]:
    """Crossings grouped as :class:`DailyCrossings` counts them, from the rows themselves."""
    day = utc_day(session, Crossing.at)
    nationality = func.coalesce(Crossing.nationality, literal_column(f"'{NO_NATIONALITY}'"))
    statement = select(
        day, Crossing.crossing_point, Crossing.direction, nationality, func.count()
    ).group_by(day, Crossing.crossing_point, Crossing.direction, nationality)
    return statement if since is None else statement.where(Crossing.at >= _since(since))


def inspections_scan(session: Session, since: date | None = None) -> Select[Any]:
    """Inspections grouped as :class:`DailyInspections` counts them, from the rows themselves."""
    day = utc_day(session, Inspection.at)
    statement = select(day, Inspection.crossing_point, Inspection.decision, func.count()).group_by(
        day, Inspection.crossing_point, Inspection.decision
    )
    return statement if since is None else statement.where(Inspection.at >= _since(since))


def rebuild_rollups(session: Session, *, since: date | None) -> RebuildReport:
    """Recount the days from ``since`` (every day when ``None``) from the transactional rows.

    The counts of earlier days are kept (their rows may be gone with retention); with
    ``since=None`` the counts of rows retention deleted are lost. One ``INSERT ...
    SELECT ... GROUP BY`` per table, in the caller's transaction (the migration that
    created the tables filled them the same way). Not audited here:
    :func:`rebuild_audited` is what an operator runs.
    """
    for table in (DailyCrossings, DailyInspections):
        cleared = delete(table)
        session.execute(cleared if since is None else cleared.where(table.day >= since))
    session.execute(
        insert(DailyCrossings).from_select([*_CROSSING_KEY, "n"], crossings_scan(session, since))
    )
    session.execute(
        insert(DailyInspections).from_select(
            [*_INSPECTION_KEY, "n"], inspections_scan(session, since)
        )
    )
    if session.get_bind().dialect.name == "postgresql":  # the planner's view of the new rows
        session.execute(text("ANALYZE daily_crossings, daily_inspections"))
    outcome_rows, outcomes = rebuild_outcomes(session, since=since)
    totals = []
    for table in (DailyCrossings, DailyInspections):
        counted = select(func.count(), func.coalesce(func.sum(table.n), 0))
        rows, events = session.execute(
            counted if since is None else counted.where(table.day >= since)
        ).one()
        totals.append((int(rows), int(events)))
    return RebuildReport(
        since, totals[0][0], totals[0][1], totals[1][0], totals[1][1], outcome_rows, outcomes
    )


def rebuild_audited(
    session: Session, audit: AuditTrail, *, since: date | None, actor: Actor, now: datetime
) -> tuple[RebuildReport, int]:
    """:func:`rebuild_rollups`, with its ``analytics.rebuild`` audit record; returns both."""
    report = rebuild_rollups(session, since=since)
    details = report.as_dict()
    seq = audit.record(
        session,
        actor=actor,
        action="analytics.rebuild",
        at=now,
        query={"since": details["since"]},
        result=details,
    )
    return report, seq


def _as_key(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(v.isoformat() if isinstance(v, date) else str(v) for v in values)


def _compare(
    session: Session, table: Any, scan: Select[Any], since: date | None
) -> list[Disagreement]:
    names = _CROSSING_KEY if table is DailyCrossings else _INSPECTION_KEY
    counted_rows = select(*(getattr(table, name) for name in names), table.n)
    if since is not None:
        counted_rows = counted_rows.where(table.day >= since)
    counted = {_as_key(row[:-1]): int(row[-1]) for row in session.execute(counted_rows)}
    scanned = {_as_key(row[:-1]): int(row[-1]) for row in session.execute(scan)}
    return [
        Disagreement(str(table.__tablename__), key, counted.get(key, 0), scanned.get(key, 0))
        for key in sorted(set(counted) | set(scanned))
        if counted.get(key, 0) != scanned.get(key, 0)
    ]


def verify_rollups(session: Session, *, since: date | None) -> list[Disagreement]:
    """Every day's count from ``since`` on that differs from a scan of the rows (none: agreed).

    A key counted 0 (its crossings all removed) agrees with a scan that finds none.
    """
    return [
        *_compare(session, DailyCrossings, crossings_scan(session, since), since),
        *_compare(session, DailyInspections, inspections_scan(session, since), since),
        *(
            Disagreement("daily_outcomes", _as_key(key), counted, scanned)
            for key, counted, scanned in verify_outcomes(session, since=since)
        ),
    ]
