"""Border crossings (entries and exits by travel document); the stay rules per nationality
are :mod:`passerelle.store.stay_rules`.

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
must carry a UTC offset. Crossing points are stored upper case.

Writes that create crossings take PostgreSQL transaction-level advisory locks, so
two writers cannot both store one crossing (SQLite writers are serialised anyway):
a bulk load takes the registry's lock alone (exclusive); an officer's crossing takes
it shared and its document's lock alone, so that crossings of different documents,
at any number of hosts, never wait for one another, and none is stored during a
load's batch.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, insert, select, text
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
from passerelle.stay import Direction, Movement
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.crossing_batches import LoadedCrossing, store_loaded_crossings, utc_text
from passerelle.store.loading import BatchOutcome
from passerelle.store.rollups import count_crossing_facts
from passerelle.store.tables import Crossing

__all__ = [
    "DIRECTIONS",
    "CrossingEntry",
    "CrossingRegistry",
    "CrossingView",
    "crossings_of",
    "parse_crossing",
    "record_crossing",
    "settle_crossing",
    "store_crossing",
]

DIRECTIONS = frozenset({"entry", "exit"})
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
_LOCK_KEY = 0x7061_7373_6378  # "passcx": the registry's lock (bulk loads alone)
_DOCUMENT_LOCK_CLASS = 0x7063  # "pc": one document's crossings (two-key lock space)

NaturalKey = tuple[str, str, str, datetime, str]


class CrossingEntry(NamedTuple):
    """A crossing to store, validated: from a file line or an officer's record.

    A named tuple: a load makes millions and hands them from the parsing process to
    the writer, and a tuple unpickles several times faster than a frozen dataclass.
    """

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
    """A bulk load's lock: the whole registry, until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


_LOCK_DOCUMENT = text(
    "SELECT pg_advisory_xact_lock_shared(:key), "
    "pg_advisory_xact_lock(:document_class, hashtext(:document))"
)


def _lock_document(session: Session, issuing_state: str, number: str) -> None:
    """An officer's crossing's locks: the registry's shared (no bulk batch meanwhile),
    the document's alone (no other writer of that document's crossings meanwhile)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            _LOCK_DOCUMENT,
            {
                "key": _LOCK_KEY,
                "document_class": _DOCUMENT_LOCK_CLASS,
                "document": f"{issuing_state}:{number}",
            },
        )


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


def parse_crossing(record: Mapping[str, Any]) -> CrossingEntry:
    """One crossing from a JSON object (a file's line, an officer's record); raises
    ``InvalidInput(field, reason)``."""
    no_unknown_fields(record, _FIELDS)
    nationality = record.get("nationality")
    direction: Direction = "entry" if one_of(record, "direction", DIRECTIONS) == "entry" else "exit"
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


class CrossingRegistry:
    """Crossings as the bulk loader sees them (``passerelle crossing load``): each line
    becomes a :data:`~passerelle.store.crossing_batches.LoadedCrossing`, plain values
    that travel from the parsing process to the writer at little cost."""

    kind = "crossings"
    key_field = "id"
    cleaned_lines = 0  # nothing in its lines is cleaned, only refused

    def __init__(self, *, default_officer: str = "bulk load") -> None:
        self.default_officer = default_officer

    def begin_load(self) -> None:
        """Nothing to forget: crossings keep no state between loads."""

    def parse(self, record: dict[str, Any]) -> LoadedCrossing:
        """One crossing from a JSON object; raises ``InvalidInput(field, reason)``."""
        e = parse_crossing(record)
        return (
            e.issuing_state,
            e.document_number,
            e.nationality,
            e.crossing_point,
            e.direction,
            utc_text(e.at),
            e.officer,
            e.id,
        )

    def key(self, entry: LoadedCrossing) -> Hashable:
        """The file's id, else the natural key (document, direction, UTC instant, point)."""
        return entry[7] if entry[7] is not None else (*entry[:2], entry[4], entry[5], entry[3])

    def fingerprint(self, entry: LoadedCrossing) -> Hashable:
        return entry[:7]

    def apply(self, session: Session, entries: list[LoadedCrossing], now: datetime) -> BatchOutcome:
        """Store crossings not stored yet; one already stored counts as unchanged."""
        _lock_crossings(session)
        return store_loaded_crossings(
            session, entries, default_officer=self.default_officer, now=now
        )


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
    The record is counted into the dashboard's daily counts and audited
    (``crossing.record``) in the same transaction.
    """
    view, created = store_crossing(session, entry, actor=actor, now=now)
    settle_crossing(session, audit, view, created, actor=actor, now=now)
    return view, created


def store_crossing(
    session: Session, entry: CrossingEntry, *, actor: Actor, now: datetime
) -> tuple[CrossingView, bool]:
    """:func:`record_crossing`'s first half: the crossing stored (or found), neither counted
    nor audited yet. The caller ends with :func:`settle_crossing` in the same transaction,
    as late as it can: the daily count's row and the audit chain's head are each one row
    that every writer of the node updates, held until the transaction commits."""
    if entry.at > now + FUTURE_TOLERANCE:
        raise InvalidInput("at", f"{entry.at.isoformat()} is in the future")
    _lock_document(session, entry.issuing_state, entry.document_number)
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
    if existing is not None:
        return _to_view(existing), False
    # A Core INSERT (every clear inspection logs one): the ORM object and its flush cost
    # more than the statement; the view is the row as written, with its new id.
    row = _row(entry, actor.name, now)
    key = session.connection().execute(_INSERT_CROSSING, row).inserted_primary_key
    assert key is not None, "an INSERT gives its row's key"
    return _view_of(int(key[0]), row), True


def settle_crossing(
    session: Session,
    audit: AuditTrail,
    view: CrossingView,
    created: bool,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """:func:`record_crossing`'s second half: a new crossing counted into the dashboard's
    daily counts, and the ``crossing.record`` audit record."""
    if created:
        count_crossing_facts(
            session, [(view.at, view.crossing_point, view.direction, view.nationality)]
        )
    audit.record(
        session,
        actor=actor,
        action="crossing.record",
        at=now,
        query={"crossing_point": view.crossing_point, "direction": view.direction},
        result={"crossing": view.id, "created": created},
    )


_OF_DOCUMENT = (
    select(Crossing)
    .where(
        Crossing.issuing_state == bindparam("state"),
        Crossing.document_number == bindparam("number"),
    )
    .order_by(Crossing.at, Crossing.id)
)


def crossings_of(session: Session, issuing_state: str, number: str) -> list[CrossingView]:
    """A document's crossings, oldest first (a read: the caller audits the search)."""
    rows = session.scalars(
        _OF_DOCUMENT,
        {"state": issuing_state.strip().upper(), "number": number.strip().upper()},
    )
    return [_to_view(row) for row in rows]
