"""Fast bulk inserts for loads of millions of rows, on both backends.

The ORM's per-row parameter processing costs more than the database's own
work at this volume, so a batch goes straight to the driver: PostgreSQL's
``COPY … FROM STDIN`` (psycopg 3), SQLite's ``executemany`` with values already
in the form SQLAlchemy stores (ISO dates, naive UTC timestamps). The rows are
written in the caller's transaction, so a batch still commits or rolls back
as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

__all__ = ["insert_rows", "sqlite_timestamp"]


def sqlite_timestamp(value: datetime) -> str:
    """A timestamp as SQLAlchemy stores it in SQLite: naive UTC text with microseconds."""
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_rows(rows: Sequence[Sequence[Any]], width: int) -> list[tuple[Any, ...]]:
    """Rows with dates and timestamps written as SQLAlchemy stores them in SQLite.

    Only columns whose first row holds a date are converted, and each distinct
    value once (a batch shares one load timestamp and few report dates).
    """
    first = rows[0]
    temporal = [i for i in range(width) if isinstance(first[i], date)]
    if not temporal:
        return [tuple(row) for row in rows]
    seen: dict[Any, Any] = {}
    converted = []
    for row in rows:
        values = list(row)
        for i in temporal:
            value = values[i]
            written = seen.get(value)
            if written is None:
                written = seen[value] = _sqlite_value(value)
            values[i] = written
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
    column_list = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({column_list}) VALUES ({placeholders})",
        rows if sqlite_ready else _sqlite_rows(rows, len(columns)),
    )
