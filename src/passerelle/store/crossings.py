"""Border crossings (entries and exits by travel document) and the stay rules per nationality.

A crossing is identified by what happened: the document (issuing state and
number), the direction, the instant and the crossing point. Files carry an
``id`` per crossing, which the loader uses to refuse one id with two contents
in a file; the table has no column for it, so reloads are made idempotent by
that natural key instead: a crossing already stored is counted *unchanged*
and not stored twice. (A corrected line, say a fixed timestamp, is therefore
a new crossing; the old one stays until retention removes it.)

Crossings file, one JSON object per line::

    {"id": "TNG-2026-000123", "issuing_state": "MAR", "document_number": "UM4731285",
     "nationality": "MAR", "crossing_point": "TNG-MED", "direction": "entry",
     "at": "2026-03-01T10:15:00Z", "officer": "officer.benali"}

``nationality`` and ``officer`` may be left out (the loading user is then the
officer), and so may ``id`` (the natural key then stands in for it); ``at``
must carry a UTC offset. Crossing points are stored upper case. Stay rules
(*max_days in any window_days*) are kept per nationality, with ``*`` as the
node's default and 90 in 180 (Schengen) when no default is set.

Writes that create crossings take a PostgreSQL transaction-level advisory lock,
so two loads of overlapping files cannot both store one crossing (SQLite
writers are serialised anyway).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, text, tuple_
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.records.fields import (
    document_number,
    no_unknown_fields,
    one_of,
    optional_text,
    required_text,
    state_code,
)
from passerelle.stay import SCHENGEN_SHORT_STAY, Direction, Movement, StayLimit
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.loading import BatchOutcome
from passerelle.store.rollups import count_crossings
from passerelle.store.tables import Crossing, StayRule

__all__ = [
    "DEFAULT_NATIONALITY",
    "DIRECTIONS",
    "CrossingEntry",
    "CrossingRegistry",
    "CrossingView",
    "RuleInForce",
    "crossings_of",
    "list_rules",
    "record_crossing",
    "rule_for",
    "set_rule",
]

DIRECTIONS = frozenset({"entry", "exit"})
DEFAULT_NATIONALITY = "*"
FUTURE_TOLERANCE = timedelta(minutes=5)
_FIELDS = frozenset(
    {
        "id",
        "issuing_state",
        "document_number",
        "nationality",
        "crossing_point",
        "direction",
        "at",
        "officer",
    }
)
_LOCK_KEY = 0x7061_7373_6378  # "passcx": serialises crossing inserts on PostgreSQL

NaturalKey = tuple[str, str, str, datetime, str]


@dataclass(frozen=True, slots=True)
class CrossingEntry:
    """A crossing to store, validated: from a file line or an officer's record."""

    issuing_state: str
    document_number: str
    nationality: str | None
    crossing_point: str
    direction: Direction
    at: datetime
    officer: str | None = None
    id: str | None = None

    @property
    def natural_key(self) -> NaturalKey:
        """What makes two records one crossing: document, direction, instant and place."""
        return (
            self.issuing_state,
            self.document_number,
            self.direction,
            self.at,
            self.crossing_point,
        )


@dataclass(frozen=True, slots=True)
class CrossingView:
    """A stored crossing."""

    id: int
    issuing_state: str
    document_number: str
    nationality: str | None
    crossing_point: str
    direction: Direction
    at: datetime
    officer: str
    recorded_at: datetime

    @property
    def movement(self) -> Movement:
        """The crossing as the stay calculation sees it."""
        return Movement(self.direction, self.at)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "crossing_point": self.crossing_point,
            "direction": self.direction,
            "at": self.at.isoformat(),
            "officer": self.officer,
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class RuleInForce:
    """The stay limit that applies to a nationality, and which row it came from."""

    limit: StayLimit
    applies_to: str
    """The nationality of the rule row, ``*`` for the node default, ``built-in`` for 90/180."""


def parse_timestamp(record: Mapping[str, Any], name: str) -> datetime:
    """An ISO 8601 instant with a UTC offset (``Z`` or ``+01:00``), returned in UTC."""
    value = record.get(name)
    if not isinstance(value, str):
        raise InvalidInput(name, "is required: an ISO 8601 timestamp with offset, e.g. …T10:15Z")
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(name, f"{value!r} is not an ISO 8601 timestamp") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput(name, f"{value!r} has no UTC offset (end it with Z or +HH:MM)")
    if at.year < 1950:
        raise InvalidInput(name, f"{value!r} is out of range")
    try:
        return at.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-23:59 is after the last instant Python holds
        raise InvalidInput(name, f"{value!r} is out of range") from None


def _to_view(row: Crossing) -> CrossingView:
    direction: Direction = "entry" if row.direction == "entry" else "exit"
    return CrossingView(
        row.id,
        row.issuing_state,
        row.document_number,
        row.nationality,
        row.crossing_point,
        direction,
        row.at,
        row.officer,
        row.recorded_at,
    )


def _view_of(crossing_id: int, row: Mapping[str, Any]) -> CrossingView:
    """The view of a crossing just written from ``row`` (``_row``'s columns)."""
    direction: Direction = "entry" if row["direction"] == "entry" else "exit"
    return CrossingView(
        crossing_id,
        row["issuing_state"],
        row["document_number"],
        row["nationality"],
        row["crossing_point"],
        direction,
        row["at"],
        row["officer"],
        row["recorded_at"],
    )


_INSERT_CROSSING = insert(cast(Table, Crossing.__table__))


def _lock_crossings(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _stored_keys(session: Session, keys: Collection[NaturalKey]) -> set[NaturalKey]:
    """Which of ``keys`` are already stored (looked up through the document index)."""
    lookups = sorted({(k[0], k[1], k[3]) for k in keys})
    found: set[NaturalKey] = set()
    for start in range(0, len(lookups), 300):
        rows = session.execute(
            select(
                Crossing.issuing_state,
                Crossing.document_number,
                Crossing.direction,
                Crossing.at,
                Crossing.crossing_point,
            ).where(
                tuple_(Crossing.issuing_state, Crossing.document_number, Crossing.at).in_(
                    lookups[start : start + 300]
                )
            )
        )
        found.update(
            (row.issuing_state, row.document_number, row.direction, row.at, row.crossing_point)
            for row in rows
        )
    return found & set(keys)


def _row(entry: CrossingEntry, officer: str, now: datetime) -> dict[str, Any]:
    return {
        "issuing_state": entry.issuing_state,
        "document_number": entry.document_number,
        "nationality": entry.nationality,
        "crossing_point": entry.crossing_point,
        "direction": entry.direction,
        "at": entry.at,
        "officer": entry.officer or officer,
        "recorded_at": now,
    }


class CrossingRegistry:
    """Crossings as the bulk loader sees them (``passerelle crossing load``)."""

    kind = "crossings"
    key_field = "id"
    cleaned_lines = 0  # nothing in its lines is cleaned, only refused

    def __init__(self, *, default_officer: str = "bulk load") -> None:
        self.default_officer = default_officer

    def begin_load(self) -> None:
        """Nothing to forget: crossings keep no state between loads."""

    def parse(self, record: dict[str, Any]) -> CrossingEntry:
        """One crossing from a JSON object; raises ``InvalidInput(field, reason)``."""
        no_unknown_fields(record, _FIELDS)
        nationality = record.get("nationality")
        direction: Direction = (
            "entry" if one_of(record, "direction", DIRECTIONS) == "entry" else "exit"
        )
        return CrossingEntry(
            issuing_state=state_code(record, "issuing_state"),
            document_number=document_number(record),
            nationality=None if nationality is None else state_code(record, "nationality"),
            crossing_point=required_text(record, "crossing_point", max_length=64).upper(),
            direction=direction,
            at=parse_timestamp(record, "at"),
            officer=optional_text(record, "officer", max_length=128),
            id=optional_text(record, "id", max_length=128),
        )

    def key(self, entry: CrossingEntry) -> Hashable:
        return entry.id if entry.id is not None else entry.natural_key

    def fingerprint(self, entry: CrossingEntry) -> Hashable:
        return (*entry.natural_key, entry.nationality, entry.officer)

    def apply(self, session: Session, entries: list[CrossingEntry], now: datetime) -> BatchOutcome:
        """Store crossings not stored yet; one already stored counts as unchanged."""
        _lock_crossings(session)
        stored = _stored_keys(session, [e.natural_key for e in entries])
        rows: list[dict[str, Any]] = []
        for entry in entries:
            if entry.natural_key not in stored:
                stored.add(entry.natural_key)
                rows.append(_row(entry, self.default_officer, now))
        if rows:
            session.execute(insert(Crossing), rows)
            count_crossings(session, rows)  # the dashboard's daily counts, same transaction
        return BatchOutcome(accepted=len(rows), unchanged=len(entries) - len(rows))


_SAME_CROSSING = select(Crossing).where(
    Crossing.issuing_state == bindparam("state"),
    Crossing.document_number == bindparam("number"),
    Crossing.at == bindparam("at", type_=Crossing.__table__.c.at.type),
    Crossing.direction == bindparam("direction"),
    Crossing.crossing_point == bindparam("point"),
)
"""Built once: every clear inspection logs its crossing through it."""


def record_crossing(
    session: Session,
    audit: AuditTrail,
    entry: CrossingEntry,
    *,
    actor: Actor,
    now: datetime,
) -> tuple[CrossingView, bool]:
    """Store one crossing seen by an officer; returns it and whether it is new.

    Recording the same crossing again (a retry) stores nothing and returns the
    stored one. A crossing more than five minutes in the future is refused.
    The record is audited (``crossing.record``) in the same transaction.
    """
    if entry.at > now + FUTURE_TOLERANCE:
        raise InvalidInput("at", f"{entry.at.isoformat()} is in the future")
    _lock_crossings(session)
    existing = session.scalars(
        _SAME_CROSSING,
        {
            "state": entry.issuing_state,
            "number": entry.document_number,
            "at": entry.at,
            "direction": entry.direction,
            "point": entry.crossing_point,
        },
    ).first()
    created = existing is None
    if existing is None:
        # A Core INSERT (every clear inspection logs one): the ORM object and its flush
        # cost more than the statement; the view is the row as written, with its new id.
        row = _row(entry, actor.name, now)
        key = session.connection().execute(_INSERT_CROSSING, row).inserted_primary_key
        assert key is not None, "an INSERT gives its row's key"
        view = _view_of(int(key[0]), row)
        count_crossings(session, [row])  # the dashboard's daily counts, same transaction
    else:
        view = _to_view(existing)
    audit.record(
        session,
        actor=actor,
        action="crossing.record",
        at=now,
        query={"crossing_point": entry.crossing_point, "direction": entry.direction},
        result={"crossing": view.id, "created": created},
    )
    return view, created


_OF_DOCUMENT = (
    select(Crossing)
    .where(
        Crossing.issuing_state == bindparam("state"),
        Crossing.document_number == bindparam("number"),
    )
    .order_by(Crossing.at, Crossing.id)
)
_RULES = select(StayRule).where(StayRule.nationality.in_(bindparam("codes", expanding=True)))
"""Built once: every inspection's stay check runs both."""


def crossings_of(session: Session, issuing_state: str, number: str) -> list[CrossingView]:
    """A document's crossings, oldest first (a read: the caller audits the search)."""
    rows = session.scalars(
        _OF_DOCUMENT,
        {"state": issuing_state.strip().upper(), "number": number.strip().upper()},
    )
    return [_to_view(row) for row in rows]


def _rule_nationality(value: str) -> str:
    code = value.strip().upper()
    return code if code == DEFAULT_NATIONALITY else state_code({"nationality": code}, "nationality")


def set_rule(
    session: Session,
    audit: AuditTrail,
    nationality: str,
    max_days: int,
    window_days: int,
    *,
    actor: Actor,
    now: datetime,
) -> RuleInForce:
    """Set the stay limit for a nationality (``*`` for the node default), audited.

    ``max_days`` must be at least 1 and less than ``window_days`` (see ``StayLimit``);
    the previous values go into the audit record.
    """
    code = _rule_nationality(nationality)
    limit = StayLimit(max_days, window_days)
    row = session.get(StayRule, code, with_for_update=True)
    previous = None if row is None else [row.max_days, row.window_days]
    if row is None:
        session.add(
            StayRule(nationality=code, max_days=max_days, window_days=window_days, updated_at=now)
        )
    else:
        row.max_days, row.window_days, row.updated_at = max_days, window_days, now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="stay_rule.set",
        at=now,
        query={"nationality": code, "max_days": max_days, "window_days": window_days},
        result={"previous": previous},
    )
    return RuleInForce(limit, code)


def rule_for(session: Session, nationality: str | None) -> RuleInForce:
    """The stay limit for a nationality: its own rule, else the node default ``*``, else 90/180."""
    wanted = [DEFAULT_NATIONALITY]
    if nationality:
        wanted.insert(0, nationality.strip().upper())
    rows = {row.nationality: row for row in session.scalars(_RULES, {"codes": wanted})}
    for code in wanted:
        if code in rows:
            return RuleInForce(StayLimit(rows[code].max_days, rows[code].window_days), code)
    return RuleInForce(SCHENGEN_SHORT_STAY, "built-in")


def list_rules(session: Session) -> list[RuleInForce]:
    """Every stay rule set on this node, the default ``*`` first."""
    rows = session.scalars(select(StayRule).order_by(StayRule.nationality))
    return [RuleInForce(StayLimit(r.max_days, r.window_days), r.nationality) for r in rows]
