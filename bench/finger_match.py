"""Fingerprint matching: extraction, 1:1 speed, score distributions, threshold, 1:N latency.

What it measures
    ``--fingers`` synthetic fingers (default 40) × ``--impressions`` (default
    4), drawn by ``passerelle.biometrics.fingerprint.synthetic`` (seeds from
    100,000 on), extracted with ``extract_template``:

    - extraction: ms per 400 × 320 image, with and without NFIQ 2;
    - 1:1 speed: ms per BOZORTH3 comparison, mated and non-mated pairs apart
      (their costs differ tenfold), and the bindings' floor (two 10-minutia sets);
    - scores: every mated and every non-mated pair of impressions (non-mated:
      impressions of different fingers, both orders counted once); percentiles
      and a histogram of each; the threshold for ``--fmr`` (default 1e-3): the
      lowest score that at most that share of non-mated pairs reach, with how
      many pairs support it and the FNMR there; and the FMR/FNMR at the
      module's ``MATCH_THRESHOLD``;
    - 1:N (unless ``--no-search``): a ``FingerprintGallery`` of ``--gallery``
      templates (default 100,000). The first half of the fingers are enrolled
      (impression 0) and searched with impression 1 (mated searches); the
      other half are not enrolled and searched with impression 0 (non-mated
      searches). The rest of the gallery are distractor templates built at
      the minutiae level (100,000 images would take hours to draw and
      extract): ``--bases`` further synthetic fingers (default 100) are
      extracted, and each distractor stitches two of them along a random
      line through the middle, after turning each by up to ±25° and moving
      it by up to 25 px, jittering minutiae by 2 px, dropping one in ten and
      adding a few spurious ones. Distractors share no finger with the
      probes. Latency (p50, p95, max) of the short-list stage and of the
      whole search, shortlist recall, rank-1 identification rate, and false
      matches of non-mated searches.

The peers, in the same run
    - extraction: the bindings' ``extract_minutiae(image_bytes)`` called
      directly (the route the notes measured), against ours (image passed by
      path through /dev/shm);
    - 1:1 speed: the bindings' ``Minutiae.compare`` on what
      ``extract_minutiae`` returned (the notes' 75 ms starting point), and the
      naive template path that loads both templates on every call, against
      ours (templates prepared once, minutiae in BOZORTH3's x order);
    - 1:1 scores: the same pairs with each record loaded in its stored order
      (most reliable minutia first) without re-sorting, against ours;
    - 1:N: BOZORTH3 against every enrolled template (estimated from the mean
      non-mated comparison time × gallery size), against the gallery search.

Run it
    .venv/bin/python bench/finger_match.py [--fingers N] [--impressions N] [--fmr F]
        [--gallery N] [--bases N] [--shortlist N] [--workers N] [--no-search] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import statistics
import struct
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np

from passerelle.biometrics.fingerprint import (
    MATCH_THRESHOLD,
    SEARCH_THRESHOLD,
    FingerprintGallery,
    FingerprintTemplate,
    Minutia,
    MinutiaeRecord,
    MinutiaKind,
    _nbis,
    compare_prepared,
    encode_record,
    extract_template,
    prepare,
)
from passerelle.biometrics.fingerprint.images import check_image
from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression

SEED_BASE = 100_000
Images = list[list[np.ndarray]]


# ----------------------------------------------------------------------------- helpers


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args)
    return out, (time.perf_counter() - start) * 1e3


def draw_finger(job: tuple[int, int]) -> tuple[list[np.ndarray], float, float]:
    seed, count = job
    master, master_ms = timed(generate_master, seed)
    start = time.perf_counter()
    images = [render_impression(master, i) for i in range(count)]
    return images, master_ms, (time.perf_counter() - start) * 1e3 / count


def extract_plain(image: np.ndarray) -> FingerprintTemplate:
    return extract_template(image, assess_quality=False)


_PREPARED: list[Any] = []


def _init_scorer(isos: list[bytes]) -> None:
    _PREPARED[:] = [prepare(FingerprintTemplate(iso, 0, None)) for iso in isos]


def _score(pair: tuple[int, int]) -> int:
    return compare_prepared(_PREPARED[pair[0]], _PREPARED[pair[1]])


def histogram(scores: list[int], edges: list[int]) -> str:
    counts = np.histogram(scores, bins=[*edges, 10**9])[0]
    width = max(counts.max(), 1)
    lines = []
    for low, high, n in zip(edges, [*edges[1:], None], counts, strict=True):
        label = f"{low:>4}-{high - 1:<4}" if high is not None else f"{low:>4}+    "
        lines.append(f"      {label} {n:>7}  {'#' * round(40 * n / width)}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- 1:1


def threshold_for(non_mated: list[int], fmr: float) -> int:
    """Lowest score t with share(non-mated ≥ t) ≤ fmr."""
    ordered = np.sort(np.asarray(non_mated))
    allowed = math.floor(fmr * len(ordered))
    # at most `allowed` scores may be ≥ t: t just above the (allowed+1)-th highest
    return int(ordered[len(ordered) - allowed - 1]) + 1


def rates(mated: list[int], non_mated: list[int], t: int) -> tuple[float, float, int]:
    false = sum(s >= t for s in non_mated)
    return false / len(non_mated), sum(s < t for s in mated) / len(mated), false


def speed(templates: list[list[FingerprintTemplate]], images: Images) -> dict[str, Any]:
    """ms per comparison: plain bindings, naive template path, ours; mated and non-mated."""
    engine = _nbis.new_extractor(assess_quality=False)
    fingers = range(min(10, len(templates)))
    mated_pairs = [(f, 0, f, 1) for f in fingers]
    non_pairs = [(f, 0, g, 0) for f, g in itertools.combinations(fingers, 2)]
    plain = {
        (f, i): engine.extract_minutiae(check_image(images[f][i]).data)
        for f in fingers
        for i in (0, 1)
    }
    nbis_iso = {key: m.to_iso_19794_2_2005() for key, m in plain.items()}
    ours = {(f, i): prepare(templates[f][i]) for f in fingers for i in (0, 1)}

    def run(pairs: list[tuple[int, int, int, int]], call: Any, repeat: int) -> float:
        start = time.perf_counter()
        for _ in range(repeat):
            for f, i, g, j in pairs:
                call((f, i), (g, j))
        return (time.perf_counter() - start) * 1e3 / (repeat * len(pairs))

    out: dict[str, Any] = {}
    for name, pairs, repeat in (("mated", mated_pairs, 3), ("non_mated", non_pairs, 5)):
        out[name] = {
            "bindings_plain_ms": run(pairs, lambda a, b: plain[a].compare(plain[b]), repeat),
            "bindings_reload_ms": run(
                pairs,
                lambda a, b: engine.load_iso_19794_2_2005(nbis_iso[a]).compare(
                    engine.load_iso_19794_2_2005(nbis_iso[b])
                ),
                repeat,
            ),
            "ours_ms": run(pairs, lambda a, b: compare_prepared(ours[a], ours[b]), repeat),
        }
    tiny = [
        encode_record(
            MinutiaeRecord(
                width=320,
                height=400,
                minutiae=tuple(
                    Minutia(20 + 25 * k, 30 + (37 * k * (s + 1)) % 300, 8 * k, MinutiaKind(1), 60)
                    for k in range(10)
                ),
            )
        )
        for s in range(2)
    ]
    a, b = (prepare(FingerprintTemplate(t, 10, None)) for t in tiny)
    start = time.perf_counter()
    for _ in range(2000):
        compare_prepared(a, b)
    out["floor_us"] = (time.perf_counter() - start) * 1e6 / 2000
    start = time.perf_counter()
    for key in nbis_iso:
        for _ in range(20):
            engine.load_iso_19794_2_2005(nbis_iso[key])
    out["load_template_us"] = (time.perf_counter() - start) * 1e6 / (20 * len(nbis_iso))
    return out


def extraction_speed(images: Images) -> dict[str, float]:
    engine = _nbis.new_extractor(assess_quality=False)
    engine_q = _nbis.new_extractor(assess_quality=True)
    sample = [finger[0] for finger in images[:10]]
    encoded = [check_image(image).data for image in sample]

    def mean_ms(call: Any, items: list[Any]) -> float:
        call(items[0])  # warm-up, untimed: engines are created on first use
        start = time.perf_counter()
        for item in items:
            call(item)
        return (time.perf_counter() - start) * 1e3 / len(items)

    return {
        "ours_ms": mean_ms(lambda im: extract_template(im, assess_quality=False), sample),
        "ours_nfiq2_ms": mean_ms(extract_template, sample),
        "bindings_bytes_ms": mean_ms(engine.extract_minutiae, encoded),
        "bindings_bytes_nfiq2_ms": mean_ms(engine_q.extract_minutiae, encoded),
    }


def all_scores(
    templates: list[list[FingerprintTemplate]], workers: int
) -> tuple[list[int], list[int]]:
    """Mated and non-mated BOZORTH3 scores (ours) over every pair of impressions."""
    flat = [t for finger in templates for t in finger]
    owner = [f for f, finger in enumerate(templates) for _ in finger]
    pairs = list(itertools.combinations(range(len(flat)), 2))
    with Pool(workers, initializer=_init_scorer, initargs=([t.iso for t in flat],)) as pool:
        scores = pool.map(_score, pairs, chunksize=200)
    return split_scores(pairs, scores, owner)


def stored_order_scores(templates: list[list[FingerprintTemplate]]) -> tuple[list[int], list[int]]:
    """The same pairs, each record loaded into the bindings in its stored (best-first) order."""
    engine = _nbis.new_extractor(assess_quality=False)
    flat = [engine.load_iso_19794_2_2005(as_stored(t)) for finger in templates for t in finger]
    owner = [f for f, finger in enumerate(templates) for _ in finger]
    pairs = list(itertools.combinations(range(len(flat)), 2))
    scores = [int(flat[a].compare(flat[b])) for a, b in pairs]
    return split_scores(pairs, scores, owner)


def as_stored(template: FingerprintTemplate) -> bytes:
    """The bindings' layout of ``template`` with minutiae in the record's order (no x sort)."""
    record = template.record()
    body = b"".join(
        struct.pack(
            ">HHBB", int(m.kind) << 14 | m.x, m.y, (64 - m.angle) % 256, m.quality * 63 // 100
        )
        for m in record.minutiae
    )
    return (
        b"FMR\x00 20\x00"
        + struct.pack(">IHHH", 26 + len(body), 0, record.width, record.height)
        + bytes((0, 0, 0, 0, 0, 0, 0, len(record.minutiae)))
        + body
    )


def split_scores(
    pairs: list[tuple[int, int]], scores: list[int], owner: list[int]
) -> tuple[list[int], list[int]]:
    mated = [s for (a, b), s in zip(pairs, scores, strict=True) if owner[a] == owner[b]]
    non = [s for (a, b), s in zip(pairs, scores, strict=True) if owner[a] != owner[b]]
    return mated, non


# ----------------------------------------------------------------------------- 1:N


def distractors(
    bases: list[FingerprintTemplate], count: int, rng: np.random.Generator
) -> list[FingerprintTemplate]:
    """Templates of fingers that do not exist: halves of two base fingers, moved and jittered."""
    sources = [
        np.array([(m.x, m.y, m.angle, int(m.kind), m.quality) for m in b.record().minutiae], float)
        for b in bases
    ]
    centre = np.array([160.0, 200.0])
    made = []
    for _ in range(count):
        first, second = rng.choice(len(sources), 2, replace=False)
        cut = rng.uniform(0, math.pi)
        normal = np.array([math.cos(cut), math.sin(cut)])
        through = centre + rng.normal(0, 30, 2)
        halves = []
        for side, source in ((1.0, sources[first]), (-1.0, sources[second])):
            turn = rng.uniform(-25, 25) * math.pi / 180
            rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
            xy = (source[:, :2] - centre) @ rot.T + centre + rng.uniform(-25, 25, 2)
            xy += rng.normal(0, 2, xy.shape)
            # turning the picture clockwise on screen turns ISO angles the other way
            angle = source[:, 2] - turn * 128 / math.pi + rng.normal(0, 1, len(source))
            part = np.column_stack([xy, angle % 256, source[:, 3:]])
            halves.append(part[side * ((xy - through) @ normal) > 0])
        minutiae = np.vstack(halves)
        minutiae = minutiae[rng.random(len(minutiae)) > 0.1]
        extra = rng.integers(0, 6)
        spurious = np.column_stack(
            [
                rng.uniform(10, 310, extra),
                rng.uniform(10, 390, extra),
                rng.uniform(0, 256, extra),
                rng.integers(1, 3, extra),
                rng.uniform(10, 60, extra),
            ]
        )
        minutiae = np.vstack([minutiae, spurious])
        inside = (
            (minutiae[:, 0] >= 0)
            & (minutiae[:, 0] < 320)
            & (minutiae[:, 1] >= 0)
            & (minutiae[:, 1] < 400)
        )
        record = MinutiaeRecord(
            width=320,
            height=400,
            minutiae=tuple(
                Minutia(int(x), int(y), int(a) % 256, MinutiaKind(int(k)), int(q))
                for x, y, a, k, q in minutiae[inside][:255]
            ),
        )
        made.append(FingerprintTemplate(encode_record(record), len(record.minutiae), None))
    return made


def search_bench(
    templates: list[list[FingerprintTemplate]],
    bases: list[FingerprintTemplate],
    args: argparse.Namespace,
    compare_ms: float,
) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    enrolled = range(len(templates) // 2)
    strangers = range(len(templates) // 2, len(templates))
    made, made_s = timed(distractors, bases, args.gallery - len(enrolled), rng)
    gallery = FingerprintGallery(shortlist=args.shortlist)
    start = time.perf_counter()
    gallery.add_many((f"finger-{f}", templates[f][0]) for f in enrolled)
    gallery.add_many((f"distractor-{k}", t) for k, t in enumerate(made))
    gallery.shortlist(templates[0][1], 1)  # builds the index
    build_s = time.perf_counter() - start
    index_mib = gallery.index_nbytes / 2**20
    short_ms, search_ms, in_short, first, mated_scores = [], [], 0, 0, []
    for f in enrolled:
        probe = templates[f][1]
        listed, ms = timed(gallery.shortlist, probe, args.shortlist)
        short_ms.append(ms)
        in_short += any(id == f"finger-{f}" for id, _ in listed)
        found, ms = timed(gallery.search, probe)
        search_ms.append(ms)
        if found and found[0].id == f"finger-{f}" and found[0].is_match:
            first += 1
            mated_scores.append(found[0].score)
    false_matches, stranger_ms = 0, []
    for f in strangers:
        found, ms = timed(gallery.search, templates[f][0])
        stranger_ms.append(ms)
        false_matches += sum(c.is_match for c in found)
    every_ms = search_ms + stranger_ms
    with tempfile.TemporaryDirectory() as folder:  # a restart: saved index read back, not rebuilt
        path = Path(folder) / "bench.fingers"
        _, save_ms = timed(gallery.save, path)
        file_mib = path.stat().st_size / 2**20
        reloaded, load_ms = timed(FingerprintGallery.load, path)
        probe = templates[enrolled[0]][1]
        assert reloaded.search(probe) == gallery.search(probe), (
            "reloaded gallery answers differently"
        )
    return {
        "save_s": save_ms / 1e3,
        "load_s": load_ms / 1e3,
        "file_mib": file_mib,
        "gallery": len(gallery),
        "enrolled_real": len(enrolled),
        "distractors": len(made),
        "bases": len(bases),
        "distractors_s": made_s / 1e3,
        "build_s": build_s,
        "index_mib": index_mib,
        "shortlist": args.shortlist,
        "shortlist_ms_p50": percentile(short_ms, 50),
        "search_ms_p50": percentile(every_ms, 50),
        "search_ms_p95": percentile(every_ms, 95),
        "search_ms_max": max(every_ms),
        "mated_searches": len(enrolled),
        "shortlist_recall": in_short / len(enrolled),
        "rank1_identified": first / len(enrolled),
        "non_mated_searches": len(strangers),
        "non_mated_false_matches": false_matches,
        "exhaustive_bozorth_s": compare_ms * len(gallery) / 1e3,
    }


# ----------------------------------------------------------------------------- report


def measure(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    jobs = [(SEED_BASE + f, args.impressions) for f in range(args.fingers)]
    base_jobs = [(SEED_BASE + args.fingers + b, 1) for b in range(args.bases)]
    with Pool(args.workers) as pool:
        drawn = pool.map(draw_finger, jobs + (base_jobs if args.search else []))
        images: Images = [d[0] for d in drawn[: args.fingers]]
        flat = [im for finger in images for im in finger]
        extracted = pool.map(extract_plain, flat)
        base_templates = pool.map(extract_plain, [d[0][0] for d in drawn[args.fingers :]])
    templates = [
        extracted[f * args.impressions : (f + 1) * args.impressions] for f in range(args.fingers)
    ]
    prepared_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "platform": f"{platform.python_version()} {platform.machine()}, {os.cpu_count()} CPUs",
        "fingers": args.fingers,
        "impressions": args.impressions,
        "master_ms": statistics.mean(d[1] for d in drawn),
        "impression_ms": statistics.mean(d[2] for d in drawn),
        "setup_s": prepared_s,
        "minutiae_mean": statistics.mean(t.minutiae_count for t in extracted),
        "extraction": extraction_speed(images),
        "compare": speed(templates, images),
    }
    mated, non = all_scores(templates, args.workers)
    plain_mated, plain_non = stored_order_scores(templates)
    chosen = threshold_for(non, args.fmr)
    fmr, fnmr, false = rates(mated, non, chosen)
    at_fmr, at_fnmr, at_false = rates(mated, non, MATCH_THRESHOLD)
    search_fmr, search_fnmr, search_false = rates(mated, non, SEARCH_THRESHOLD)
    result["scores"] = {
        "mated": len(mated),
        "non_mated": len(non),
        "mated_pct": {p: percentile(mated, p) for p in (0, 1, 5, 50, 95, 100)},
        "non_mated_pct": {p: percentile(non, p) for p in (50, 99, 99.9, 100)},
        "plain_mated_pct": {p: percentile(plain_mated, p) for p in (0, 1, 5, 50, 95, 100)},
        "plain_non_mated_pct": {p: percentile(plain_non, p) for p in (50, 99, 99.9, 100)},
        "fmr_target": args.fmr,
        "threshold_for_target": chosen,
        "at_target": {"fmr": fmr, "fnmr": fnmr, "false_matches": false},
        "module_threshold": MATCH_THRESHOLD,
        "at_module": {"fmr": at_fmr, "fnmr": at_fnmr, "false_matches": at_false},
        "search_threshold": SEARCH_THRESHOLD,
        "at_search": {"fmr": search_fmr, "fnmr": search_fnmr, "false_matches": search_false},
        "rule_of_three_fmr": 3 / len(non),
        "histogram_mated": histogram(mated, [0, 20, 40, 60, 80, 100, 150, 200, 300, 400]),
        "histogram_non_mated": histogram(non, [0, 10, 20, 30, 40, 50, 60, 80]),
    }
    if args.search:
        non_mated_ms = result["compare"]["non_mated"]["ours_ms"]
        result["search"] = search_bench(templates, base_templates, args, non_mated_ms)
    return result


def report(r: dict[str, Any]) -> None:
    e, c, s = r["extraction"], r["compare"], r["scores"]
    print(f"Fingerprint matching — {r['platform']}")
    print(
        f"  synthetic prints: {r['fingers']} fingers × {r['impressions']} impressions; master "
        f"{r['master_ms']:.0f} ms, impression {r['impression_ms']:.0f} ms; "
        f"{r['minutiae_mean']:.0f} minutiae on average"
    )
    print("\nExtraction (ms per 400 × 320 image)")
    print(
        f"  ours: {e['ours_ms']:.1f} (with NFIQ 2: {e['ours_nfiq2_ms']:.1f});  bindings' "
        f"extract_minutiae(bytes): {e['bindings_bytes_ms']:.1f} (with NFIQ 2: "
        f"{e['bindings_bytes_nfiq2_ms']:.1f});  ratio {e['bindings_bytes_ms'] / e['ours_ms']:.2f}×"
    )
    print("\n1:1 comparison (ms per BOZORTH3 call, one process)")
    for kind in ("mated", "non_mated"):
        k = c[kind]
        print(
            f"  {kind:<9}  bindings as extracted {k['bindings_plain_ms']:7.2f}   "
            f"bindings reloading ISO each call {k['bindings_reload_ms']:7.2f}   "
            f"ours (prepared, x order) {k['ours_ms']:7.2f}  "
            f"({1000 / k['ours_ms']:.0f}/s; reload path / ours "
            f"{k['bindings_reload_ms'] / k['ours_ms']:.2f}×)"
        )
    print(
        f"  floor (two 10-minutia sets): {c['floor_us']:.1f} µs; loading one template: "
        f"{c['load_template_us']:.0f} µs"
    )
    print(f"\nScores: {s['mated']} mated and {s['non_mated']} non-mated pairs")
    print(f"  ours     mated {s['mated_pct']}\n           non-mated {s['non_mated_pct']}")
    print(
        f"  stored order, not re-sorted: mated {s['plain_mated_pct']}\n"
        f"           non-mated {s['plain_non_mated_pct']}"
    )
    print("  mated (ours)\n" + s["histogram_mated"])
    print("  non-mated (ours)\n" + s["histogram_non_mated"])
    t, m, q = s["at_target"], s["at_module"], s["at_search"]
    print(
        f"  threshold for FMR ≤ {s['fmr_target']:g}: {s['threshold_for_target']} "
        f"(FMR {t['fmr']:.2e} = {t['false_matches']}/{s['non_mated']}, FNMR {t['fnmr']:.2%})"
    )
    print(
        f"  MATCH_THRESHOLD = {s['module_threshold']}: FMR {m['fmr']:.2e} "
        f"({m['false_matches']}/{s['non_mated']}), FNMR {m['fnmr']:.2%};  SEARCH_THRESHOLD = "
        f"{s['search_threshold']}: FMR {q['fmr']:.2e} ({q['false_matches']}/{s['non_mated']}; "
        f"rule of three {s['rule_of_three_fmr']:.1e}), FNMR {q['fnmr']:.2%}"
    )
    if "search" in r:
        q = r["search"]
        print(
            f"\n1:N at {q['gallery']:,} enrolled: {q['enrolled_real']} real fingers + "
            f"{q['distractors']:,} distractors stitched from {q['bases']} other fingers "
            f"(made in {q['distractors_s']:.0f} s); index built in {q['build_s']:.1f} s, "
            f"{q['index_mib']:.0f} MiB"
        )
        print(
            f"  short list ({q['shortlist']}) p50 {q['shortlist_ms_p50']:.0f} ms; whole search "
            f"p50 {q['search_ms_p50']:.0f} ms, p95 {q['search_ms_p95']:.0f} ms, "
            f"max {q['search_ms_max']:.0f} ms\n"
            f"  saved in {q['save_s']:.1f} s ({q['file_mib']:.0f} MiB), reloaded in "
            f"{q['load_s']:.1f} s without a rebuild"
        )
        print(
            f"  mated searches {q['mated_searches']}: mate short-listed "
            f"{q['shortlist_recall']:.0%}, identified at rank 1 {q['rank1_identified']:.0%}; "
            f"non-mated searches "
            f"{q['non_mated_searches']}: {q['non_mated_false_matches']} false matches"
        )
        print(
            f"  peer: BOZORTH3 against all {q['gallery']:,}: ≈ {q['exhaustive_bozorth_s']:.0f} s "
            f"per search; ratio {q['exhaustive_bozorth_s'] * 1e3 / q['search_ms_p50']:.0f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fingers", type=int, default=40)
    parser.add_argument("--impressions", type=int, default=4)
    parser.add_argument("--fmr", type=float, default=1e-3)
    parser.add_argument("--gallery", type=int, default=100_000)
    parser.add_argument("--bases", type=int, default=100)
    parser.add_argument("--shortlist", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args)
    if args.json:
        json.dump(result, sys.stdout, indent=2, default=str)
        print()
    else:
        report(result)


if __name__ == "__main__":
    main()
