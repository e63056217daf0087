"""Name screening at national scale: index build, memory and query latency on one core.

What it measures
    ``passerelle.names.ScreeningIndex`` over ``--persons`` generated watchlist
    persons (default 1,000,000) drawn by ``bench/name_corpus.py`` with realistic
    name frequencies (Mohamed far ahead, a long tail), 30 % Arabic-origin (some
    with their Arabic-script form too), West African and European names, full,
    partial or missing birth dates. Generation is not timed.

    - build: ``ScreeningIndex.build`` wall time, and the memory it adds (resident
      set size before and after, from /proc/self/statm);
    - queries: ``--queries`` screenings (default 2,000), timed one by one with
      ``time.perf_counter_ns`` on one core (the process is pinned to CPU 0): half
      are listed persons' names respelled or reordered the way a passport shows
      them (MRZ form, swapped order, another convention drawn afresh), half are
      other travellers drawn from the same population (most of them with common
      names: the expensive case). p50, p99 and max.

The peer, in the same run
    The scan a screening engine without candidate retrieval makes: rapidfuzz
    ``process.extractOne`` with ``fuzz.token_sort_ratio`` over every listed name
    (unidecode-folded, lower case, prepared untimed), on the first
    ``--peer-queries`` queries (default 50: a scan of a million names takes a
    while). The ratio is the peer's mean latency divided by Passerelle's.

Targets (the project's issue)
    p99 ≤ 20 ms per query, build ≤ 120 s, memory ≤ 4 GiB. Reported, not enforced.

Run it
    .venv/bin/python bench/name_speed.py [--persons N] [--queries N] [--peer-queries N]
        [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rapidfuzz import fuzz, process
from unidecode import unidecode

import name_corpus
from passerelle.names import NameQuery, ScreenedPerson, ScreeningIndex


def resident_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def population(count: int, rng: random.Random) -> list[ScreenedPerson]:
    persons = []
    for number in range(count):
        drawn = name_corpus.draw_person(rng)
        persons.append(
            ScreenedPerson(
                f"P{number:07d}",
                tuple(drawn["names"]),  # type: ignore[arg-type]
                drawn["birth_date"],  # type: ignore[arg-type]
                tuple(drawn["nationalities"]),  # type: ignore[arg-type]
                drawn["sex"],  # type: ignore[arg-type]
            )
        )
    return persons


def mrz_form(name: str) -> str:
    """``Mohamed Ben Ali`` as an MRZ shows it: ``BEN<ALI<<MOHAMED`` (first word given)."""
    words = unidecode(name).upper().replace("-", " ").split()
    if len(words) < 2:
        return "<".join(words)
    return "<".join(words[1:]) + "<<" + words[0]


def queries(persons: list[ScreenedPerson], count: int, rng: random.Random) -> list[NameQuery]:
    asked: list[NameQuery] = []
    for number in range(count):
        if number % 2 == 0:
            person = rng.choice(persons)
            name = person.names[0]
            form = rng.random()
            if form < 0.3:
                name = mrz_form(name)
            elif form < 0.5:
                words = name.split()
                name = " ".join(words[1:] + words[:1])
            asked.append(NameQuery(name, person.birth_date, None, person.sex))
        else:
            drawn = name_corpus.draw_person(rng)
            names: list[str] = drawn["names"]  # type: ignore[assignment]
            asked.append(NameQuery(names[0], drawn["birth_date"], None, drawn["sex"]))  # type: ignore[arg-type]
    return asked


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    rng = random.Random(args.seed)
    started = time.perf_counter()
    persons = population(args.persons, rng)
    asked = queries(persons, args.queries, rng)
    generated = time.perf_counter() - started
    gc.collect()
    before = resident_mib()
    started = time.perf_counter()
    index = ScreeningIndex.build(persons)
    build_s = time.perf_counter() - started
    gc.collect()
    memory = resident_mib() - before
    gc.disable()
    for query in asked[:50]:  # warm-up, untimed
        index.screen(query)
    latencies = []
    for query in asked:
        start = time.perf_counter_ns()
        index.screen(query)
        latencies.append((time.perf_counter_ns() - start) / 1e6)
    gc.enable()
    compared = [len(index.candidates(query)) for query in asked]
    choices = [unidecode(person.names[0]).lower() for person in persons]
    peer_latencies = []
    for query in asked[: args.peer_queries]:
        start = time.perf_counter_ns()
        process.extractOne(
            unidecode(query.name).lower().replace("<", " "),
            choices,
            scorer=fuzz.token_sort_ratio,
        )
        peer_latencies.append((time.perf_counter_ns() - start) / 1e6)
    keys = index.key_counts()
    return {
        "persons": args.persons,
        "names": sum(len(person.names) for person in persons),
        "queries": len(asked),
        "generated_s": generated,
        "build_s": build_s,
        "memory_mib": memory,
        "keys": len(keys),
        "largest_key": keys.most_common(1)[0] if keys else None,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
        "compared_mean": statistics.fmean(compared),
        "compared_max": max(compared),
        "peer_queries": len(peer_latencies),
        "peer_mean_ms": statistics.fmean(peer_latencies) if peer_latencies else None,
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} CPUs, {platform.platform()}",
    }


def report(r: dict[str, Any]) -> None:
    print("Name screening at scale: Passerelle's index vs a full rapidfuzz scan (one core)")
    print(f"  Python {r['python']}; {r['machine']} (shared: absolute times are noisy)")
    print(
        f"  {r['persons']:,} persons ({r['names']:,} names, generated in "
        f"{r['generated_s']:.0f} s, untimed); {r['keys']:,} keys, the largest "
        f"{r['largest_key'][0]!r} with {r['largest_key'][1]:,} persons"
    )
    print(f"  build: {r['build_s']:.1f} s, memory +{r['memory_mib']:,.0f} MiB")
    print(
        f"  queries ({r['queries']:,}): p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
        f"max {r['max_ms']:.2f} ms, mean {r['mean_ms']:.2f} ms"
    )
    print(
        f"  persons compared in full per query: mean {r['compared_mean']:.1f}, "
        f"max {r['compared_max']} (of {r['persons']:,})"
    )
    if r["peer_mean_ms"]:
        ratio = r["peer_mean_ms"] / r["mean_ms"]
        print(
            f"  peer (rapidfuzz extractOne token_sort_ratio over every name, "
            f"{r['peer_queries']} queries): mean {r['peer_mean_ms']:.1f} ms → Passerelle "
            f"{ratio:.0f}× faster"
        )
    print("  targets:")
    for label, value, limit, unit in (
        ("p99 per query", r["p99_ms"], 20.0, "ms"),
        ("index build", r["build_s"], 120.0, "s"),
        ("memory", r["memory_mib"] / 1024, 4.0, "GiB"),
    ):
        verdict = "met" if value <= limit else "NOT met"
        print(f"    {label} ≤ {limit:g} {unit}: {value:.2f} {unit} → {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--peer-queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
