"""Fast bulk inserts for loads of millions of rows, on both backends.

The ORM's per-row parameter processing costs more than the database's own
work at this volume, so a batch goes straight to the driver: PostgreSQL's
``COPY … FROM STDIN`` (psycopg 3), SQLite's ``executemany`` with values already
in the form SQLAlchemy stores (ISO dates, naive UTC timestamps). The rows are
written in the caller's transaction, so a batch still commits or rolls back
as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, Table
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from passerelle.store.db import database_fault

if TYPE_CHECKING:
    from psycopg import Copy

__all__ = ["copy_text", "insert_rows", "sqlite_timestamp"]


def sqlite_timestamp(value: datetime) -> str:
    """A timestamp as SQLAlchemy stores it in SQLite: naive UTC text with microseconds."""
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # isoformat is several times cheaper than strftime and writes the same text
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_rows(
    table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """Rows with dates and timestamps written as SQLAlchemy stores them in SQLite.

    The table's column types say which values to convert; each distinct value is
    converted once (a batch shares one load timestamp and few report dates).
    """
    temporal = [
        i
        for i, name in enumerate(columns)
        if isinstance(table.c[name].type, (Date, DateTime, TypeDecorator))
    ]
    if not temporal:
        return [tuple(row) for row in rows]
    seen: dict[Any, Any] = {None: None}
    converted = []
    for row in rows:
        values = list(row)
        for i in temporal:
            value = values[i]
            if value in seen:
                values[i] = seen[value]
            else:
                values[i] = seen[value] = _sqlite_value(value)
        converted.append(tuple(values))
    return converted


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sqlite_ready: bool = False,
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` in the session's transaction.

    ``sqlite_ready`` says the rows already hold dates and timestamps as SQLite text.
    """
    if not rows:
        return
    for name in columns:
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name}")
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        with _copy(session, table, columns) as copy:
            for row in rows:
                copy.write_row(row)
        return
    column_list = ", ".join(columns)
    placeholders = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({column_list}) VALUES ({placeholders})",
        rows if sqlite_ready else _sqlite_rows(table, columns, rows),
    )


def copy_text(session: Session, table: Table, columns: Sequence[str], block: bytes) -> None:
    """Stream ``block``, lines of ``COPY`` text in ``columns`` order, into ``table``
    (PostgreSQL) in the session's transaction: the rows are not formatted again."""
    with _copy(session, table, columns) as copy:
        copy.write(block)


@contextmanager
def _copy(session: Session, table: Table, columns: Sequence[str]) -> Iterator[Copy]:
    """A ``COPY table (columns) FROM STDIN`` on the session's connection; the driver's
    errors translated as SQLAlchemy's are (``database_fault``)."""
    for name in columns:
        if name not in table.c:
            raise ValueError(f"{table.name} has no column {name}")
    connection = session.connection()
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            yield copy
    except driver.Error as exc:  # the driver's own: translated as SQLAlchemy's are
        fault = database_fault(
            exc,
            "postgresql",
            connection.engine.url.render_as_string(hide_password=True),
            is_disconnect=driver.broken or driver.closed,
            connecting=False,
        )
        if fault is None:
            raise
        raise fault from exc
