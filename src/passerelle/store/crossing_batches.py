"""A bulk load's crossings as plain values, and storing a batch of them.

``passerelle crossing load`` parses the file in a second process and hands the writer
millions of crossings through a pipe. A :class:`~passerelle.store.crossings.CrossingEntry`
carries its instant as an aware ``datetime``, which pickle writes and reads as three
constructor calls (the datetime, its time zone, the zone's offset): that alone cost the
writer more than SQLite's insert. A :data:`LoadedCrossing` is a plain tuple of strings
whose instant is *UTC text*, the form SQLite stores (``2026-03-01 10:15:00.000000``), made
once in the parsing process: the writer inserts it as is on SQLite, compares it as text
in the duplicate check, counts days by its first ten characters, and on PostgreSQL hands
it to ``COPY`` marked UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from passerelle.store.bulk import insert_rows, sqlite_timestamp
from passerelle.store.crossing_keys import StoredKey, stored_keys
from passerelle.store.loading import BatchOutcome
from passerelle.store.rollups import count_loaded_crossings
from passerelle.store.tables import Crossing

__all__ = ["LoadedCrossing", "store_loaded_crossings", "utc_text"]

LoadedCrossing = tuple[str, str, str | None, str, str, str, str | None, str | None]
"""(issuing_state, document_number, nationality, crossing_point, direction, instant as UTC
text, officer or None, the file's id or None): the table's columns in their order, then
the id, which only the parsing process reads (it finds a file's repeated ids)."""

_TABLE: Table = Crossing.__table__  # type: ignore[assignment]
_COLUMNS = (
    "issuing_state",
    "document_number",
    "nationality",
    "crossing_point",
    "direction",
    "at",
    "officer",
    "recorded_at",
)


def utc_text(at: datetime) -> str:
    """An instant as SQLite stores it: naive UTC text with microseconds.

    >>> utc_text(datetime(2026, 3, 1, 10, 15, tzinfo=UTC))
    '2026-03-01 10:15:00.000000'
    """
    if at.tzinfo is UTC:  # a parsed instant is: its text less the "+00:00"
        return at.isoformat(" ", "microseconds")[:26]
    return sqlite_timestamp(at)


def store_loaded_crossings(
    session: Session, crossings: list[LoadedCrossing], *, default_officer: str, now: datetime
) -> BatchOutcome:
    """Store the crossings not stored yet, with their daily counts, in the session's
    transaction; one already stored (same document, direction, instant and point) counts
    as unchanged, and so does a second one of the batch with the same natural key."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    keys: list[StoredKey] = [(c[0], c[1], c[4], c[5], c[3]) for c in crossings]
    stored = stored_keys(connection, keys, sqlite)
    stamp: Any = sqlite_timestamp(now) if sqlite else now.astimezone(UTC)
    rows: list[tuple[Any, ...]] = []
    add = rows.append
    for c, key in zip(crossings, keys, strict=True):
        if key in stored:
            continue
        stored.add(key)
        add((c[0], c[1], c[2], c[3], c[4], c[5], c[6] or default_officer, stamp))
    if rows:
        # the dashboard's daily counts, same transaction
        count_loaded_crossings(session, ((r[5], r[3], r[4], r[2]) for r in rows))
        if not sqlite:  # COPY reads the text in the session's time zone unless told
            rows = [(*r[:5], r[5] + "+00", *r[6:]) for r in rows]
        insert_rows(session, _TABLE, _COLUMNS, rows, sqlite_ready=sqlite)
    return BatchOutcome(accepted=len(rows), unchanged=len(crossings) - len(rows))
