"""Which crossings of a bulk load are stored already: a duplicate check that searches
``ix_crossings_document`` once per key on both backends, so a load runs as fast at the ten
millionth row as at the first (``tests/store/test_load_plans.py`` reads the plans).

A key whose instant is later than every stored crossing's cannot be stored: the newest
instant (one descent of ``ix_crossings_at``) spares those keys the search. An archive
loaded in time order, or a day's crossings loaded after the days before, is checked
that way at almost no cost; a file in any other order is checked key by key.
"""

from __future__ import annotations

from sqlalchemy import Connection

__all__ = ["StoredKey", "newest_instant_statement", "stored_keys", "stored_keys_statement"]


def stored_keys_statement(dialect: str, count: int) -> str:
    """The statement that finds which of ``count`` (state, number, instant) keys are stored.

    The keys are a relation joined to ``crossings`` on the columns of
    ``ix_crossings_document``, so each key is one index search, whatever the table's
    size: SQLite scans the ``VALUES`` list and searches the index per row (``CROSS
    JOIN`` keeps that order); PostgreSQL unnests three arrays and, planned per call,
    probes the index per key (a nested loop) or hashes a small table. The instants go in
    and come out as UTC text (``StoredKey``) on both. A row-value
    ``IN (VALUES …)`` list, which this replaces, made SQLite scan the whole table for
    every statement, so a load slowed down as the table grew.
    """
    if dialect == "postgresql":
        return (
            "SELECT c.issuing_state, c.document_number, c.direction,"
            f" to_char(c.at AT TIME ZONE 'UTC', '{_UTC_TEXT}'), c.crossing_point"
            " FROM unnest(%s::varchar[], %s::varchar[], %s::timestamp[])"
            " AS wanted (issuing_state, document_number, at) JOIN crossings AS c"
            " ON c.issuing_state = wanted.issuing_state"
            " AND c.document_number = wanted.document_number"
            " AND c.at = (wanted.at AT TIME ZONE 'UTC')"
        )
    rows = ", ".join(["(?, ?, ?)"] * count)
    return (
        f"WITH wanted (issuing_state, document_number, at) AS (VALUES {rows})"
        " SELECT c.issuing_state, c.document_number, c.direction, c.at, c.crossing_point"
        " FROM wanted CROSS JOIN crossings AS c" + _ON_KEY
    )


_ON_KEY = (
    " ON c.issuing_state = wanted.issuing_state"
    " AND c.document_number = wanted.document_number AND c.at = wanted.at"
)
_KEYS_PER_STATEMENT = 1000
_UTC_TEXT = "YYYY-MM-DD HH24:MI:SS.US"
"""PostgreSQL's ``to_char`` pattern of SQLite's stored text: ``2026-03-01 10:15:00.000000``."""


StoredKey = tuple[str, str, str, str, str]
"""A natural key (state, number, direction, instant, point) with the instant as UTC text,
``2026-03-01 10:15:00.000000``: SQLite stores it so (compared as text, so no stored
timestamp is parsed back) and PostgreSQL's statement writes it so."""


def newest_instant_statement(dialect: str) -> str:
    """The latest instant stored, as UTC text (NULL when there is none)."""
    if dialect == "postgresql":
        return f"SELECT to_char(max(at) AT TIME ZONE 'UTC', '{_UTC_TEXT}') FROM crossings"
    return "SELECT max(at) FROM crossings"


def stored_keys(connection: Connection, keys: list[StoredKey], sqlite: bool) -> set[StoredKey]:
    """Which of ``keys`` are already stored: one index search per key, but none for a key
    later than every stored crossing (UTC text compares in time order)."""
    dialect = connection.dialect.name
    newest = connection.exec_driver_sql(newest_instant_statement(dialect)).scalar()
    if newest is None:
        return set()
    # In index order: successive searches touch neighbouring pages.
    lookups = sorted({(k[0], k[1], k[3]) for k in keys if k[3] <= newest})
    found: set[StoredKey] = set()
    for start in range(0, len(lookups), _KEYS_PER_STATEMENT):
        chunk = lookups[start : start + _KEYS_PER_STATEMENT]
        sql = stored_keys_statement(dialect, len(chunk))
        if sqlite:
            rows = connection.exec_driver_sql(sql, tuple(v for key in chunk for v in key))
        else:
            states, numbers, instants = (list(column) for column in zip(*chunk, strict=True))
            rows = connection.exec_driver_sql(sql, (states, numbers, instants))
        found.update(tuple(row) for row in rows)
    return found
