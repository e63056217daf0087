"""Networks: communities on a 1,000,000-edge co-travel graph, and co-travel edges from crossings.

What it measures
    Communities: ``passerelle.networks.analysis.detect_communities`` (igraph's Leiden, in C,
    constant Potts model at the parameters' resolution, weighted, iterated until stable,
    seeded: what the networks page runs) on a generated co-travel graph of ``--edges``
    edges (default 1,000,000): travellers in planted groups of 4 to 12 who all crossed
    together (every pair of a group linked, weight = occasions), and ``--noise`` of the
    edges between travellers of different groups (chance co-travels at the threshold, 3
    occasions). Reported: seconds, the communities found, the share of planted groups
    found exactly, and the normalised mutual information (NMI) with the planted groups.
    Building the igraph graph is timed apart.

    Co-travel edges: ``passerelle.networks.pairing.pair_within`` (DuckDB, fed an Arrow
    table: a hash join on the crossing point, the direction and a time bucket as wide as the
    window, then the pairs met at least ``--at-least`` times) on ``--crossings`` generated
    crossings (default 1,000,000) over 90 days at 6 points: travellers on their own, and
    planted groups crossing together a few minutes apart several times.

The peers, measured in the same run on the same data
    Communities: networkx's ``louvain_communities`` (weighted, seeded) on the same graph,
    and, informative, igraph's own ``community_multilevel`` (Louvain in C) and ``leidenalg``'s
    ``CPMVertexPartition`` (the same model through the leidenalg package, which the first
    version of the page used).
    Co-travel edges: the same pairing done in SQLite (in memory, an index on ``(group, t)``,
    a self-join on the group with the time range, GROUP BY the pair): the in-database way
    the node's store could do it. Both must find the same pairs (else exit 1).
    Ratios are Passerelle's seconds ÷ the peer's: under 1, Passerelle is faster.

Targets (issue 20)
    Community detection on 1,000,000 edges ≤ 60 s. Reported, not enforced: the exit code is
    1 only when the two pairings disagree.

Run it
    .venv/bin/python bench/networks.py [--quick] [--edges N] [--crossings N] [--no-networkx]
        [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import igraph
import leidenalg
import numpy as np

from passerelle.networks.analysis import detect_communities
from passerelle.networks.pairing import TimedRecords, pair_within
from passerelle.networks.parameters import default_parameters

T = TypeVar("T")
TARGET_COMMUNITIES_S = 60.0
POINTS = ("TNG-MED", "CMN-T1", "RAK-MEN", "BAB-SEBTA", "NDR-BNI", "OUJ-ZKH")
DAYS = 90


def timed(work: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = work()
    return out, time.perf_counter() - start


# --------------------------------------------------------------------------- communities


def planted_graph(
    edges: int, noise: float, seed: int
) -> tuple[list[tuple[int, int]], list[float], list[int]]:
    """Groups of 4-12 travellers, every pair linked, until ``edges * (1 - noise)`` edges;
    then random edges between groups. Returns edges, weights and each vertex's group."""
    rng = np.random.default_rng(seed)
    pairs: list[tuple[int, int]] = []
    weights: list[float] = []
    group_of: list[int] = []
    inside = int(edges * (1 - noise))
    group = 0
    while len(pairs) < inside:
        size = int(rng.integers(4, 13))
        first = len(group_of)
        group_of.extend([group] * size)
        occasions = rng.integers(3, 9, size=size * (size - 1) // 2)
        k = 0
        for a in range(first, first + size):
            for b in range(a + 1, first + size):
                pairs.append((a, b))
                weights.append(float(occasions[k]))
                k += 1
        group += 1
    persons = len(group_of)
    seen = set(pairs)
    while len(pairs) < edges:
        a, b = (int(x) for x in rng.integers(0, persons, size=2))
        if a != b and group_of[a] != group_of[b]:
            pair = (min(a, b), max(a, b))
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
                weights.append(3.0)  # a chance link passes the threshold: 3 occasions
    return pairs[:edges], weights[:edges], group_of


def exact_share(found: list[int], planted: list[int]) -> float:
    """The share of planted groups found as exactly one community."""
    by_found: dict[int, set[int]] = {}
    by_planted: dict[int, set[int]] = {}
    for vertex, (f, p) in enumerate(zip(found, planted, strict=True)):
        by_found.setdefault(f, set()).add(vertex)
        by_planted.setdefault(p, set()).add(vertex)
    exact = {frozenset(members) for members in by_found.values()}
    return sum(frozenset(m) in exact for m in by_planted.values()) / len(by_planted)


def bench_communities(edges: int, noise: float, seed: int, with_networkx: bool) -> dict[str, Any]:
    pairs, weights, planted = planted_graph(edges, noise, seed)
    parameters = default_parameters()

    def build() -> igraph.Graph:
        graph = igraph.Graph(n=len(planted), edges=pairs, directed=False)
        graph.es["weight"] = weights
        return graph

    graph, build_s = timed(build)
    found, leiden_s = timed(
        lambda: detect_communities(graph, seed=parameters.seed, resolution=parameters.resolution)
    )
    result: dict[str, Any] = {
        "persons": len(planted),
        "edges": graph.ecount(),
        "planted_groups": len(set(planted)),
        "graph_build_s": round(build_s, 2),
        "passerelle_leiden": {
            "seconds": round(leiden_s, 2),
            "communities": len(set(found)),
            "exact_groups": round(exact_share(found, planted), 4),
            "nmi": round(igraph.compare_communities(found, planted, method="nmi"), 4),
        },
    }
    multilevel, multilevel_s = timed(lambda: graph.community_multilevel(weights="weight"))
    result["igraph_multilevel"] = {
        "seconds": round(multilevel_s, 2),
        "communities": len(multilevel),
        "exact_groups": round(exact_share(multilevel.membership, planted), 4),
        "nmi": round(igraph.compare_communities(multilevel.membership, planted, method="nmi"), 4),
    }
    partition, leidenalg_s = timed(
        lambda: leidenalg.find_partition(
            graph,
            leidenalg.CPMVertexPartition,
            weights="weight",
            resolution_parameter=parameters.resolution,
            seed=seed,
        )
    )
    result["leidenalg_cpm"] = {
        "seconds": round(leidenalg_s, 2),
        "communities": len(partition),
        "exact_groups": round(exact_share(partition.membership, planted), 4),
        "nmi": round(igraph.compare_communities(partition.membership, planted, method="nmi"), 4),
    }
    if with_networkx:
        try:
            import networkx as nx
        except ImportError:
            result["networkx_louvain"] = "not installed"
        else:
            nx_graph = nx.Graph()
            nx_graph.add_weighted_edges_from(
                (a, b, w) for (a, b), w in zip(pairs, weights, strict=True)
            )
            sets, nx_s = timed(
                lambda: nx.community.louvain_communities(nx_graph, weight="weight", seed=seed)
            )
            membership = [0] * len(planted)
            for number, members in enumerate(sets):
                for vertex in members:
                    membership[vertex] = number
            result["networkx_louvain"] = {
                "seconds": round(nx_s, 2),
                "communities": len(sets),
                "exact_groups": round(exact_share(membership, planted), 4),
                "nmi": round(igraph.compare_communities(membership, planted, method="nmi"), 4),
            }
            result["ratio_vs_networkx"] = round(leiden_s / nx_s, 4)
    result["ratio_vs_igraph_multilevel"] = round(leiden_s / multilevel_s, 2)
    result["target_s"] = TARGET_COMMUNITIES_S
    result["meets_target"] = leiden_s <= TARGET_COMMUNITIES_S
    return result


# --------------------------------------------------------------------------- co-travel


def crossings(count: int, seed: int) -> TimedRecords:
    """``count`` crossings: 90 % travellers alone, 10 % planted groups of 3-6 crossing
    together (a few minutes apart) on 3-8 occasions."""
    rng = np.random.default_rng(seed)
    records = TimedRecords()
    span = DAYS * 86_400
    number = 0
    person = 0
    alone = int(count * 0.9)
    points = rng.integers(0, len(POINTS), size=alone)
    ways = rng.integers(0, 2, size=alone)
    times = rng.integers(0, span, size=alone)
    for n in range(alone):
        records.add(
            person=f"doc:MAR:A{person:08d}",
            group=f"{POINTS[points[n]]}|{'entry' if ways[n] else 'exit'}",
            at=int(times[n]),
            id=f"c{number}",
        )
        number += 1
        person += 1 if rng.random() < 0.5 else 0  # about two crossings per traveller
    while number < count:
        size, occasions = int(rng.integers(3, 7)), int(rng.integers(3, 9))
        members = [f"doc:MAR:G{person + k:08d}" for k in range(size)]
        person += size
        for _ in range(occasions):
            group = f"{POINTS[int(rng.integers(0, len(POINTS)))]}|exit"
            start = int(rng.integers(0, span))
            for k, member in enumerate(members):
                records.add(person=member, group=group, at=start + 120 * k, id=f"c{number}")
                number += 1
    return records


_SQLITE_PAIRS = """
SELECT CASE WHEN a.person < b.person THEN a.person ELSE b.person END AS p1,
       CASE WHEN a.person < b.person THEN b.person ELSE a.person END AS p2,
       count(DISTINCT CASE WHEN a.person < b.person THEN a.rid ELSE b.rid END)
FROM r AS a JOIN r AS b ON b.grp = a.grp AND b.t BETWEEN a.t - ? AND a.t + ?
WHERE a.rid < b.rid AND a.person <> b.person
GROUP BY p1, p2 HAVING count(DISTINCT CASE WHEN a.person < b.person THEN a.rid ELSE b.rid END) >= ?
"""


def sqlite_pairs(records: TimedRecords, window_s: int, at_least: int) -> set[tuple[str, str, int]]:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE r (person TEXT, grp TEXT, t INTEGER, rid TEXT)")
    connection.executemany(
        "INSERT INTO r VALUES (?, ?, ?, ?)",
        zip(records.persons, records.groups, records.times, records.ids, strict=True),
    )
    connection.execute("CREATE INDEX r_grp_t ON r (grp, t)")
    rows = connection.execute(_SQLITE_PAIRS, (window_s, window_s, at_least)).fetchall()
    connection.close()
    return {(a, b, int(n)) for a, b, n in rows}


def bench_co_travel(count: int, seed: int) -> tuple[dict[str, Any], bool]:
    parameters = default_parameters()
    window_s, at_least = parameters.time_window_minutes * 60, parameters.time_min_occasions
    records = crossings(count, seed)
    found, duck_s = timed(lambda: list(pair_within(records, window_s=window_s, at_least=at_least)))
    peer, sqlite_s = timed(lambda: sqlite_pairs(records, window_s, at_least))
    ours = {(p.first, p.second, p.occasions) for p in found}
    agree = ours == peer
    return {
        "crossings": len(records),
        "window_minutes": parameters.time_window_minutes,
        "at_least": at_least,
        "pairs": len(ours),
        "passerelle_duckdb_s": round(duck_s, 2),
        "crossings_per_s": round(len(records) / duck_s),
        "sqlite_self_join_s": round(sqlite_s, 2),
        "ratio_vs_sqlite": round(duck_s / sqlite_s, 4),
        "same_pairs": agree,
    }, agree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 edges and crossings")
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--noise", type=float, default=0.1)
    parser.add_argument("--crossings", type=int, default=1_000_000)
    parser.add_argument("--no-networkx", action="store_true", help="skip the slowest peer")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    edges = 100_000 if args.quick else args.edges
    count = 100_000 if args.quick else args.crossings
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    communities = bench_communities(edges, args.noise, args.seed, not args.no_networkx)
    co_travel, agree = bench_co_travel(count, args.seed)
    report = {"machine": machine, "communities": communities, "co_travel": co_travel}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"networks benchmark: {machine['cpus']} CPUs, {machine['platform']}")
        for section, figures in (("communities", communities), ("co-travel edges", co_travel)):
            print(f"\n{section}")
            for key, value in figures.items():
                print(f"  {key}: {value}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
