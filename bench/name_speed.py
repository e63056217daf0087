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
      are planted variants, listed persons' names spelled afresh in a convention
      someone would plausibly use and written the way a passport or an officer
      shows them (MRZ form, family name first, as written), half are other
      travellers drawn from the same population (most of them with common
      names: the expensive case). ``--no-birth-date`` of them (default 15 %)
      carry no birth date, the rest the person's full one. p50, p99 and max;
    - recall of the planted variants, with and without a birth date: the listed
      person first (recall@1), first or tied on score with the first (namesakes
      born the same year whom nothing else tells apart), in the top 10.

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
        [--seed S] [--no-birth-date SHARE] [--json]
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rapidfuzz import fuzz, process
from unidecode import unidecode

import name_corpus
import name_eval_data
from passerelle.names import NameMatch, NameQuery, ScreenedPerson, ScreeningIndex


def resident_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass(frozen=True, slots=True)
class Asked:
    """A timed query, and for a planted variant the listed person it must find."""

    query: NameQuery
    expected: str | None


def population(
    count: int, rng: random.Random
) -> tuple[list[ScreenedPerson], list[name_corpus.Identity]]:
    persons = []
    identities = []
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
        identity = drawn["identity"]
        assert isinstance(identity, name_corpus.Identity)
        identities.append(identity)
    return persons, identities


def planted_name(identity: name_corpus.Identity, rng: random.Random) -> str:
    """A listed person's name as a passport or an officer writes it at the border: spelled
    afresh in a convention someone would plausibly use (usual spellings favoured), then
    in MRZ form (half), family name first (a fifth) or as written (the rest)."""
    convention = name_eval_data.plausible_convention(identity, rng) or identity.convention
    parts = name_eval_data.respell(identity, convention, rng)
    form = rng.random()
    if form < 0.5:
        return name_eval_data.mrz_name(parts, rng)[0]
    if form < 0.7:
        return name_eval_data.family_first(parts, rng)
    return name_eval_data.text_of(parts)


def queries(
    persons: list[ScreenedPerson],
    identities: list[name_corpus.Identity],
    count: int,
    rng: random.Random,
    *,
    no_birth_date: float,
) -> list[Asked]:
    """Half planted variants of listed persons, half other travellers; a share
    ``no_birth_date`` of each without a birth date (a hand entry, a list search)."""
    asked: list[Asked] = []
    for number in range(count):
        if number % 2 == 0:
            listed = rng.randrange(len(persons))
            identity = identities[listed]
            name = planted_name(identity, rng)
            expected: str | None = persons[listed].id
        else:
            identity = name_corpus.draw_identity(rng)
            name, expected = identity.latin, None
        birth = None if rng.random() < no_birth_date else identity.birth_date.isoformat()
        asked.append(Asked(NameQuery(name, birth, identity.nationality, identity.sex), expected))
    return asked


def planted_recall(
    index: ScreeningIndex, asked: list[Asked], answers: list[list[NameMatch]]
) -> dict[str, dict[str, float | int]]:
    """Recall of the planted variants, with and without a birth date: the listed person
    first (``at_1``); first or tied on score with the first (``tied_1``: namesakes whom
    nothing the query carries tells apart, so that the order among them is the list's);
    in the top 10 (``at_10``); and ``lost``: scored at or above the 10th shown but left
    out by candidate retrieval (``ScreeningIndex.explain`` scores the person directly)."""
    groups: dict[str, list[tuple[Asked, list[NameMatch]]]] = {"all": [], "dob": [], "no_dob": []}
    for one, found in zip(asked, answers, strict=True):
        if one.expected is None:
            continue
        groups["all"].append((one, found))
        groups["dob" if one.query.birth_date else "no_dob"].append((one, found))
    out: dict[str, dict[str, float | int]] = {}
    for label, members in groups.items():
        at_1 = tied_1 = at_10 = lost = 0
        for one, found in members:
            assert one.expected is not None
            ids = [match.id for match in found]
            at_1 += bool(ids) and ids[0] == one.expected
            at_10 += one.expected in ids
            own = index.explain(one.query, one.expected)
            if own is None or not found:
                continue
            tied_1 += own.score >= found[0].score
            lost += one.expected not in ids and own.score > found[-1].score
        total = max(len(members), 1)
        out[label] = {
            "queries": len(members),
            "at_1": at_1 / total,
            "tied_1": tied_1 / total,
            "at_10": at_10 / total,
            "lost": lost,
        }
    return out


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    rng = random.Random(args.seed)
    started = time.perf_counter()
    persons, identities = population(args.persons, rng)
    asked = queries(persons, identities, args.queries, rng, no_birth_date=args.no_birth_date)
    del identities
    generated = time.perf_counter() - started
    gc.collect()
    before = resident_mib()
    started = time.perf_counter()
    index = ScreeningIndex.build(persons)
    build_s = time.perf_counter() - started
    gc.collect()
    memory = resident_mib() - before
    gc.disable()
    for one in asked[:50]:  # warm-up, untimed
        index.screen(one.query)
    latencies = []
    answers = []
    for one in asked:
        start = time.perf_counter_ns()
        found = index.screen(one.query)
        latencies.append((time.perf_counter_ns() - start) / 1e6)
        answers.append(found)
    gc.enable()
    compared = [len(index.candidates(one.query)) for one in asked]
    choices = [unidecode(person.names[0]).lower() for person in persons]
    peer_latencies = []
    for one in asked[: args.peer_queries]:
        start = time.perf_counter_ns()
        process.extractOne(
            unidecode(one.query.name).lower().replace("<", " "),
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
        "no_birth_date": args.no_birth_date,
        "planted": planted_recall(index, asked, answers),
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
    print(
        f"  planted variants of listed persons (respelled, MRZ or family-first; "
        f"{r['no_birth_date']:.0%} without a birth date):"
    )
    for label, words in (
        ("all", "all"),
        ("dob", "with a birth date"),
        ("no_dob", "without a birth date"),
    ):
        g = r["planted"][label]
        print(
            f"    {words} ({g['queries']}): recall@1 {g['at_1']:.3f}, first or tied "
            f"{g['tied_1']:.3f}, recall@10 {g['at_10']:.3f}; lost by retrieval {g['lost']}"
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
    parser.add_argument(
        "--no-birth-date",
        type=float,
        default=0.15,
        help="share of queries without a birth date (default 0.15)",
    )
    parser.add_argument(
        "--size",
        type=int,
        default=None,
        help="build from PostgreSQL and start from the cache at this size (name_store_scale.py)",
    )
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.size is not None:
        import name_store_scale

        scaled = name_store_scale.run(args.size, args.postgres, args.queries, args.seed)
        print(json.dumps(scaled)) if args.json else name_store_scale.report(scaled)
        return 0
    result = measure(args)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
