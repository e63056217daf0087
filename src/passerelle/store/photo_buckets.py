"""Each user's photo-request bucket in the database (``photo_buckets``): one atomic take.

The refill, the take and the refusal are one statement, on SQLite and PostgreSQL
alike::

    INSERT INTO photo_buckets VALUES (:user, :burst - 1, :now, 1)
    ON CONFLICT (user_name) DO UPDATE SET
        tokens  = refill - 1 when refill >= 1, else refill,
        granted = 1 when refill >= 1, else 0,
        since_s = the later of since_s and :now
    RETURNING tokens, granted

with ``refill = min(:burst, tokens + max(0, :now - since_s) * :per_second)`` computed
from the row as it was (every ``SET`` expression reads the old row). Two hosts taking
from one user's bucket at once are serialised on the row (PostgreSQL locks it for the
second until the first commits; SQLite has one writer): neither sees a token the
other took. ``:now`` is the database's clock (PostgreSQL's ``statement_timestamp()``;
SQLite's, the host's own), not each host's: a host whose clock is behind would
otherwise refill nothing until it caught up with the last taker.

The statement is built once per database kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    ColumnElement,
    Float,
    Insert,
    Table,
    bindparam,
    case,
    literal,
    literal_column,
)
from sqlalchemy.dialects import postgresql, sqlite

from passerelle.store.db import Database
from passerelle.store.tables import PhotoBucket

__all__ = ["BucketTake", "take_photo_token"]


@dataclass(frozen=True, slots=True)
class BucketTake:
    """What one take found: whether a token was there, and the tokens left after it."""

    granted: bool
    tokens: float


def take_photo_token(database: Database, user: str, *, per_second: float, burst: int) -> BucketTake:
    """Take one of ``user``'s tokens if the refilled bucket holds one; a first take finds
    the bucket full (``burst`` tokens).

    The upsert is one statement, atomic by itself: on PostgreSQL it runs on the
    database's autocommit connections (no ``BEGIN``/``COMMIT`` round trips around it),
    on SQLite in a write transaction, in the writers' turn."""
    unit = database.write() if database.is_sqlite else database.lookup()
    with unit as session:
        connection = session.connection()
        row = connection.execute(
            _take(PhotoBucket.__table__, connection.dialect.name),
            {"user": user, "per_second": per_second, "burst": float(burst)},
        ).one()
    return BucketTake(granted=bool(row.granted), tokens=float(row.tokens))


@cache
def _take(table: Table, dialect: str) -> Insert:
    """The take's upsert for ``dialect`` (built once: building it costs more than running it)."""
    now = _database_now(dialect)
    per_second = bindparam("per_second", type_=Float)
    burst = bindparam("burst", type_=Float)
    elapsed = case((now > table.c.since_s, now - table.c.since_s), else_=literal(0.0))
    grown = table.c.tokens + elapsed * per_second
    refill = case((grown > burst, burst), else_=grown)
    found = refill >= 1.0
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(
        user_name=bindparam("user"), tokens=burst - 1.0, since_s=now, granted=1
    )
    return statement.on_conflict_do_update(
        index_elements=["user_name"],
        set_={
            "tokens": case((found, refill - 1.0), else_=refill),
            "granted": case((found, 1), else_=0),
            "since_s": case((now > table.c.since_s, now), else_=table.c.since_s),
        },
    ).returning(table.c.tokens, table.c.granted)


def _database_now(dialect: str) -> ColumnElement[float]:
    """The database's clock in seconds since the epoch, one value for the whole statement
    (PostgreSQL's ``statement_timestamp()``; SQLite's ``'now'`` within one step)."""
    if dialect == "postgresql":
        return literal_column("EXTRACT(EPOCH FROM statement_timestamp())::float8", Float)
    return literal_column("((julianday('now') - 2440587.5) * 86400.0)", Float)
