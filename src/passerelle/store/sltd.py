"""Stolen, lost, revoked and invalidated travel documents (SLTD), with their history.

A document is identified by its issuing state and number as issued. Queries
are matched through a *key* that folds the characters readers and clerks confuse (O→0,
I→1), so a record typed ``AB1O2345`` is found from an MRZ reading ``AB102345``.
A TD1 number longer than nine characters is stored whole; a query giving only
its first nine characters (a reader that ignores the overflow rule) finds it
as a ``truncated_number`` match. A status change (a lost passport found and
invalidated, say) supersedes the current version rather than overwriting it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.fields import (
    document_number,
    iso_date,
    no_unknown_fields,
    number_key,
    one_of,
    state_code,
)
from passerelle.store.bulk import copy_text, insert_rows
from passerelle.store.bulk import sqlite_timestamp as _sqlite_timestamp
from passerelle.store.loading import BatchOutcome
from passerelle.store.sltd_entries import (
    DOCUMENT_CODE,
    FIELDS,
    SLTD_STATUSES,
    SltdEntry,
    parse_ordinary,
)
from passerelle.store.sltd_rows import (
    COPY_COLUMNS,
    copy_block,
    drop_lookup_index,
    ensure_lookup_index,
    pack_entries,
    unpack_entries,
)
from passerelle.store.tables import SltdRecord

__all__ = [
    "SLTD_STATUSES",
    "SltdEntry",
    "SltdMatch",
    "SltdRegistry",
    "current_versions_statement",
    "number_key",
]

_TABLE: Table = SltdRecord.__table__  # type: ignore[assignment]
_COLUMNS = (
    "issuing_state",
    "document_number",
    "number_key",
    "number_key9",
    "document_code",
    "status",
    "reported_on",
    "reported_by",
    "version",
    "recorded_at",
)

_CURRENT_COLUMNS = "id, document_number, document_code, status, reported_on, reported_by, version"
_CURRENT_SQL = {
    # One statement per backend, sent to the driver as is: compiling an expanding IN
    # per batch cost more than the look-up itself. Rows come by the look-up index
    # (state, first nine folded characters); the exact number is matched in Python.
    "postgresql": f"SELECT {_CURRENT_COLUMNS} FROM sltd_records WHERE issuing_state = %s"
    " AND number_key9 = ANY(%s) AND superseded_at IS NULL",
    "sqlite": f"SELECT {_CURRENT_COLUMNS} FROM sltd_records WHERE issuing_state = ?"
    " AND number_key9 IN ({marks}) AND superseded_at IS NULL",
}
_LOOKUP_COLUMNS = (
    "document_number, number_key, document_code, status, reported_on, reported_by, version"
)
_LOOKUP_SQL = {
    # The border check's hot path: one indexed statement straight to the driver.
    "postgresql": f"SELECT {_LOOKUP_COLUMNS} FROM sltd_records WHERE issuing_state = %s"
    " AND number_key9 = %s AND superseded_at IS NULL",
    "sqlite": f"SELECT {_LOOKUP_COLUMNS} FROM sltd_records WHERE issuing_state = ?"
    " AND number_key9 = ? AND superseded_at IS NULL",
}
_WRITER_LOCK = "SELECT pg_advisory_xact_lock(hashtext('passerelle.sltd'))"


def current_versions_statement(dialect: str, count: int) -> str:
    """The load's duplicate check: current versions of ``count`` folded number prefixes of
    one issuing state, found through ``ix_sltd_lookup`` (state, then each prefix).

    Parameters: the state, then the prefixes (PostgreSQL: one array; SQLite: ``count``).
    """
    if dialect == "postgresql":
        return _CURRENT_SQL[dialect]
    return _CURRENT_SQL["sqlite"].format(marks=",".join("?" * count))


MatchKind = Literal["exact", "lookalike", "truncated_number"]


@dataclass(frozen=True, slots=True)
class SltdMatch:
    """A current registry record that answers a query, and how it matched."""

    issuing_state: str
    document_number: str
    document_code: str
    status: str
    reported_on: date
    reported_by: str
    version: int
    match: MatchKind

    def as_dict(self) -> dict[str, Any]:
        return {
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "document_code": self.document_code,
            "status": self.status,
            "reported_on": self.reported_on.isoformat(),
            "reported_by": self.reported_by,
            "version": self.version,
            "match": self.match,
        }


class SltdRegistry:
    """The node's stolen/lost travel documents registry."""

    kind = "sltd"
    key_field = "document_number"
    cleaned_lines = 0  # nothing in its lines is cleaned, only refused

    def __init__(self) -> None:
        self.begin_load()

    def begin_load(self) -> None:
        """Forget the previous load's counts (they steer ``ANALYZE`` during one load)."""
        self._inserted = 0
        self._analyzed_at = 0
        self._own_latest_id: int | None = None

    def parse(self, record: dict[str, Any]) -> SltdEntry:
        """One validated entry; ``InvalidInput(field, reason)`` names the first bad field."""
        entry = parse_ordinary(record)
        return entry if entry is not None else self._parse_with_reasons(record)

    def _parse_with_reasons(self, record: dict[str, Any]) -> SltdEntry:
        no_unknown_fields(record, FIELDS)
        issuing_state = state_code(record, "issuing_state")
        number = document_number(record)
        code = record.get("document_code")
        if not isinstance(code, str) or not 1 <= len(code.strip()) <= 2:
            raise InvalidInput(
                "document_code", worded(N_("must be the 1-2 letter ICAO document code"))
            )
        code = code.strip().upper()
        if not DOCUMENT_CODE.fullmatch(code):
            raise InvalidInput(
                "document_code",
                worded(N_("%(code)s is not an ICAO 9303 document code"), code=repr(code)),
            )
        status = one_of(record, "status", SLTD_STATUSES)
        reported_on = iso_date(record, "reported_on")
        assert reported_on is not None
        return SltdEntry(
            issuing_state=issuing_state,
            document_number=number,
            document_code=code,
            status=status,
            reported_on=reported_on,
            reported_by=state_code(record, "reported_by"),
            number_key=number_key(number),
        )

    def key(self, entry: SltdEntry) -> Hashable:
        return entry[:2]

    def fingerprint(self, entry: SltdEntry) -> Hashable:
        """Number, code, status, report date and reporter: what a new version changes."""
        return entry[1:6]

    def apply(self, session: Session, entries: list[SltdEntry], now: datetime) -> BatchOutcome:
        """Insert new documents, supersede changed ones, leave repeats alone.

        One current version per document holds because writers are serialised:
        SQLite write transactions begin IMMEDIATE, and on PostgreSQL each batch
        takes the registry's transaction-scoped advisory lock first.
        """
        sqlite = session.connection().dialect.name == "sqlite"
        if not sqlite:
            session.execute(text(_WRITER_LOCK))
            ensure_lookup_index(session)  # a first load stopped midway dropped it
        latest_id = session.scalar(select(func.max(SltdRecord.id)))
        # Every stored record came from this load's earlier batches (the registry was
        # empty when it began, and no one else wrote since), and the loader keeps a
        # file's documents distinct: nothing to supersede.
        own_only = latest_id is None or latest_id == self._own_latest_id
        current: dict[tuple[str, str], tuple[int, Hashable, int]] = (
            {} if own_only else self._current_versions(session, entries)
        )
        rows: list[tuple[Any, ...]] = []
        superseded: list[int] = []
        unchanged = 0
        # SQLite stores dates as ISO text: write them so, once per distinct value.
        days: dict[date, Any] = {}
        stamp: Any = _sqlite_timestamp(now) if sqlite else now
        for entry in entries:
            key = entry.number_key
            existing = current.get(entry[:2]) if current else None
            if existing is not None:
                if entry[1:6] == existing[1]:
                    unchanged += 1
                    continue
                superseded.append(existing[0])
            reported_on: Any = entry.reported_on
            if sqlite:
                written = days.get(reported_on)
                if written is None:
                    written = days[reported_on] = reported_on.isoformat()
                reported_on = written
            rows.append(
                (
                    entry.issuing_state,
                    entry.document_number,
                    key,
                    key[:9],
                    entry.document_code,
                    entry.status,
                    reported_on,
                    entry.reported_by,
                    existing[2] + 1 if existing else 1,
                    stamp,
                )
            )
        for chunk in _chunks(superseded, 500):
            session.execute(
                update(SltdRecord).where(SltdRecord.id.in_(chunk)).values(superseded_at=now)
            )
        insert_rows(session, _TABLE, _COLUMNS, rows, sqlite_ready=sqlite)
        self._inserted += len(rows)
        if rows or superseded:  # the shortcut above holds only while own_only does
            self._own_latest_id = (
                session.scalar(select(func.max(SltdRecord.id))) if own_only else None
            )
        self._refresh_statistics(session)
        return BatchOutcome(accepted=len(rows), unchanged=unchanged)

    def pack(self, entries: list[SltdEntry]) -> bytes:
        """Entries as COPY text, written by the parsing process (see ``sltd_rows``)."""
        return pack_entries(entries)

    def apply_packed(
        self, session: Session, rows: bytes, count: int, now: datetime
    ) -> BatchOutcome:
        """``apply`` for ``count`` packed entries: streamed to PostgreSQL as they are when
        every one is new (nothing stored but this load's earlier batches), else read back
        and applied one by one."""
        if session.connection().dialect.name != "postgresql":
            return self.apply(session, unpack_entries(rows), now)
        session.execute(text(_WRITER_LOCK))
        latest_id = session.scalar(select(func.max(SltdRecord.id)))
        if latest_id is not None and latest_id != self._own_latest_id:
            return self.apply(session, unpack_entries(rows), now)
        if latest_id is None and self._own_latest_id is None:
            drop_lookup_index(session)  # a first load: built again at its end (sltd_rows)
        copy_text(session, _TABLE, COPY_COLUMNS, copy_block(rows, now))
        self._inserted += count
        self._own_latest_id = session.scalar(select(func.max(SltdRecord.id)))
        self._refresh_statistics(session)
        return BatchOutcome(accepted=count, unchanged=0)

    def finish_load(self, session: Session) -> None:
        """The load's last batch: the look-up index is there again (see ``sltd_rows``)."""
        ensure_lookup_index(session)

    def _refresh_statistics(self, session: Session) -> None:
        """Keep PostgreSQL's planner aware of a table growing under a bulk load.

        Without fresh statistics a table that was empty when the load began
        looks tiny, and the planner filters the whole table for each batch's
        look-up instead of using the (state, number) index.
        """
        if session.connection().dialect.name != "postgresql":
            return
        if self._inserted >= max(1000, 2 * self._analyzed_at):
            session.execute(text("ANALYZE sltd_records"))
            self._analyzed_at = self._inserted

    def _current_versions(
        self, session: Session, entries: Sequence[SltdEntry]
    ) -> dict[tuple[str, str], tuple[int, Hashable, int]]:
        wanted = {entry[:2] for entry in entries}
        by_state: dict[str, set[str]] = {}
        for entry in entries:
            by_state.setdefault(entry.issuing_state, set()).add(entry.number_key[:9])
        found: dict[tuple[str, str], tuple[int, Hashable, int]] = {}
        connection = session.connection()
        dialect = connection.dialect.name
        for state, prefixes in by_state.items():
            for chunk in _chunks(sorted(prefixes), 2000):
                sql = current_versions_statement(dialect, len(chunk))
                if dialect == "postgresql":
                    rows = connection.exec_driver_sql(sql, (state, list(chunk)))
                else:
                    rows = connection.exec_driver_sql(sql, (state, *chunk))
                for row_id, number, code, status, reported_on, reported_by, version in rows:
                    if (state, number) not in wanted:
                        continue
                    if isinstance(reported_on, str):  # SQLite returns the stored ISO text
                        reported_on = date.fromisoformat(reported_on)
                    fingerprint = (number, code, status, reported_on, reported_by)
                    found[(state, number)] = (row_id, fingerprint, version)
        return found

    def lookup(self, session: Session, issuing_state: str, number: str) -> list[SltdMatch]:
        """Current records for a document, best match first (exact, look-alike, truncated)."""
        state = issuing_state.strip().upper().rstrip("<")
        asked = number.strip().upper().rstrip("<")
        key = number_key(asked)
        connection = session.connection()
        dialect = connection.dialect.name
        rows = connection.exec_driver_sql(_LOOKUP_SQL[dialect], (state, key[:9]))
        matches: list[SltdMatch] = []
        for number, stored_key, code, status, reported_on, reported_by, version in rows:
            if stored_key == key:
                kind: MatchKind = "exact" if number == asked else "lookalike"
            elif len(key) == 9 and len(stored_key) > 9:
                kind = "truncated_number"
            else:
                continue
            if isinstance(reported_on, str):  # SQLite returns the stored ISO text
                reported_on = date.fromisoformat(reported_on)
            matches.append(
                SltdMatch(state, number, code, status, reported_on, reported_by, version, kind)
            )
        order = {"exact": 0, "lookalike": 1, "truncated_number": 2}
        return sorted(matches, key=lambda m: order[m.match])

    def history(self, session: Session, issuing_state: str, number: str) -> list[SltdRecord]:
        """Every version of a document's record, oldest first."""
        return list(
            session.scalars(
                select(SltdRecord)
                .where(
                    SltdRecord.issuing_state == issuing_state.strip().upper(),
                    SltdRecord.document_number == number.strip().upper(),
                )
                .order_by(SltdRecord.version)
            )
        )


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
