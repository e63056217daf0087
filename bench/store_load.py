"""Store loads and SLTD look-ups: Passerelle against the raw drivers, on SQLite and PostgreSQL.

What it measures
    Loads: ``passerelle.store.loading.load_file`` end to end, which is what an operator
    runs with ``passerelle sltd load`` / ``passerelle watchlist load``: hashing the file,
    reading and validating every JSON line, duplicate detection, one transaction per batch
    of ``--batch`` lines with the run's progress and an audit record. It loads a generated
    file of ``--sltd`` stolen/lost document records and one of ``--watchlist`` persons into
    a fresh SQLite file and into a fresh PostgreSQL database (both migrated with Alembic
    first, untimed), and reports records (lines) per second for each file and backend.

    Look-ups: ``--lookups`` random ``SltdRegistry.lookup`` calls (90 % numbers on file,
    10 % absent) on the loaded table, each in its own read session
    (``with database.lookup() as session``) as a node serves one request, timed one by one
    with ``time.perf_counter_ns``: p50, p99 and max. A second, informative line times the
    same look-ups the way ``passerelle sltd check`` runs them: a write transaction that
    also appends the ``sltd.search`` audit record (no target).

The peer, measured in the same run on the same data and the same schema
    Loads: the raw driver doing the bare minimum with rows already parsed (by Passerelle's
    own parsers, untimed), into a second fresh database migrated the same way: ``sqlite3``
    ``executemany`` INSERT (same PRAGMAs as Passerelle: WAL, synchronous=NORMAL, foreign
    keys on) and psycopg 3 ``COPY … FROM STDIN``, one transaction per batch of ``--batch``
    records like the loader; a watchlist person is one row (its names are a JSON column).
    Look-ups: the raw driver's ``SELECT <all columns> FROM sltd_records WHERE
    issuing_state = ? AND number_key9 = ? AND superseded_at IS NULL`` on the table
    Passerelle loaded, on one open connection in autocommit mode, with the key already
    folded. Passerelle's and the peer's look-ups are interleaved (alternating which goes
    first) after an untimed warm-up, so both see the same caches.

    Ratios are Passerelle ÷ peer: for throughput below 1 means Passerelle is slower, for
    latency above 1 means Passerelle is slower.

The data
    Generated once per run from ``random.Random(--seed)`` into a temporary folder
    (generation is not timed): SLTD records from 28 issuing states (Maghreb, Sahel, West
    Africa, Europe, Middle East), 9-character alphanumeric numbers in four shapes, 5 % long
    TD1 numbers of 12 characters (BEL, PRT identity cards), the four statuses, report
    dates 2010-2026, reported by the issuer (90 %) or another state; (state, 9-character
    key) is unique so every present look-up has exactly one answer. Watchlist persons with
    1-3 names (Latin with diacritics, Arabic script, MRZ-style upper case), full, year-month,
    year-only or no birth dates, 0-2 nationalities, sex, the four categories, an issuer and
    sometimes a validity end.

Targets (the project's issue)
    SQLite loads ≥ 50,000 records/s (SLTD and watchlist); look-up p99 ≤ 1 ms on both
    backends. They are reported, not enforced: the exit code is 1 only when a correctness
    check fails (a rejected line, a row count that differs from the peer's, a look-up
    answer that is wrong or differs from the peer's, a broken audit chain), 2 when
    PostgreSQL cannot be reached.

Crossings
    ``--crossings N`` loads N generated crossings (``passerelle crossing load``) and
    reports the rate over the first and the last million lines (10 % under 5,000,000),
    a reload of the file's head (the duplicate check alone against the full table) and
    the CPU seconds of the writer and the parser: see ``bench/crossing_load.py``. With it,
    ``--sltd`` and ``--watchlist`` default to 0 (none); give them to measure all three.
    The issue's target: ≥ 50,000 crossings/s on SQLite, the last window as fast as the
    first. Long loads print their progress every million lines on stderr.

Run it
    .venv/bin/python bench/store_load.py [--quick] [--sltd N] [--watchlist N] [--lookups N]
        [--crossings N] [--backends sqlite,postgresql] [--batch 50000] [--seed S]
        [--pg-url URL] [--json]

PostgreSQL: ``--pg-url`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
names an administrative connection; the run creates ``passerelle_bench_<random>`` (and
``…_peer``) there and drops both ``WITH (FORCE)`` at the end, also on error.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import resource
import secrets
import sqlite3
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg
import sqlalchemy
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from passerelle.settings import Settings
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database, json_text
from passerelle.store.loading import LoadReport, Registry, load_file
from passerelle.store.sltd import SltdEntry, SltdRegistry, number_key
from passerelle.store.watchlist import WatchlistEntry, WatchlistRegistry
from sltd_data import STATE_WEIGHTS, STATES, generate_sltd_file
from sltd_scale import (
    peer_copy_file,
    server_lookup_times,
    table_sizes,
    window_rates,
    write_peer_rows,
)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
TARGET_LOAD_SQLITE = 50_000.0  # records/s
TARGET_LOOKUP_P99_US = 1_000.0  # 1 ms
PRESENT_SHARE = 0.90
WARMUP = 500
PURPOSE = "border control: document check"
ACTOR = Actor(name="bench:store_load", kind="user", role="admin")
SQLITE_PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "cache_size")
"""Settings the peer copies from Passerelle's own SQLite connections."""
PG_SETTINGS = ("shared_buffers", "synchronous_commit", "wal_level", "max_wal_size")

# --------------------------------------------------------------------------- the data

STATE_CUM_WEIGHTS = tuple(
    sum(w for _, w in STATE_WEIGHTS[: i + 1]) for i in range(len(STATE_WEIGHTS))
)
DIGITS = string.digits
LETTERS = string.ascii_uppercase
ALNUM = LETTERS + DIGITS

LATIN_GIVEN = (
    "Mohamed", "Fatima", "Youssef", "Aïcha", "Khadija", "Aminata", "Moussa", "Oumar",
    "Mariam", "Ibrahim", "Salif", "Awa", "Karim", "Nadia", "Hamza", "Soumaya", "Amadou",
    "Hassan", "Pierre", "Marie", "José", "Lucía", "Ana María", "Jean-Paul", "Giulia", "João",
)  # fmt: skip
LATIN_SURNAMES = (
    "Ben Ali", "El Amrani", "Bouazizi", "Haddad", "Mansouri", "Cherkaoui", "Belkacem",
    "Bensalah", "Ould Ahmed", "Traoré", "Diallo", "Keïta", "Coulibaly", "Ndiaye", "Diop",
    "Touré", "Ouédraogo", "Sow", "Maïga", "Issoufou", "Martin", "García", "Dubois",
    "Fernández", "Rossi", "Silva", "Yılmaz", "Al-Masri",
)  # fmt: skip
ARABIC_GIVEN = (
    "محمد", "فاطمة", "يوسف", "عائشة", "خديجة", "إبراهيم", "كريم", "نادية", "حمزة", "سمية",
    "عمر", "مريم", "حسن", "أحمد",
)  # fmt: skip
ARABIC_SURNAMES = (
    "بن علي", "العمراني", "بوعزيزي", "حداد", "المنصوري", "الشرقاوي", "بلقاسم", "بن صالح",
    "ولد أحمد", "المصري",
)  # fmt: skip
CATEGORIES = ("wanted", "travel_ban", "missing", "alert")
CATEGORY_WEIGHTS = (30, 40, 15, 15)


@dataclass(frozen=True, slots=True)
class Query:
    """One SLTD look-up: what is asked, and whether the registry holds it."""

    state: str
    number: str
    present: bool

    @property
    def key9(self) -> str:
        return number_key(self.number)[:9]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choices(DIGITS, k=n))


def _sltd_number(rng: random.Random) -> str:
    """Nine characters, in the shapes issuers use."""
    shape = rng.random()
    if shape < 0.35:  # two letters, seven digits (MAR, DZA, FRA style)
        return "".join(rng.choices(LETTERS, k=2)) + _digits(rng, 7)
    if shape < 0.55:
        return _digits(rng, 9)
    if shape < 0.80:
        return rng.choice(LETTERS) + _digits(rng, 8)
    return "".join(rng.choices(ALNUM, k=9))


def _state(rng: random.Random) -> str:
    return rng.choices(STATES, cum_weights=STATE_CUM_WEIGHTS)[0]


def generate_sltd(
    path: Path, count: int, lookups: int, rng: random.Random
) -> tuple[list[Query], dict[str, Any]]:
    """Write ``count`` SLTD lines to ``path``; return the look-ups to make and some stats.

    Drawn by ``sltd_data.generate_sltd_file`` (numpy, worker processes) from a seed taken
    from ``rng``.
    """
    drawn, stats = generate_sltd_file(path, count, lookups, seed=rng.getrandbits(63))
    return [Query(state, number, present) for state, number, present in drawn], stats


def _person_names(rng: random.Random) -> list[str]:
    given, surname = rng.choice(LATIN_GIVEN), rng.choice(LATIN_SURNAMES)
    names = [f"{given} {surname}"]
    count = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
    while len(names) < count:
        form = rng.random()
        if form < 0.6:
            names.append(f"{rng.choice(ARABIC_GIVEN)} {rng.choice(ARABIC_SURNAMES)}")
        elif form < 0.8:
            names.append(f"{surname.upper()} {given.upper()}")
        else:
            names.append(f"{rng.choice(LATIN_GIVEN)} {surname}")
    if rng.random() < 0.02:  # sloppy white space, folded by the loader
        names[0] = "  " + names[0].replace(" ", "  ") + " "
    return names


def _birth_date(rng: random.Random) -> str | None:
    form = rng.random()
    day = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 66))
    if form < 0.65:
        return day.isoformat()
    if form < 0.70:
        return day.isoformat()[:7]
    if form < 0.90:
        return day.isoformat()[:4]
    return None


def generate_watchlist(path: Path, count: int, rng: random.Random) -> dict[str, Any]:
    """Write ``count`` watchlist persons to ``path``; return some stats."""
    names = 0
    with path.open("wb") as handle:
        lines: list[bytes] = []
        for i in range(count):
            issuer = _state(rng)
            person_names = _person_names(rng)
            names += len(person_names)
            nationalities = rng.sample(STATES, rng.choices((0, 1, 2), weights=(10, 75, 15))[0])
            valid_until = None
            if rng.random() < 0.3:
                valid_until = (date(2027, 1, 1) + timedelta(days=rng.randrange(3650))).isoformat()
            lines.append(
                orjson.dumps(
                    {
                        "id": f"{issuer}-WL-{i:08d}",
                        "names": person_names,
                        "birth_date": _birth_date(rng),
                        "nationalities": nationalities,
                        "sex": rng.choices(("M", "F", None), weights=(60, 35, 5))[0],
                        "category": rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0],
                        "issued_by": issuer,
                        "valid_until": valid_until,
                    }
                )
            )
            if len(lines) >= 10_000:
                handle.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            handle.write(b"\n".join(lines) + b"\n")
    return {"persons": count, "names": names, "bytes": path.stat().st_size}


# --------------------------------------------------------------------------- peer rows

SLTD_COLUMNS = (
    "issuing_state", "document_number", "number_key", "number_key9", "document_code",
    "status", "reported_on", "reported_by", "version", "recorded_at",
)  # fmt: skip
PERSON_COLUMNS = (
    "id", "names", "birth_date", "birth_year", "nationalities", "sex", "category",
    "issued_by", "valid_until", "status", "content_hash", "created_at", "updated_at",
    "withdrawn_at",
)  # fmt: skip
LOOKUP_COLUMNS = (
    "id, issuing_state, document_number, number_key, number_key9, document_code, status, "
    "reported_on, reported_by, version, recorded_at, superseded_at"
)
LOOKUP_WHERE = "WHERE issuing_state = {p} AND number_key9 = {p} AND superseded_at IS NULL"

Row = tuple[Any, ...]
Batch = tuple[list[Row], ...]
"""One transaction's rows, one list per table."""


def _parsed(path: Path, registry: Registry[Any]) -> Iterator[Any]:
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                yield registry.parse(orjson.loads(raw))


def _stored_time(now: datetime, sqlite: bool) -> Any:
    """A timestamp as the raw driver is handed it (SQLAlchemy's SQLite text form)."""
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now


def _stored_date(day: date | None, sqlite: bool) -> Any:
    if day is None:
        return None
    return day.isoformat() if sqlite else day


def batched(rows: Iterator[Row], batch: int) -> list[Batch]:
    """Rows of one table in transactions of ``batch`` rows."""
    batches: list[Batch] = []
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            batches.append((chunk,))
            chunk = []
    if chunk:
        batches.append((chunk,))
    return batches


def sltd_batches(path: Path, batch: int, sqlite: bool) -> list[Batch]:
    """The SLTD file's rows as ``sltd_records`` stores them, parsed by Passerelle (untimed)."""
    return batched(_sltd_rows(path, sqlite), batch)


def _sltd_rows(path: Path, sqlite: bool) -> Iterator[Row]:
    now = _stored_time(datetime.now(UTC), sqlite)
    entry: SltdEntry
    for entry in _parsed(path, SltdRegistry()):
        key = number_key(entry.document_number)
        yield (
            entry.issuing_state,
            entry.document_number,
            key,
            key[:9],
            entry.document_code,
            entry.status,
            _stored_date(entry.reported_on, sqlite),
            entry.reported_by,
            1,
            now,
        )


def watchlist_batches(path: Path, batch: int, sqlite: bool) -> list[Batch]:
    """The watchlist file's persons as stored, parsed by Passerelle (untimed)."""
    return batched(_watchlist_rows(path, sqlite), batch)


def _watchlist_rows(path: Path, sqlite: bool) -> Iterator[Row]:
    now = _stored_time(datetime.now(UTC), sqlite)
    entry: WatchlistEntry
    for entry in _parsed(path, WatchlistRegistry()):
        yield (
            entry.id,
            json_text(entry.names),  # the engine's JSON text (passerelle.store.db)
            entry.birth_date,
            entry.birth_year,
            json_text(entry.nationalities),
            entry.sex,
            entry.category,
            entry.issued_by,
            _stored_date(entry.valid_until, sqlite),
            "active",
            entry.content_hash,
            now,
            now,
            None,
        )


# --------------------------------------------------------------------------- backends


@dataclass(frozen=True, slots=True)
class Backend:
    name: str
    passerelle_url: str  # SQLAlchemy URL, for Passerelle's Database
    peer_url: str  # SQLAlchemy URL of the peer's own fresh database
    pragmas: tuple[str, ...] = ()  # SQLite: Passerelle's connection settings, for the peer

    @property
    def sqlite(self) -> bool:
        return self.name == "sqlite"


def _conninfo(url: str) -> str:
    """A psycopg conninfo for a SQLAlchemy PostgreSQL URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    assert database
    return database


def _sqlite_connect(backend: Backend, url: str) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection set up as Passerelle sets up its own."""
    connection = sqlite3.connect(_sqlite_path(url), isolation_level=None)
    for pragma in backend.pragmas:
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _passerelle_pragmas(database: Database) -> tuple[str, ...]:
    """The settings of a connection Passerelle opened (WAL, synchronous, cache…)."""
    with database.engine.connect() as connection:
        return tuple(
            f"{name}={connection.exec_driver_sql(f'PRAGMA {name}').scalar_one()}"
            for name in SQLITE_PRAGMAS
        )


@contextmanager
def postgresql_databases(admin_url: str) -> Iterator[tuple[str, str]]:
    """Two fresh databases (Passerelle's, the peer's), dropped WITH (FORCE) at the end."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    base = f"passerelle_bench_{secrets.token_hex(4)}"
    names = (base, f"{base}_peer")
    created: list[str] = []
    try:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f"CREATE DATABASE {name}")
                created.append(name)
        url = make_url(admin_url)
        yield (
            url.set(database=names[0]).render_as_string(hide_password=False),
            url.set(database=names[1]).render_as_string(hide_password=False),
        )
    finally:
        try:
            with admin.connect() as connection:
                for name in created:
                    connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            admin.dispose()


# --------------------------------------------------------------------------- loads


@dataclass(frozen=True, slots=True)
class TimedLoad:
    """One ``load_file`` run: its wall seconds, report, (lines, seconds) after each
    committed batch, and CPU seconds of the writer (this process: Passerelle and, on
    SQLite, the database engine) and of the parsing process (a child, reaped at the end)."""

    seconds: float
    report: LoadReport
    marks: list[tuple[int, float]]
    writer_cpu_s: float
    parser_cpu_s: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def passerelle_load(
    database: Database, audit: AuditTrail, registry: Registry[Any], path: Path, batch: int
) -> TimedLoad:
    """``load_file`` end to end, as ``passerelle <kind> load`` runs it; a long run prints
    its progress every million lines on stderr."""
    marks: list[tuple[int, float]] = []
    gc.collect()
    cpu, children = time.process_time(), _children_cpu()
    start = time.perf_counter()
    shown = [0]
    if marks is not None:
        marks.append((0, 0.0))

    def progress(lines: int, _bytes: int) -> None:
        elapsed = time.perf_counter() - start
        marks.append((lines, elapsed))
        if lines - shown[0] >= 1_000_000:  # a long run shows it is alive, on stderr
            shown[0] = lines
            print(
                f"{registry.kind}: {lines:,} lines in {elapsed:,.1f} s", file=sys.stderr, flush=True
            )

    report = load_file(
        database,
        audit,
        registry,
        path,
        actor=ACTOR,
        clock=lambda: datetime.now(UTC),
        batch_size=batch,
        progress=progress,
    )
    return TimedLoad(
        time.perf_counter() - start,
        report,
        marks,
        round(time.process_time() - cpu, 2),
        round(_children_cpu() - children, 2),
    )


def peer_load_sqlite(
    backend: Backend, tables: Sequence[tuple[str, Sequence[str]]], batches: list[Batch]
) -> float:
    connection = _sqlite_connect(backend, backend.peer_url)
    statements = [
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        for table, cols in tables
    ]
    try:
        gc.collect()
        start = time.perf_counter()
        for batch in batches:
            connection.execute("BEGIN")
            for statement, rows in zip(statements, batch, strict=True):
                connection.executemany(statement, rows)
            connection.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        connection.close()


def peer_load_postgresql(
    backend: Backend, tables: Sequence[tuple[str, Sequence[str]]], batches: list[Batch]
) -> float:
    statements = [f"COPY {table} ({', '.join(cols)}) FROM STDIN" for table, cols in tables]
    with psycopg.connect(_conninfo(backend.peer_url)) as connection:
        gc.collect()
        start = time.perf_counter()
        for batch in batches:
            with connection.cursor() as cursor:
                for statement, rows in zip(statements, batch, strict=True):
                    with cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
            connection.commit()
        return time.perf_counter() - start


def _count_passerelle(database: Database, table: str) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def _count_peer(backend: Backend, table: str) -> int:
    if backend.sqlite:
        connection = _sqlite_connect(backend, backend.peer_url)
        try:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            connection.close()
    with psycopg.connect(_conninfo(backend.peer_url)) as pg:
        row = pg.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])


def compare_with_peer(
    backend: Backend,
    database: Database,
    tables: Sequence[tuple[str, Sequence[str]]],
    batches: list[Batch],
    problems: list[str],
) -> tuple[int, float, dict[str, int]]:
    """The peer loads ``batches`` into its own database: its records, seconds, and the rows
    of each table in Passerelle's database (a count that differs from the peer's is a
    problem)."""
    records = sum(len(b[0]) for b in batches)
    loader = peer_load_sqlite if backend.sqlite else peer_load_postgresql
    peer_seconds = loader(backend, tables, batches)
    batches.clear()
    gc.collect()
    return records, peer_seconds, compare_counts(backend, database, tables, problems)


def compare_counts(
    backend: Backend,
    database: Database,
    tables: Sequence[tuple[str, Sequence[str]]],
    problems: list[str],
) -> dict[str, int]:
    """The rows of each table in Passerelle's database (a count that differs from the
    peer's is a problem)."""
    counts = {}
    for table, _ in tables:
        mine, theirs = _count_passerelle(database, table), _count_peer(backend, table)
        counts[table] = mine
        if mine != theirs:
            problems.append(f"{backend.name} {table}: Passerelle has {mine} rows, peer {theirs}")
    return counts


def measure_loads(
    backend: Backend,
    database: Database,
    audit: AuditTrail,
    files: dict[str, Path],
    batch: int,
    problems: list[str],
) -> dict[str, Any]:
    specs: dict[str, tuple[Registry[Any], Callable[[Path, int, bool], list[Batch]], Any]] = {
        "sltd": (SltdRegistry(), sltd_batches, (("sltd_records", SLTD_COLUMNS),)),
        "watchlist": (
            WatchlistRegistry(),
            watchlist_batches,
            (("watchlist_persons", PERSON_COLUMNS),),
        ),
    }
    results: dict[str, Any] = {}
    for kind, (registry, make_batches, tables) in specs.items():
        if kind not in files:
            continue
        path = files[kind]
        load = passerelle_load(database, audit, registry, path, batch)
        seconds, report, marks = load.seconds, load.report, load.marks
        load_average = [round(x, 2) for x in os.getloadavg()]
        if report.rejected or report.accepted != report.lines:
            problems.append(
                f"{backend.name} {kind}: {report.lines} lines, {report.accepted} accepted, "
                f"{report.unchanged} unchanged, {report.rejected} rejected "
                f"(first: {report.rejections[:3]})"
            )
        if kind == "sltd" and not backend.sqlite:  # streamed: 10M+ rows do not fit as tuples
            rows_file = path.with_suffix(".copy")
            records = write_peer_rows(path, rows_file)
            peer_seconds = peer_copy_file(_conninfo(backend.peer_url), rows_file, batch)
            rows_file.unlink()
            counts = compare_counts(backend, database, tables, problems)
        else:
            records, peer_seconds, counts = compare_with_peer(
                backend, database, tables, make_batches(path, batch, backend.sqlite), problems
            )
        rate, peer_rate = report.lines / seconds, records / peer_seconds
        target = TARGET_LOAD_SQLITE if backend.sqlite else None
        results[kind] = {
            "records": report.lines,
            "rows": counts,
            "passerelle": {"seconds": round(seconds, 3), "records_per_s": round(rate, 1)},
            "cpu": {"writer_cpu_s": load.writer_cpu_s, "parser_cpu_s": load.parser_cpu_s},
            "peer": {"seconds": round(peer_seconds, 3), "records_per_s": round(peer_rate, 1)},
            "ratio": round(rate / peer_rate, 3),
            "load_average": load_average,
            **window_rates(marks, report.lines),
            **(
                {"sizes": table_sizes(_conninfo(backend.passerelle_url))}
                if kind == "sltd" and not backend.sqlite
                else {}
            ),
            "target_records_per_s": target,
            "target_met": None if target is None else rate >= target,
        }
    return results


# --------------------------------------------------------------------------- look-ups


def _percentiles(samples_ns: list[int]) -> dict[str, float]:
    ordered = sorted(samples_ns)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] / 1000

    return {
        "p50_us": round(rank(50), 1),
        "p99_us": round(rank(99), 1),
        "max_us": round(ordered[-1] / 1000, 1),
        "mean_us": round(sum(ordered) / len(ordered) / 1000, 1),
    }


def _peer_lookup(backend: Backend) -> tuple[Callable[[str, str], int], Callable[[], None]]:
    """The raw driver's look-up on Passerelle's loaded table, and how to close it."""
    if backend.sqlite:
        connection = _sqlite_connect(backend, backend.passerelle_url)
        sql = f"SELECT {LOOKUP_COLUMNS} FROM sltd_records " + LOOKUP_WHERE.format(p="?")

        def sqlite_lookup(state: str, key9: str) -> int:
            return len(connection.execute(sql, (state, key9)).fetchall())

        return sqlite_lookup, connection.close
    pg = psycopg.connect(_conninfo(backend.passerelle_url), autocommit=True)
    cursor = pg.cursor()
    pg_sql = f"SELECT {LOOKUP_COLUMNS} FROM sltd_records " + LOOKUP_WHERE.format(p="%s")

    def pg_lookup(state: str, key9: str) -> int:
        cursor.execute(pg_sql, (state, key9))
        return len(cursor.fetchall())

    return pg_lookup, pg.close


def _plan(backend: Backend, query: Query) -> list[str]:
    """How the database runs the look-up (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE)."""
    if backend.sqlite:
        connection = _sqlite_connect(backend, backend.passerelle_url)
        try:
            sql = f"SELECT {LOOKUP_COLUMNS} FROM sltd_records " + LOOKUP_WHERE.format(p="?")
            rows = connection.execute("EXPLAIN QUERY PLAN " + sql, (query.state, query.key9))
            return [str(row[3]) for row in rows]
        finally:
            connection.close()
    with psycopg.connect(_conninfo(backend.passerelle_url), autocommit=True) as pg:
        sql = f"SELECT {LOOKUP_COLUMNS} FROM sltd_records " + LOOKUP_WHERE.format(p="%s")
        plan = pg.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, (query.state, query.key9))
        return [str(row[0]) for row in plan.fetchall()]


def measure_lookups(
    backend: Backend,
    database: Database,
    audit: AuditTrail,
    queries: list[Query],
    problems: list[str],
) -> dict[str, Any]:
    registry = SltdRegistry()
    peer, close_peer = _peer_lookup(backend)

    def passerelle(query: Query) -> int:
        with database.lookup() as session:
            return len(registry.lookup(session, query.state, query.number))

    def audited(query: Query) -> int:
        with database.write() as session:
            matches = registry.lookup(session, query.state, query.number)
            audit.record(
                session,
                actor=ACTOR,
                action="sltd.search",
                purpose=PURPOSE,
                at=datetime.now(UTC),
                query={"issuing_state": query.state, "document_number": query.number},
                result={"hit": bool(matches), "records": [m.as_dict() for m in matches]},
            )
        return len(matches)

    params = [(q.state, q.key9) for q in queries]
    try:
        for query, (state, key9) in zip(queries[:WARMUP], params[:WARMUP], strict=True):
            passerelle(query)
            peer(state, key9)
        mine: list[int] = []
        theirs: list[int] = []
        wrong = differ = 0
        clock = time.perf_counter_ns
        gc.collect()
        lookup_cpu = time.process_time()
        for i, (query, (state, key9)) in enumerate(zip(queries, params, strict=True)):
            if i % 2:
                t0 = clock()
                found = passerelle(query)
                t1 = clock()
                peer_found = peer(state, key9)
                t2 = clock()
                mine.append(t1 - t0)
                theirs.append(t2 - t1)
            else:
                t0 = clock()
                peer_found = peer(state, key9)
                t1 = clock()
                found = passerelle(query)
                t2 = clock()
                theirs.append(t1 - t0)
                mine.append(t2 - t1)
            wrong += found != int(query.present)
            differ += found != peer_found
        lookup_cpu = time.process_time() - lookup_cpu
        lookup_load = [round(x, 2) for x in os.getloadavg()]
        audited_ns: list[int] = []
        audited_wrong = 0
        gc.collect()
        for query in queries:
            t0 = clock()
            found = audited(query)
            audited_ns.append(clock() - t0)
            audited_wrong += found != int(query.present)
    finally:
        close_peer()
    if wrong or audited_wrong:
        problems.append(
            f"{backend.name} look-ups: {wrong} wrong answers (read), {audited_wrong} (audited)"
        )
    if differ:
        problems.append(f"{backend.name} look-ups: {differ} answers differ from the peer's")
    with database.read() as session:
        verdict = audit.verify(session)
    if not verdict.intact:
        problems.append(f"{backend.name} audit chain broken: {verdict}")
    p, q = _percentiles(mine), _percentiles(theirs)
    example = next((x for x in queries if x.present), queries[0])
    return {
        "lookups": len(queries),
        "present": sum(x.present for x in queries),
        "passerelle": p,
        "peer": q,
        "ratio_p50": round(p["p50_us"] / q["p50_us"], 2),
        "ratio_p99": round(p["p99_us"] / q["p99_us"], 2),
        "target_p99_us": TARGET_LOOKUP_P99_US,
        "target_met": p["p99_us"] <= TARGET_LOOKUP_P99_US,
        "client_cpu_us_per_pair": round(lookup_cpu / len(queries) * 1e6, 1),
        "load_average": lookup_load,
        **(
            {}
            if backend.sqlite
            else {
                "server": server_lookup_times(
                    _conninfo(backend.passerelle_url),
                    f"SELECT {LOOKUP_COLUMNS} FROM sltd_records " + LOOKUP_WHERE.format(p="%s"),
                    params[:1000],
                )
            }
        ),
        "with_audit": _percentiles(audited_ns),
        "audit_records": verdict.records,
        "plan": _plan(backend, example),
    }


# --------------------------------------------------------------------------- one backend


def run_backend(
    backend: Backend,
    files: dict[str, Path],
    queries: list[Query],
    batch: int,
    problems: list[str],
) -> dict[str, Any]:
    for url in (backend.passerelle_url, backend.peer_url):
        migrating = Database(url)
        try:
            migrating.upgrade()
        finally:
            migrating.dispose()
    database = Database(backend.passerelle_url)
    audit = AuditTrail(secrets.token_bytes(32))
    try:
        if backend.sqlite:
            backend = replace(backend, pragmas=_passerelle_pragmas(database))
            server, settings = f"SQLite {sqlite3.sqlite_version}", list(backend.pragmas)
        else:
            with database.engine.connect() as connection:
                version = connection.exec_driver_sql("SHOW server_version").scalar_one()
                server, settings = (
                    f"PostgreSQL {version}",
                    [
                        f"{name}={connection.exec_driver_sql(f'SHOW {name}').scalar_one()}"
                        for name in PG_SETTINGS
                    ],
                )
        loads = measure_loads(backend, database, audit, files, batch, problems)
        lookups = measure_lookups(backend, database, audit, queries, problems) if queries else None
        crossings = None
        if "crossings" in files:
            from crossing_load import measure_crossings

            crossings = measure_crossings(
                backend, database, audit, files["crossings"], batch, problems
            )
    finally:
        database.dispose()
    return {
        "server": server,
        "settings": settings,
        "loads": loads,
        "lookups": lookups,
        **({"crossings": crossings} if crossings else {}),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    problems: list[str] = []
    results: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "sqlalchemy": sqlalchemy.__version__,
        "psycopg": psycopg.__version__,
        "seed": args.seed,
        "batch": args.batch,
        "backends": {},
    }
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-") as tmp:
        folder = Path(tmp)
        files: dict[str, Path] = {}
        start = time.perf_counter()
        queries: list[Query] = []
        results["data"] = {}
        if args.sltd:
            files["sltd"] = folder / "sltd.jsonl"
            queries, results["data"]["sltd"] = generate_sltd(
                files["sltd"], args.sltd, args.lookups, rng
            )
        if args.watchlist:
            files["watchlist"] = folder / "watchlist.jsonl"
            results["data"]["watchlist"] = generate_watchlist(
                files["watchlist"], args.watchlist, rng
            )
        if args.crossings:
            from crossing_load import generate_crossings

            files["crossings"] = folder / "crossings.jsonl"
            results["data"]["crossings"] = generate_crossings(
                files["crossings"], args.crossings, rng
            )
        gc.collect()
        results["data"]["generation_seconds"] = round(time.perf_counter() - start, 2)
        for name in args.backends:
            if name == "sqlite":
                backend = Backend(
                    name,
                    f"sqlite:///{folder / 'passerelle.sqlite3'}",
                    f"sqlite:///{folder / 'peer.sqlite3'}",
                )
                results["backends"][name] = run_backend(
                    backend, files, queries, args.batch, problems
                )
                continue
            with postgresql_databases(args.pg_url) as (mine, theirs):
                backend = Backend(name, mine, theirs)
                results["backends"][name] = run_backend(
                    backend, files, queries, args.batch, problems
                )
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["problems"] = problems
    return results


# --------------------------------------------------------------------------- report


def _met(flag: bool | None) -> str:
    return "—" if flag is None else ("met" if flag else "NOT met")


def print_report(r: dict[str, Any]) -> None:
    data = r["data"]
    sltd, wl, cx = data.get("sltd"), data.get("watchlist"), data.get("crossings")
    servers = ", ".join(b["server"] for b in r["backends"].values())
    print("Store loads and SLTD look-ups: Passerelle vs the raw drivers")
    print("  peer: sqlite3 executemany INSERT / psycopg COPY of pre-parsed rows (loads);")
    print("        raw-driver SELECT … WHERE issuing_state=? AND number_key9=? (look-ups)")
    print(
        f"  Python {r['python']}, SQLAlchemy {r['sqlalchemy']}, psycopg {r['psycopg']}, "
        f"{servers}; {r['platform']}"
    )
    described = []
    if sltd:
        described.append(
            f"{sltd['records']:,} SLTD records ({sltd['states']} issuing states, "
            f"{sltd['long_td1_numbers']:,} 12-character TD1 numbers, "
            f"{sltd['bytes'] / 1e6:.0f} MB)"
        )
    if wl:
        described.append(
            f"{wl['persons']:,} watchlist persons ({wl['names']:,} names, "
            f"{wl['bytes'] / 1e6:.0f} MB)"
        )
    if cx:
        described.append(
            f"{cx['crossings']:,} crossings of {cx['documents']:,} documents "
            f"({cx['bytes'] / 1e6:.0f} MB)"
        )
    print(
        f"  data (seed {r['seed']}, generated in {data['generation_seconds']:.1f} s, untimed): "
        + "; ".join(described)
    )
    for name, b in r["backends"].items():
        print(f"  {name} settings (Passerelle's, peer's alike): {', '.join(b['settings'])}")
    print(
        f"  {r['cpus']} CPUs; load average before {r['load_average_before']}, "
        f"after {r['load_average_after']} (other processes share the machine)"
    )
    print(f"  batch size {r['batch']:,}; ratios are Passerelle ÷ peer")
    if sltd or wl:
        _print_loads(r)
    if cx:
        from crossing_load import print_crossings

        print_crossings(r["backends"])
    if r["problems"]:
        print()
        print("  CORRECTNESS PROBLEMS:")
        for problem in r["problems"]:
            print(f"    {problem}")


def _print_loads(r: dict[str, Any]) -> None:
    print()
    print("  loads (records/s; Passerelle: load_file end to end; ratio < 1: Passerelle slower)")
    print(
        f"  {'backend':<12}{'file':<11}{'records':>10}{'Passerelle':>13}{'peer':>13}"
        f"{'ratio':>8}   target"
    )
    for name, b in r["backends"].items():
        for kind, x in b["loads"].items():
            target = (
                f"≥ {x['target_records_per_s']:,.0f}/s: {_met(x['target_met'])}"
                if x["target_records_per_s"]
                else "—"
            )
            print(
                f"  {name:<12}{kind:<11}{x['records']:>10,}"
                f"{x['passerelle']['records_per_s']:>13,.0f}"
                f"{x['peer']['records_per_s']:>13,.0f}{x['ratio']:>7.2f}×   {target}"
            )
    for name, b in r["backends"].items():
        for kind, x in b["loads"].items():
            first, last = x.get("first_10pct_per_s"), x.get("last_10pct_per_s")
            print(
                f"  {name} {kind}: first 10 % {first or 0:,.0f}/s, last 10 % {last or 0:,.0f}/s"
                f" (the last batch builds a first load's index); CPU: writer "
                f"{x['cpu']['writer_cpu_s']:,.1f} s, parser {x['cpu']['parser_cpu_s']:,.1f} s; "
                f"load average {x['load_average']}"
            )
            if "sizes" in x:
                shown = ", ".join(f"{k} {v / 1e6:,.0f} MB" for k, v in x["sizes"].items())
                per = sum(x["sizes"].values()) / max(1, x["records"])
                print(f"    sizes: {shown} ({per:,.0f} bytes per record)")
    any_lookups = next(iter(r["backends"].values()))["lookups"]
    if any_lookups is None:
        return
    print()
    print(
        f"  SLTD look-ups ({any_lookups['lookups']:,}: {any_lookups['present']:,} present, "
        f"{any_lookups['lookups'] - any_lookups['present']:,} absent; µs; one read session each;"
        " ratio > 1: Passerelle slower)"
    )
    print(
        f"  {'backend':<12}{'Passerelle p50':>15}{'p99':>9}{'max':>9}{'peer p50':>11}{'p99':>9}"
        f"{'max':>9}{'ratio p50':>11}{'p99':>7}   target p99 ≤ 1 ms"
    )
    for name, b in r["backends"].items():
        x = b["lookups"]
        p, q = x["passerelle"], x["peer"]
        print(
            f"  {name:<12}{p['p50_us']:>15,.1f}{p['p99_us']:>9,.1f}{p['max_us']:>9,.1f}"
            f"{q['p50_us']:>11,.1f}{q['p99_us']:>9,.1f}{q['max_us']:>9,.1f}"
            f"{x['ratio_p50']:>10.2f}×{x['ratio_p99']:>6.2f}×   {_met(x['target_met'])}"
        )
    for name, b in r["backends"].items():
        x = b["lookups"]
        print(
            f"  {name}: client CPU {x['client_cpu_us_per_pair']:,.1f} µs per pair of look-ups"
            f" (Passerelle + peer); load average {x['load_average']}"
        )
        if "server" in x:
            v = x["server"]
            print(
                f"    server (EXPLAIN ANALYZE, {v['samples']:,} look-ups): execution p50 "
                f"{v['execution_p50_us']:,.1f} µs, p99 {v['execution_p99_us']:,.1f} µs, max "
                f"{v['execution_max_us']:,.1f} µs; planning p50 {v['planning_p50_us']:,.1f} µs"
            )
    print("  with the audit record (as `passerelle sltd check`: write transaction + audit.record;")
    print("  informative, no target):")
    for name, b in r["backends"].items():
        a = b["lookups"]["with_audit"]
        print(
            f"  {name:<12}p50 {a['p50_us']:,.1f} µs, p99 {a['p99_us']:,.1f} µs, "
            f"max {a['max_us']:,.1f} µs ({b['lookups']['audit_records']:,} audit records, "
            "chain verified)"
        )
    print()
    print("  look-up plans (one present key, after the loads):")
    for name, b in r["backends"].items():
        for line in b["lookups"]["plan"]:
            print(f"    {name}: {line}")
    print()
    print("  targets:")
    for name, b in r["backends"].items():
        for kind, x in b["loads"].items():
            if x["target_records_per_s"]:
                print(
                    f"    {name} {kind} load ≥ {x['target_records_per_s']:,.0f} records/s: "
                    f"{x['passerelle']['records_per_s']:,.0f} → {_met(x['target_met'])}"
                )
        x = b["lookups"]
        print(
            f"    {name} look-up p99 ≤ 1 ms: {x['passerelle']['p99_us']:,.1f} µs → "
            f"{_met(x['target_met'])}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sltd", type=int, help="SLTD records (default 1,000,000)")
    parser.add_argument("--watchlist", type=int, help="watchlist persons (default 100,000)")
    parser.add_argument("--lookups", type=int, help="SLTD look-ups (default 10,000)")
    parser.add_argument(
        "--crossings",
        type=int,
        default=0,
        help="crossings to load (default 0: none; with it --sltd/--watchlist default to 0)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 50,000 / 10,000 / 2,000 unless given"
    )
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=Settings.model_fields["load_batch_size"].default,
        help="load batch size (default: the node's PASSERELLE_LOAD_BATCH_SIZE default)",
    )
    parser.add_argument("--seed", type=int, default=9303, help="data seed (default 9303)")
    parser.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help=f"PostgreSQL admin URL ({DEFAULT_PG_URL})"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    defaults = (50_000, 10_000, 2_000) if args.quick else (1_000_000, 100_000, 10_000)
    if args.crossings:
        defaults = (0, 0, defaults[2])
    for name, default in zip(("sltd", "watchlist", "lookups"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = [b for b in args.backends if b not in BACKENDS]
    if unknown or not args.backends:
        parser.error(f"--backends takes {', '.join(BACKENDS)} (got {args.backends})")
    if min(args.sltd, args.watchlist, args.crossings) < 0 or min(args.lookups, args.batch) < 1:
        parser.error(
            "--sltd, --watchlist and --crossings must be 0 (none) or more; "
            "--lookups and --batch at least 1"
        )
    if not (args.sltd or args.watchlist or args.crossings):
        parser.error("nothing to load: give --sltd, --watchlist or --crossings")
    if "postgresql" in args.backends:
        try:
            probe = create_engine(args.pg_url)
            with probe.connect() as connection:
                connection.execute(text("SELECT 1"))
            probe.dispose()
        except SQLAlchemyError as exc:
            print(f"cannot reach PostgreSQL at {args.pg_url}: {exc}", file=sys.stderr)
            return 2
    report = measure(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
