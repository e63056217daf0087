"""Crossing loads for ``store_load.py --crossings N``: does the rate stay flat as the table grows?

What it measures
    ``passerelle crossing load`` end to end (``load_file`` with ``CrossingRegistry``:
    parsing, the duplicate check against the crossings already stored, the insert, the
    dashboard's daily counts, one transaction per batch with the run's progress and an
    audit record) of a generated file of N crossings into a fresh, migrated database. The
    loader's progress callback gives the time at every committed batch, from which the
    rate over the first and the last million lines (the first and last 10 % when N is
    under 5,000,000) is computed: a duplicate check that rescans the table makes the last
    window much slower than the first.

    Then the first ``RELOAD`` lines of the same file are loaded again: every one is
    already stored and must be counted unchanged, which times the duplicate check alone
    against the full table.

The peer, measured in the same run
    The raw driver storing the same crossings already parsed (untimed): ``sqlite3``
    ``executemany`` INSERT / psycopg ``COPY``, one transaction per batch, into a second
    fresh database migrated the same way (no duplicate check, no daily counts). Its rate
    over the whole file is the floor of the work (the two indexes kept up to date).

The data
    Crossings in time order, about 14,000 a day (10,000,000 span two years: an archive
    exported chronologically), each
    of a document drawn from a pool of N / 4 documents (28 issuing states, the SLTD
    generator's number shapes), at one of twelve crossing points, entry or exit,
    nationality the issuing state (95 %). Natural keys are unique (timestamps strictly
    increase), so every line is stored once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from passerelle.store.audit import AuditTrail
from passerelle.store.crossing_batches import LoadedCrossing
from passerelle.store.crossings import CrossingRegistry
from passerelle.store.db import Database
from store_load import (
    Backend,
    Batch,
    Row,
    _parsed,
    _sltd_number,
    _state,
    _stored_time,
    batched,
    compare_with_peer,
    passerelle_load,
)

TARGET_SQLITE = 50_000.0  # crossings/s, the target
RELOAD = 50_000
"""Lines loaded a second time (all already stored) to time the duplicate check alone."""
POINTS = (
    "TNG-MED", "BAB-SEBTA", "BENI-ENSAR", "CMN-AIRPORT", "RAK-AIRPORT", "RBA-AIRPORT",
    "FEZ-AIRPORT", "AGA-AIRPORT", "OUJDA-ZOUJ", "GUERGUERAT", "NADOR-PORT", "TNG-AIRPORT",
)  # fmt: skip
FIRST = datetime(2024, 1, 1, tzinfo=UTC)
MEAN_GAP_S = 6
"""Seconds between two crossings on average: about 14,000 a day across the country's
points, so 10,000,000 crossings span two years and each day's counts share their keys."""
CROSSING_COLUMNS = (
    "issuing_state", "document_number", "nationality", "crossing_point", "direction", "at",
    "officer", "recorded_at",
)  # fmt: skip


def generate_crossings(path: Path, count: int, rng: random.Random) -> dict[str, Any]:
    """Write ``count`` crossing lines in time order; return some stats."""
    documents = [(_state(rng), _sltd_number(rng)) for _ in range(max(1, count // 4))]
    step = 2 * MEAN_GAP_S
    at = FIRST
    with path.open("wb") as handle:
        lines: list[bytes] = []
        for i in range(count):
            state, number = rng.choice(documents)
            point = rng.choice(POINTS)
            at += timedelta(seconds=rng.randrange(1, step))
            lines.append(
                orjson.dumps(
                    {
                        "id": f"{point}-{i:09d}",
                        "issuing_state": state,
                        "document_number": number,
                        "nationality": state if rng.random() < 0.95 else _state(rng),
                        "crossing_point": point,
                        "direction": "entry" if rng.random() < 0.5 else "exit",
                        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "officer": f"officer.{rng.randrange(400):03d}",
                    }
                )
            )
            if len(lines) >= 10_000:
                handle.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            handle.write(b"\n".join(lines) + b"\n")
    return {
        "crossings": count,
        "documents": len(documents),
        "bytes": path.stat().st_size,
        "last_at": at.isoformat(),
    }


def crossing_batches(path: Path, batch: int, sqlite: bool) -> list[Batch]:
    """The file's crossings as the table stores them, parsed by Passerelle (untimed)."""
    return batched(_crossing_rows(path, sqlite), batch)


def _crossing_rows(path: Path, sqlite: bool) -> Iterator[Row]:
    now = _stored_time(datetime.now(UTC), sqlite)
    marked = "" if sqlite else "+00"  # the parser's UTC text, for COPY marked UTC
    entry: LoadedCrossing
    for entry in _parsed(path, CrossingRegistry()):
        yield (*entry[:5], entry[5] + marked, entry[6], now)


def window_rates(marks: list[tuple[int, float]], total: int) -> dict[str, Any]:
    """Lines per second over the first and the last window of the load.

    ``marks`` are (lines committed, seconds since the start) after each batch; the window
    is 1,000,000 lines from 5,000,000 on, else 10 % of the file (whole batches).
    """
    window = 1_000_000 if total >= 5_000_000 else max(1, total // 10)
    first = next(((n, t) for n, t in marks if n >= window), marks[-1])
    last_start = max(((n, t) for n, t in marks if n <= total - window), default=(0, 0.0))
    end_n, end_t = marks[-1]
    first_rate = first[0] / first[1] if first[1] else 0.0
    span = end_t - last_start[1]
    last_rate = (end_n - last_start[0]) / span if span else 0.0
    return {
        "window_lines": window,
        "first": {"lines": [0, first[0]], "records_per_s": round(first_rate, 1)},
        "last": {"lines": [last_start[0], end_n], "records_per_s": round(last_rate, 1)},
        "last_over_first": round(last_rate / first_rate, 3) if first_rate else None,
    }


def measure_crossings(
    backend: Backend,
    database: Database,
    audit: AuditTrail,
    path: Path,
    batch: int,
    problems: list[str],
) -> dict[str, Any]:
    """Load the file, then reload its head; the peer loads it into its own database."""
    load = passerelle_load(database, audit, CrossingRegistry(), path, batch)
    seconds, report = load.seconds, load.report
    if report.rejected or report.accepted != report.lines:
        problems.append(
            f"{backend.name} crossings: {report.lines} lines, {report.accepted} stored, "
            f"{report.unchanged} unchanged, {report.rejected} rejected "
            f"(first: {report.rejections[:3]})"
        )
    head = path.with_name("crossings-head.jsonl")
    with path.open("rb") as source, head.open("wb") as target:
        for i, raw in enumerate(source):
            if i >= RELOAD:
                break
            target.write(raw)
    reload = passerelle_load(database, audit, CrossingRegistry(), head, batch)
    reload_seconds, again = reload.seconds, reload.report
    if again.unchanged != again.lines or again.accepted:
        problems.append(
            f"{backend.name} crossings reload: {again.lines} lines, {again.accepted} stored "
            f"again (all {again.lines} should be unchanged)"
        )
    tables = (("crossings", CROSSING_COLUMNS),)
    batches = crossing_batches(path, batch, backend.sqlite)
    records, peer_seconds, counts = compare_with_peer(backend, database, tables, batches, problems)
    mine = counts["crossings"]
    rate, peer_rate = report.lines / seconds, records / peer_seconds
    target = TARGET_SQLITE if backend.sqlite else None
    return {
        "records": report.lines,
        "rows": mine,
        "passerelle": {"seconds": round(seconds, 3), "records_per_s": round(rate, 1)},
        "cpu": {
            "writer_cpu_s": load.writer_cpu_s,
            "parser_cpu_s": load.parser_cpu_s,
            "records_per_writer_cpu_s": round(report.lines / max(load.writer_cpu_s, 1e-9), 1),
        },
        "windows": window_rates(load.marks, report.lines),
        "reload": {
            "lines": again.lines,
            "unchanged": again.unchanged,
            "seconds": round(reload_seconds, 3),
            "records_per_s": round(again.lines / reload_seconds, 1),
        },
        "peer": {"seconds": round(peer_seconds, 3), "records_per_s": round(peer_rate, 1)},
        "ratio": round(rate / peer_rate, 3),
        "target_records_per_s": target,
        "target_met": None if target is None else rate >= target,
    }


def print_crossings(backends: dict[str, Any]) -> None:
    """The crossings part of the report."""
    rows = [(name, b["crossings"]) for name, b in backends.items() if "crossings" in b]
    if not rows:
        return
    print()
    print("  crossing loads (records/s; Passerelle: load_file end to end, the rate over the")
    print("  first and the last window of the file; peer: raw INSERT/COPY, no duplicate check)")
    print(
        f"  {'backend':<12}{'records':>11}{'whole':>10}{'first':>10}{'last':>10}{'last÷1st':>10}"
        f"{'reload':>10}{'peer':>10}{'ratio':>8}   target"
    )
    for name, x in rows:
        w = x["windows"]
        target = (
            f"≥ {x['target_records_per_s']:,.0f}/s: {'met' if x['target_met'] else 'NOT met'}"
            if x["target_records_per_s"]
            else "—"
        )
        print(
            f"  {name:<12}{x['records']:>11,}{x['passerelle']['records_per_s']:>10,.0f}"
            f"{w['first']['records_per_s']:>10,.0f}{w['last']['records_per_s']:>10,.0f}"
            f"{w['last_over_first'] or 0:>9.2f}×{x['reload']['records_per_s']:>10,.0f}"
            f"{x['peer']['records_per_s']:>10,.0f}{x['ratio']:>7.2f}×   {target}"
        )
    name, x = rows[0]
    print(
        f"  windows: {x['windows']['window_lines']:,} lines; reload: the file's first "
        f"{x['reload']['lines']:,} lines again, all counted unchanged"
    )
    print("  CPU of the whole load (a shared machine stretches wall time, not CPU time):")
    for name, x in rows:
        c = x["cpu"]
        print(
            f"  {name:<12}writer {c['writer_cpu_s']:,.1f} s "
            f"({c['records_per_writer_cpu_s']:,.0f} records per writer CPU-second), "
            f"parser {c['parser_cpu_s']:,.1f} s"
        )
