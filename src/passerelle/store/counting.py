"""Counts kept as rows are written: one upsert that adds to a key's count, on both databases.

``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``, on SQLite and PostgreSQL
alike: two writers counting the same key at once both land (PostgreSQL locks the
row for the second until the first commits), and the keys are always upserted in
one (sorted) order, so two writers cannot deadlock on them.

The statement is built once per table, key and database (every inspection writes two
or three counts) and runs on the table itself, as Core: the ORM's bulk-insert path
around it cost more than the upsert.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

__all__ = ["upsert_counts"]


def upsert_counts(
    session: Session, table: Any, names: tuple[str, ...], counts: Mapping[Any, int]
) -> None:
    """Add each key's count to ``table`` (``names`` its key columns); a 0 is skipped."""
    keys = sorted(counts.items())  # one order for every writer: no deadlock between two
    rows = [{**dict(zip(names, key, strict=True)), "n": n} for key, n in keys if n]
    if not rows:
        return
    connection = session.connection()
    connection.execute(_upsert(table.__table__, names, connection.dialect.name), rows)


@cache
def _upsert(table: Table, names: tuple[str, ...], dialect: str) -> Insert:
    """``INSERT ... ON CONFLICT (names) DO UPDATE SET n = n + excluded.n`` for ``table``,
    built once per table and dialect (building it cost more than running it)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_update(
        index_elements=list(names), set_={"n": table.c.n + statement.excluded.n}
    )
