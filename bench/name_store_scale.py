"""``name_speed.py --size N``: the watchlist index built from PostgreSQL and loaded from its cache.

Phases, each in a process of its own (so that each one's peak memory is its own):

- fill: a database is created on ``--postgres`` and migrated; ``N`` persons drawn by
  ``bench/name_corpus.py`` are streamed into ``watchlist_persons`` with ``COPY``
  (nothing held: a chunk at a time), and every ``N // queries``-th person's identity
  kept for the planted queries;
- build (the peer: a host with no cache): ``StoreWatchlist`` reads the persons from
  the store (a server-side cursor) and builds the index, then saves it in the cache
  folder; wall and CPU time, peak resident memory, resident memory after, cache size;
- start: a fresh process loads the index from the cache (a host's start-up), then
  screens the queries (half planted variants, half other travellers): p50/p99, and
  recall@10 of the planted ones.

The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

import name_corpus
import name_speed
from passerelle.lists.index_cache import IndexCache
from passerelle.lists.watchlist import StoreWatchlist, WatchlistPatching
from passerelle.names import NameQuery
from passerelle.node import Node
from passerelle.store.db import Database

TODAY = date(2026, 6, 1)
_COLUMNS = (
    "id, names, birth_date, birth_year, nationalities, sex, category, issued_by, status,"
    " content_hash, created_at, updated_at, shareable"
)


def _resident_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(count: int, seed: int, every: int, kept: list[Any]) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(seed)
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(count):
        drawn = name_corpus.draw_person(rng)
        person_id = f"P{number:08d}"
        if number % every == 0:
            kept.append((person_id, drawn["identity"]))
        born = drawn["birth_date"]
        yield (
            person_id,
            json.dumps(drawn["names"], ensure_ascii=False),
            born,
            int(born[:4]) if born else None,  # type: ignore[index]
            json.dumps(drawn["nationalities"]),
            drawn["sex"],
            "wanted",
            "MAR",
            "active",
            "0" * 64,
            stamp,
            stamp,
            True,
        )


def fill(url: str, count: int, seed: int, queries: int, folder: Path) -> dict[str, Any]:
    database = Database(url)
    database.upgrade()
    database.dispose()
    kept: list[Any] = []
    started, cpu = time.perf_counter(), time.process_time()
    engine = create_engine(url)
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor().copy(f"COPY watchlist_persons ({_COLUMNS}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in _rows(count, seed, max(count // queries, 1), kept):
                copy.write_row(row)
    engine.dispose()
    (folder / "kept.pickle").write_bytes(pickle.dumps(kept))
    return {"fill_s": time.perf_counter() - started, "fill_cpu_s": time.process_time() - cpu}


def _watchlist(url: str, folder: Path) -> tuple[StoreWatchlist, Node]:
    # the watchlist reads a node's database and clock only
    node = cast(
        Node,
        SimpleNamespace(database=Database(url), clock=lambda: datetime(2026, 6, 1, 12, tzinfo=UTC)),
    )
    cache = IndexCache(folder / "cache")
    return StoreWatchlist(node, max_age_s=None, cache=cache, patching=WatchlistPatching()), node


def build(url: str, folder: Path) -> dict[str, Any]:
    watchlist, _ = _watchlist(url, folder)
    before = _resident_mib()
    started, cpu = time.perf_counter(), time.process_time()
    watchlist.refresh()
    (saved,) = (folder / "cache").glob("watchlist-index-*.index")
    return {
        "build_s": time.perf_counter() - started,
        "build_cpu_s": time.process_time() - cpu,
        "build_peak_mib": _peak_mib(),
        "built_mib": _resident_mib() - before,
        "cache_mib": saved.stat().st_size / 2**20,
    }


def start(url: str, folder: Path, seed: int) -> dict[str, Any]:
    watchlist, _ = _watchlist(url, folder)
    before = _resident_mib()
    started, cpu = time.perf_counter(), time.process_time()
    watchlist.refresh()  # finds the saved index for the store's state
    start_s, start_cpu = time.perf_counter() - started, time.process_time() - cpu
    loaded = _resident_mib() - before
    kept = pickle.loads((folder / "kept.pickle").read_bytes())
    rng = random.Random(seed + 1)
    asked: list[tuple[NameQuery, str | None]] = []
    for person_id, identity in kept:
        born = identity.birth_date.isoformat()
        name = name_speed.planted_name(identity, rng)
        asked.append((NameQuery(name, born, identity.nationality, identity.sex), person_id))
        other = name_corpus.draw_identity(rng)
        asked.append(
            (NameQuery(other.latin, other.birth_date.isoformat(), other.nationality, None), None)
        )
    for query, _ in asked[:20]:
        watchlist.screen(query)  # warm-up (first touches of the mapped pages)
    latencies, found = [], 0
    for query, expected in asked:
        at = time.perf_counter_ns()
        matches = watchlist.screen(query)
        latencies.append((time.perf_counter_ns() - at) / 1e6)
        found += expected is not None and expected in [m.id for m in matches]
    return {
        "start_s": start_s,
        "start_cpu_s": start_cpu,
        "start_mib": loaded,
        "queries": len(latencies),
        "p50_ms": name_speed.percentile(latencies, 50),
        "p99_ms": name_speed.percentile(latencies, 99),
        "planted_at_10": found / max(len(kept), 1),
    }


def _phase(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(size: int, admin_url: str, queries: int, seed: int) -> dict[str, Any]:
    """All phases against a database created (and dropped) on ``admin_url``."""
    name = f"bench_names_{secrets.token_hex(3)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory() as folder:
            common = ["--url", url, "--folder", folder, "--seed", str(seed)]
            out = {"size": size, "load": _load()}
            out |= _phase(["fill", *common, "--size", str(size), "--queries", str(queries)])
            out |= _phase(["build", *common])
            out |= _phase(["start", *common])
            out["load_after"] = _load()
            return out
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def report(r: dict[str, Any]) -> None:
    print(f"Watchlist of {r['size']:,} persons in PostgreSQL (load average {r['load']})")
    print(f"  fill (COPY, generated): {r['fill_s']:.0f} s wall, {r['fill_cpu_s']:.0f} s CPU")
    print(
        f"  peer — start-up without a cache (build from the store, then save): "
        f"{r['build_s']:.1f} s wall, {r['build_cpu_s']:.1f} s CPU; peak memory "
        f"{r['build_peak_mib']:,.0f} MiB, index {r['built_mib']:,.0f} MiB; cache file "
        f"{r['cache_mib']:,.0f} MiB"
    )
    ratio = r["build_s"] / max(r["start_s"], 1e-9)
    print(
        f"  start-up from the cache: {r['start_s']:.1f} s wall, {r['start_cpu_s']:.1f} s CPU, "
        f"+{r['start_mib']:,.0f} MiB resident → {ratio:.0f}× faster than the peer"
    )
    print(
        f"  queries ({r['queries']}): p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms; "
        f"planted found in the top 10: {r['planted_at_10']:.3f}"
    )
    print(f"  load average after: {r['load_after']}")
    verdict = "met" if r["start_s"] <= 30 else "NOT met"
    print(f"  target start-up from the cache ≤ 30 s: {r['start_s']:.1f} s → {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["fill", "build", "start"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=9303)
    args = parser.parse_args()
    if args.phase == "fill":
        out = fill(args.url, args.size, args.seed, args.queries // 2, args.folder)
    elif args.phase == "build":
        out = build(args.url, args.folder)
    else:
        out = start(args.url, args.folder, args.seed)
    print(json.dumps(out))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
