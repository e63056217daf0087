"""Bulk loads' duplicate checks go through an index on both backends, never a table scan.

A load asks, per part of the file, which of its keys are already stored. If the
database answers by scanning the table, every part costs as much as the table
holds and a load slows down as it grows (quadratic overall). These tests fill the
tables, refresh the planner's statistics, and read the plan each duplicate check
gets: SQLite's ``EXPLAIN QUERY PLAN`` must search an index, PostgreSQL's
``EXPLAIN`` must not scan the table sequentially.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from passerelle.store import Database
from passerelle.store.bulk import sqlite_timestamp
from passerelle.store.crossing_keys import stored_keys_statement
from passerelle.store.sltd import current_versions_statement
from passerelle.store.watchlist import stored_persons_statement

ROWS = {"sqlite": 20_000, "postgresql": 300_000}
"""Rows per table. PostgreSQL plans by cost: with a thousand keys it hashes a table of
50,000 crossings read whole (cheaper there than a thousand index searches) and turns to
the index between 200,000 and 300,000 rows, so a part's check never costs more than the
smaller of the two, whatever the table holds."""
KEYS = 1000

FILL = {
    "sqlite": {
        "crossings": (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
            "INSERT INTO crossings (issuing_state, document_number, nationality, crossing_point,"
            " direction, at, officer, recorded_at) SELECT 'MAR', printf('UM%07d', i), 'MAR',"
            " 'TNG-MED', 'entry', datetime('2026-01-01', '+' || i || ' minutes') || '.000000',"
            " 'officer', '2026-11-01 00:00:00.000000' FROM n"
        ),
        "sltd_records": (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
            "INSERT INTO sltd_records (issuing_state, document_number, number_key, number_key9,"
            " document_code, status, reported_on, reported_by, version, recorded_at)"
            " SELECT 'MAR', printf('UM%07d', i), printf('UM%07d', i), printf('UM%07d', i), 'P',"
            " 'stolen', '2026-01-01', 'MAR', 1, '2026-11-01 00:00:00.000000' FROM n"
        ),
        "watchlist_persons": (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "
            "INSERT INTO watchlist_persons (id, names, nationalities, category, issued_by,"
            " status, content_hash, created_at, updated_at, shareable)"
            " SELECT printf('MAR-WL-%08d', i), '[\"X\"]', '[]', 'wanted', 'MAR', 'active', 'h',"
            " '2026-11-01 00:00:00.000000', '2026-11-01 00:00:00.000000', 1 FROM n"
        ),
    },
    "postgresql": {
        "crossings": (
            "INSERT INTO crossings (issuing_state, document_number, nationality, crossing_point,"
            " direction, at, officer, recorded_at) SELECT 'MAR', 'UM' || lpad(i::text, 7, '0'),"
            " 'MAR', 'TNG-MED', 'entry', timestamptz '2026-01-01Z' + i * interval '1 minute',"
            " 'officer', now() FROM generate_series(1, {rows}) AS i"
        ),
        "sltd_records": (
            "INSERT INTO sltd_records (issuing_state, document_number, number_key, number_key9,"
            " document_code, status, reported_on, reported_by, version, recorded_at)"
            " SELECT 'MAR', 'UM' || lpad(i::text, 7, '0'), 'UM' || lpad(i::text, 7, '0'),"
            " 'UM' || lpad(i::text, 7, '0'), 'P', 'stolen', date '2026-01-01', 'MAR', 1, now()"
            " FROM generate_series(1, {rows}) AS i"
        ),
        "watchlist_persons": (
            "INSERT INTO watchlist_persons (id, names, nationalities, category, issued_by,"
            " status, content_hash, created_at, updated_at, shareable)"
            " SELECT 'MAR-WL-' || lpad(i::text, 8, '0'), '[\"X\"]', '[]', 'wanted', 'MAR',"
            " 'active', 'h', now(), now(), true FROM generate_series(1, {rows}) AS i"
        ),
    },
}


def fill(database: Database, table: str) -> Database:
    """The node's database with ``ROWS`` rows in ``table``, its statistics refreshed."""
    dialect = database.engine.dialect.name
    with database.engine.begin() as connection:
        connection.exec_driver_sql(FILL[dialect][table].format(rows=ROWS[dialect]))
    with database.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql(f"ANALYZE {table}")
    return database


def plan(database: Database, sql: str, parameters: Sequence[Any] | dict[str, Any]) -> str:
    """The plan the database gives ``sql``, one line per step."""
    bound = parameters if isinstance(parameters, dict) else tuple(parameters)
    with database.engine.connect() as connection:
        if database.engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, bound)
            return "\n".join(str(row[3]) for row in rows)
        rows = connection.exec_driver_sql("EXPLAIN " + sql, bound)
        return "\n".join(str(row[0]) for row in rows)


def crossing_keys() -> list[tuple[str, str, datetime]]:
    return [
        ("MAR", f"UM{i:07d}", datetime(2026, 1, 1, tzinfo=UTC).replace(minute=i % 60))
        for i in range(1, KEYS + 1)
    ]


def assert_indexed(database: Database, found: str, table: str, index: str) -> None:
    if database.engine.dialect.name == "sqlite":
        steps = [line.split()[:2] for line in found.splitlines()]
        assert ["SCAN", table] not in steps, found
        assert ["SCAN", "c"] not in steps, found
        assert f"USING INDEX {index}" in found.replace("COVERING ", ""), found
    else:
        assert f"Seq Scan on {table}" not in found, found
        assert "Index" in found, found


def test_a_crossing_load_finds_stored_crossings_through_the_document_index(
    database: Database,
) -> None:
    filled = fill(database, "crossings")
    dialect = filled.engine.dialect.name
    keys = crossing_keys()
    sql = stored_keys_statement(dialect, len(keys))
    texts = [(s, n, sqlite_timestamp(at)) for s, n, at in keys]  # instants as UTC text
    if dialect == "postgresql":
        parameters: tuple[Any, ...] = tuple(list(column) for column in zip(*texts, strict=True))
    else:
        parameters = tuple(v for key in texts for v in key)
    found = plan(filled, sql, parameters)
    assert_indexed(filled, found, "crossings", "ix_crossings_document")
    if dialect == "sqlite":  # one search per key: the keys are the outer loop
        assert "SEARCH c USING INDEX ix_crossings_document (issuing_state=? AND " in found


def test_an_sltd_load_finds_current_versions_through_the_lookup_index(database: Database) -> None:
    filled = fill(database, "sltd_records")
    dialect = filled.engine.dialect.name
    prefixes = [f"UM{i:07d}" for i in range(1, KEYS + 1)]
    sql = current_versions_statement(dialect, len(prefixes))
    parameters = ("MAR", prefixes) if dialect == "postgresql" else ("MAR", *prefixes)
    found = plan(filled, sql, parameters)
    assert_indexed(filled, found, "sltd_records", "ix_sltd_lookup")


def test_a_watchlist_load_finds_stored_persons_through_the_primary_key(
    database: Database,
) -> None:
    filled = fill(database, "watchlist_persons")
    statement = stored_persons_statement([f"MAR-WL-{i:08d}" for i in range(1, 501)])
    with filled.engine.connect() as connection:
        compiled = statement.compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        sql = str(compiled)
        names = compiled.positiontup  # SQLite's qmark style; PostgreSQL's are named
        parameters: Any = (
            [compiled.params[name] for name in names] if names else dict(compiled.params)
        )
    found = plan(filled, sql, parameters)
    index = (
        "sqlite_autoindex_watchlist_persons_1"
        if filled.engine.dialect.name == "sqlite"
        else "watchlist_persons_pkey"
    )
    assert_indexed(filled, found, "watchlist_persons", index)
