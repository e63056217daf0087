"""A person listed at host B, screened at host A: how long, and what the patch costs.

``python bench/watchlist_patch.py --size N`` (PostgreSQL at ``--postgres``):

- ``N`` generated persons are copied into a new database (``name_store_scale.fill``);
- host A's ``StoreWatchlist`` builds its base index from the store: the peer, what
  every change cost before patching (a full rebuild), wall and CPU;
- host B (its own engine on the same database) lists a person; A screens that
  person every 10 ms while its 1-second check runs: the time from B's commit to A's
  first answer naming them (``--listings`` times), and the CPU of one patch;
- B lists ``--delta`` more persons; A's per-query CPU screening the planted
  queries with the base alone and with base + a delta of that size.

Prints the ratios against the peer and the absolute figures, with the load average
(the machine is shared: CPU times are the figures to compare). The database is
dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

import name_corpus
import name_store_scale
from passerelle.lists.watchlist import StoreWatchlist, WatchlistPatching
from passerelle.names import NameQuery
from passerelle.node import Node
from passerelle.store.db import Database
from passerelle.store.watchlist import WatchlistRegistry

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
REGISTRY = WatchlistRegistry()


def _host(url: str) -> Node:
    # the watchlist reads a node's database and clock only
    return cast(Node, SimpleNamespace(database=Database(url), clock=lambda: NOW))


def _listed(number: int, rng: random.Random) -> tuple[dict[str, Any], NameQuery]:
    drawn = name_corpus.draw_person(rng)
    record = {
        "id": f"B{number:08d}",
        "names": drawn["names"],
        "birth_date": drawn["birth_date"],
        "nationalities": drawn["nationalities"],
        "sex": drawn["sex"],
        "category": "wanted",
        "issued_by": "MAR",
        "valid_until": None,
    }
    names = cast(list[str], drawn["names"])
    born = cast(str | None, drawn["birth_date"])
    return record, NameQuery(names[0], born, cast(list[str], drawn["nationalities"])[0])


def _list(host: Node, records: list[dict[str, Any]]) -> None:
    with host.database.write() as session:
        for record in records:
            REGISTRY.add(session, REGISTRY.parse(record), NOW)


def _per_query_cpu_ms(watchlist: StoreWatchlist, queries: list[NameQuery]) -> float:
    for query in queries[:20]:
        watchlist.screen(query)
    cpu = time.process_time()
    for query in queries:
        watchlist.screen(query)
    return (time.process_time() - cpu) / len(queries) * 1000


def run(url: str, size: int, listings: int, delta: int, seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {"size": size, "load": os.getloadavg()}
    with tempfile.TemporaryDirectory() as folder:
        out |= name_store_scale.fill(url, size, seed, 200, Path(folder))
    a, b = _host(url), _host(url)
    patching = WatchlistPatching(share=1.0, most=max(delta * 2, 1000))
    watchlist = StoreWatchlist(a, max_age_s=1.0, patching=patching)
    started, cpu = time.perf_counter(), time.process_time()
    watchlist.refresh()
    out["build_s"], out["build_cpu_s"] = time.perf_counter() - started, time.process_time() - cpu
    rng = random.Random(seed + 7)
    queries = [_listed(10_000_000 + n, rng)[1] for n in range(300)]
    out["query_base_cpu_ms"] = _per_query_cpu_ms(watchlist, queries)

    waits: list[float] = []
    for number in range(listings):
        record, query = _listed(number, rng)
        _list(b, [record])
        listed_at = time.perf_counter()
        while record["id"] not in [m.id for m in watchlist.screen(query, threshold=0.5)]:
            assert time.perf_counter() - listed_at < 120, "never screened"
            time.sleep(0.01)
        waits.append(time.perf_counter() - listed_at)
    out["listed_to_screened_s"] = waits
    assert watchlist.builds == 1, "the base was rebuilt"

    record, _ = _listed(listings, rng)
    _list(b, [record])
    cpu = time.process_time()
    watchlist.refresh()  # one patch, in this thread
    out["patch_cpu_s"] = time.process_time() - cpu

    _list(b, [_listed(listings + 1 + n, rng)[0] for n in range(delta)])
    cpu = time.process_time()
    watchlist.refresh()
    out["patch_delta_cpu_s"] = time.process_time() - cpu
    out["delta_persons"] = watchlist.delta_persons()
    out["query_patched_cpu_ms"] = _per_query_cpu_ms(watchlist, queries)
    out["load_after"] = os.getloadavg()
    return out


def report(r: dict[str, Any]) -> None:
    load = ", ".join(f"{x:.1f}" for x in r["load"])
    print(f"Watchlist of {r['size']:,} persons in PostgreSQL (load average {load})")
    print(f"  peer — a full rebuild: {r['build_s']:.1f} s wall, {r['build_cpu_s']:.1f} s CPU")
    waits = r["listed_to_screened_s"]
    print(
        f"  listed at B → screened at A ({len(waits)} persons, 1 s checks): median "
        f"{statistics.median(waits):.2f} s, max {max(waits):.2f} s → "
        f"{r['build_s'] / max(max(waits), 1e-9):.0f}× sooner than the rebuild alone"
    )
    print(
        f"  one patch (a person written): {r['patch_cpu_s'] * 1000:.0f} ms CPU; with "
        f"{r['delta_persons']:,} persons written since the base: "
        f"{r['patch_delta_cpu_s'] * 1000:.0f} ms CPU "
        f"({r['build_cpu_s'] / max(r['patch_delta_cpu_s'], 1e-9):.0f}× less than the rebuild)"
    )
    extra = r["query_patched_cpu_ms"] - r["query_base_cpu_ms"]
    print(
        f"  per query: base {r['query_base_cpu_ms']:.2f} ms CPU, base + delta "
        f"{r['query_patched_cpu_ms']:.2f} ms CPU (the delta: {extra:+.2f} ms, "
        f"{r['query_patched_cpu_ms'] / max(r['query_base_cpu_ms'], 1e-9):.2f}×)"
    )
    print("  load average after: " + ", ".join(f"{x:.1f}" for x in r["load_after"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--listings", type=int, default=5)
    parser.add_argument("--delta", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    name = f"bench_patch_{secrets.token_hex(3)}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    try:
        report(run(url, args.size, args.listings, args.delta, args.seed))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
