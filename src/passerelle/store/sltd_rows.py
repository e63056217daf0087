"""SLTD bulk loads on PostgreSQL: entries as COPY text, and the look-up index.

Entries as COPY text: packed by the parsing process, streamed by the loader.

A large load parses its file in a second process (``load_parsing``). Handing the loader
named tuples cost it more than the database's own work: unpickling them, then psycopg
formatting every value again for ``COPY``. So the parsing process writes each part's
entries once, as lines of ``COPY … FROM STDIN`` text::

    issuing_state TAB document_number TAB number_key TAB number_key9 TAB document_code
    TAB status TAB reported_on TAB reported_by NEWLINE

and the loader, when every record it would meet is new (an empty registry, or one
holding only this load's earlier batches), adds the version and the load's timestamp
with one ``bytes.replace`` and streams the part to PostgreSQL as is. Otherwise (a file
that updates stored documents, or SQLite) the part is read back into entries and goes
the ordinary way: same results either way.

No value needs escaping: the parser admits only A-Z and digits in numbers and codes,
known state codes, the four statuses and ISO dates.

The look-up index on a first load. Keeping ``ix_sltd_lookup`` up to date row by row
cost PostgreSQL three times the rest of ``COPY`` (1,000,000 records: 6.8 CPU-seconds
with it, 2.0 without, and 1.3 to build it afterwards from the sorted rows). A load that
starts on an *empty* registry (a node's first load: tens of millions of records) and
whose records all go the COPY way therefore drops the index in its first batch's
transaction and builds it again in its last one, with the run marked completed. A load
that is stopped in between leaves the records of its committed batches without the
index (look-ups still answer, by reading the table); any later SLTD batch that needs to
find stored records, and the last batch of any load, build it first
(``ensure_lookup_index``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from passerelle.store.sltd_entries import SltdEntry

__all__ = [
    "COPY_COLUMNS",
    "copy_block",
    "drop_lookup_index",
    "ensure_lookup_index",
    "pack_entries",
    "unpack_entries",
]

LOOKUP_INDEX = "ix_sltd_lookup"
_CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {LOOKUP_INDEX} ON sltd_records (issuing_state, number_key9)"
)

COPY_COLUMNS = (
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
"""Columns of a packed line once ``copy_block`` has added the version and timestamp."""


def pack_entries(entries: list[SltdEntry]) -> bytes:
    """Entries as COPY text lines (see the module's docstring), in order.

    >>> from passerelle.store.sltd_entries import SltdEntry
    >>> pack_entries([SltdEntry("MAR", "AB1O2", "P", "lost", date(2024, 5, 1), "MAR", "AB102")])
    b'MAR\\tAB1O2\\tAB102\\tAB102\\tP\\tlost\\t2024-05-01\\tMAR\\n'
    """
    days: dict[date, str] = {}
    lines = []
    for state, number, code, status, reported_on, reported_by, key in entries:
        day = days.get(reported_on)
        if day is None:
            day = days[reported_on] = reported_on.isoformat()
        lines.append(
            f"{state}\t{number}\t{key}\t{key[:9]}\t{code}\t{status}\t{day}\t{reported_by}\n"
        )
    return "".join(lines).encode("ascii")


def unpack_entries(rows: bytes) -> list[SltdEntry]:
    """The entries ``pack_entries`` wrote, in order."""
    days: dict[str, date] = {}
    entries = []
    for line in rows.decode("ascii").splitlines():
        state, number, key, _key9, code, status, day, reported_by = line.split("\t")
        reported_on = days.get(day)
        if reported_on is None:
            reported_on = days[day] = date.fromisoformat(day)
        entries.append(SltdEntry(state, number, code, status, reported_on, reported_by, key))
    return entries


def copy_block(rows: bytes, recorded_at: datetime) -> bytes:
    """Packed lines completed for ``COPY sltd_records (COPY_COLUMNS)``: version 1, and the
    load's timestamp (timezone-aware, written in UTC)."""
    if recorded_at.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    stamp = recorded_at.astimezone(UTC).isoformat().encode("ascii")
    return rows.replace(b"\n", b"\t1\t" + stamp + b"\n")


def drop_lookup_index(session: Session) -> None:
    """Drop the look-up index for a first load (PostgreSQL; see the module's docstring)."""
    session.execute(text(f"DROP INDEX IF EXISTS {LOOKUP_INDEX}"))


def ensure_lookup_index(session: Session) -> bool:
    """Build the look-up index if a first load dropped it (PostgreSQL); True if it was
    missing. The schema's own definition (migration 0001), in the caller's transaction."""
    if session.connection().dialect.name != "postgresql":
        return False
    if session.scalar(text(f"SELECT to_regclass('{LOOKUP_INDEX}')")) is not None:
        return False
    session.execute(text(_CREATE_INDEX))
    session.execute(text("ANALYZE sltd_records"))
    return True
