"""SLTD at scale for ``store_load.py``: a streaming COPY peer, rates by window, sizes,
server-side look-up times.

At 10,000,000 records and more the peer's rows no longer fit in memory as tuples (10
million: ~4 GiB), so on PostgreSQL the SLTD peer reads a file of ready ``COPY`` text
(written untimed, the same rows Passerelle stores) and streams it, ``--batch`` lines per
transaction, into the schema as migrated (both indexes kept up to date row by row: the
bare minimum a client can do on that schema).

``window_rates`` gives the load's rate over the first and the last 10 % of the lines
(from the loader's progress calls, one per committed batch); ``table_sizes`` the heap and
each index; ``server_lookup_times`` the ``Execution Time`` of ``EXPLAIN (ANALYZE)`` for
a sample of look-ups: what PostgreSQL spends, without the client, the network or a
shared machine's scheduling.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg

from passerelle.store.sltd import SltdRegistry
from passerelle.store.sltd_rows import COPY_COLUMNS, copy_block


def write_peer_rows(source: Path, target: Path) -> int:
    """The SLTD file's rows as COPY text (parsed by Passerelle, untimed); the row count."""
    registry = SltdRegistry()
    stamp = datetime.now(UTC)
    count = 0
    with source.open("rb") as lines, target.open("wb") as out:
        while chunk := lines.readlines(1 << 24):
            entries = [registry.parse(orjson.loads(raw)) for raw in chunk if raw.strip()]
            out.write(copy_block(registry.pack(entries), stamp))
            count += len(entries)
    return count


def peer_copy_file(conninfo: str, rows: Path, batch: int) -> float:
    """Stream ``rows`` into ``sltd_records``, ``batch`` lines per transaction; seconds."""
    statement = f"COPY sltd_records ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    with psycopg.connect(conninfo) as connection, rows.open("rb") as handle:
        start = time.perf_counter()
        while block := handle.readlines(batch * 80):  # ~batch lines (~90 bytes each)
            with connection.cursor() as cursor, cursor.copy(statement) as copy:
                copy.write(b"".join(block))
            connection.commit()
        return time.perf_counter() - start


def window_rates(marks: Sequence[tuple[int, float]], lines: int) -> dict[str, float | None]:
    """Records/s over the first and the last 10 % of ``lines`` from (lines done, seconds)
    marks (one per committed batch, starting with (0, 0))."""
    tenth = max(1, lines // 10)

    def rate(low: int, high: int) -> float | None:
        inside = [m for m in marks if low <= m[0] <= high]
        if len(inside) < 2 or inside[-1][1] == inside[0][1]:
            return None
        return round((inside[-1][0] - inside[0][0]) / (inside[-1][1] - inside[0][1]), 1)

    before_last = max((m for m in marks if m[0] <= lines - tenth), default=(0, 0.0))
    return {
        "first_10pct_per_s": rate(0, tenth + lines // 100),
        "last_10pct_per_s": rate(before_last[0], lines),
    }


def table_sizes(conninfo: str) -> dict[str, int]:
    """Bytes of ``sltd_records``' heap (with TOAST) and of each of its indexes."""
    with psycopg.connect(conninfo, autocommit=True) as connection:
        sizes = {"heap": _one(connection, "SELECT pg_table_size('sltd_records')")}
        for (name,) in connection.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'sltd_records' ORDER BY 1"
        ).fetchall():
            sizes[name] = _one(connection, f"SELECT pg_relation_size('{name}')")
        return sizes


def _one(connection: psycopg.Connection[Any], sql: str) -> int:
    row = connection.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def server_lookup_times(
    conninfo: str, sql: str, params: Sequence[tuple[str, str]]
) -> dict[str, float]:
    """p50/p99/max of PostgreSQL's own ``Execution Time`` (µs) for ``sql`` with each of
    ``params`` (``EXPLAIN (ANALYZE, FORMAT JSON)``), and the planning time's p50."""
    runs: list[float] = []
    planning: list[float] = []
    with psycopg.connect(conninfo, autocommit=True) as connection:
        for values in params:
            row = connection.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, values).fetchone()
            assert row is not None
            plan = row[0][0]
            runs.append(plan["Execution Time"] * 1000)
            planning.append(plan["Planning Time"] * 1000)
    runs.sort()
    planning.sort()

    def rank(values: list[float], p: float) -> float:
        return round(values[max(0, math.ceil(p / 100 * len(values)) - 1)], 1)

    return {
        "samples": len(runs),
        "execution_p50_us": rank(runs, 50),
        "execution_p99_us": rank(runs, 99),
        "execution_max_us": round(runs[-1], 1),
        "planning_p50_us": rank(planning, 50),
    }
