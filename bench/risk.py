"""The risk page at national scale: outcome counts and DuckDB against scanning the rows.

What it measures
    ``passerelle.analytics.risk.risk_report`` (the whole reading of the risk page:
    indicators by route, nationality and period, the three pattern rules, the map's
    figures) for the last 30 days and the last 365 days of the data, each ``--repeat``
    times in its own read transaction (median and worst). The page reads its
    indicators from the daily outcome counts (``daily_outcomes``) and finds its
    patterns in DuckDB, fed the period's crossings as Arrow batches.

The peer, measured in the same run on the same data
    ``risk_report(..., by_scan=True)``: the indicators by GROUP BY over ``inspections``
    (with their JSON findings) and the patterns by the Python pass over every crossing
    of the period, as the page did before. The two readings must be equal (exit 1
    otherwise). Ratios are scan ÷ counts: above 1 means the counts are faster.

The data
    From ``random.Random(--seed)`` (deterministic), with ``bench/dashboard.py``'s days,
    points and nationalities: ``--crossings`` crossings by ``--crossings // 4``
    travellers (so a document crosses about four times a year, entries 55 %), and
    ``--inspection-share`` of that many inspections: refusals 2 % (a third for a false
    document), overstays 1 %, a forgery indicator 0.5 %, a forged-series alert 0.2 %,
    hits 3 %. COPY'd into a scratch PostgreSQL database; then the counts are
    rebuilt by ``passerelle.store.rollups.rebuild_rollups`` (timed, reported).

Run it
    .venv/bin/python bench/risk.py [--crossings 200000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from dashboard import (
    CHUNK,
    DEFAULT_PG_URL,
    INDEXES,
    POINTS,
    STATES,
    _clock_texts,
    _raw,
    _weights,
    day_weights,
    scratch_database,
    timed,
)
from passerelle.analytics import DashboardQuery
from passerelle.analytics.risk import RiskQuery, pattern_rules, risk_report
from passerelle.analytics.risk.geo import parse_crossing_map
from passerelle.demo.loading import CROSSING_MAP_FILE
from passerelle.store.db import Database
from passerelle.store.rollups import rebuild_rollups


def crossing_lines(count: int, end: date, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    days, day_cum = day_weights(end)
    points, point_cum = _weights(POINTS)
    states, _ = _weights(STATES)
    clocks = _clock_texts()
    travellers = max(1, count // 4)
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        day = rng.choices(days, cum_weights=day_cum, k=n)
        point = rng.choices(points, cum_weights=point_cum, k=n)
        lines = []
        for i in range(n):
            who = rng.randrange(travellers)
            state = states[who * 7919 % len(states)]
            at = f"{day[i]} {clocks[rng.randrange(86_400)]}+00"
            way = "entry" if rng.random() < 0.55 else "exit"
            officer = f"officer.{i % 60:02d}"
            lines.append(
                f"{state}\tB{who:08d}\t{state}\t{point[i]}\t{way}\t{at}\t{officer}\t{at}\n"
            )
        yield "".join(lines)


def _result(rng: random.Random) -> str:
    findings = []
    if rng.random() < 0.005:
        findings.append({"source": "document", "code": "suspicious", "severity": "refer"})
    if rng.random() < 0.002:
        findings.append({"source": "alerts", "code": "alert_forged_document", "severity": "hit"})
    result: dict[str, Any] = {"findings": findings}
    if rng.random() < 0.01:
        result["stay"] = {"overstay_days": rng.randrange(1, 90)}
    return json.dumps(result).replace("\\", "\\\\")


def inspection_lines(count: int, end: date, seed: int) -> Iterator[str]:
    rng = random.Random(seed + 1)
    days, day_cum = day_weights(end)
    points, point_cum = _weights(POINTS)
    clocks = _clock_texts()
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        day = rng.choices(days, cum_weights=day_cum, k=n)
        point = rng.choices(points, cum_weights=point_cum, k=n)
        lines = []
        for i in range(n):
            at = f"{day[i]} {clocks[rng.randrange(86_400)]}+00"
            nationality = STATES[i % len(STATES)][0]
            decision = "hit" if rng.random() < 0.03 else "clear"
            action, reason = "\\N", "\\N"
            if rng.random() < 0.02:
                action = "refuse"
                reason = "false_document" if rng.random() < 0.33 else "no_visa"
            lines.append(
                f"I{start + i:09d}\t{at}\t{at}\tofficer.{i % 60:02d}\t{point[i]}\t"
                f"{'entry' if i % 2 else 'exit'}\tborder control\t{nationality}\tB{i:08d}\t"
                f"{nationality}\t{decision}\t{action}\t{reason}\t{_result(rng)}\n"
            )
        yield "".join(lines)


def generate(url: str, args: argparse.Namespace) -> dict[str, float]:
    begun = time.perf_counter()
    with psycopg.connect(_raw(url), autocommit=True) as connection:
        for statements in INDEXES.values():
            for statement in statements:
                connection.execute(f"DROP INDEX {statement.split()[2]}")
        with connection.cursor() as cursor, cursor.copy(
            "COPY crossings (issuing_state, document_number, nationality, crossing_point,"
            " direction, at, officer, recorded_at) FROM STDIN"
        ) as copy:  # fmt: skip
            for chunk in crossing_lines(args.crossings, args.end, args.seed):
                copy.write(chunk)
        with connection.cursor() as cursor, cursor.copy(
            "COPY inspections (id, at, recorded_at, officer, crossing_point, direction,"
            " purpose, issuing_state, document_number, nationality, decision, action,"
            " reason_code, result) FROM STDIN"
        ) as copy:  # fmt: skip
            count = int(args.crossings * args.inspection_share)
            for chunk in inspection_lines(count, args.end, args.seed):
                copy.write(chunk)
        for statements in INDEXES.values():
            for statement in statements:
                connection.execute(statement)
        connection.execute("ANALYZE")
    return {"copy_and_index_s": time.perf_counter() - begun}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"crossings": args.crossings, "problems": []}
    rules = pattern_rules()
    places = parse_crossing_map(CROSSING_MAP_FILE.read_text(encoding="utf-8"))
    with scratch_database(args.pg_url) as url:
        database = Database(url)
        database.upgrade()
        report["setup"] = generate(url, args)
        begun = time.perf_counter()
        with database.write() as session:
            rebuilt = rebuild_rollups(session, since=None)
        report["setup"]["rebuild_s"] = time.perf_counter() - begun
        report["inspections"], report["outcome_rows"] = rebuilt.outcomes, rebuilt.outcome_rows
        for name, days in (("month", 30), ("year", 365)):
            query = RiskQuery(DashboardQuery.last_days(args.end, days=days), granularity="week")

            def read(by_scan: bool, query: RiskQuery = query) -> Any:
                with database.read() as session:
                    return risk_report(session, query, rules, places, by_scan=by_scan)

            counted, scanned = read(False), read(True)
            if counted.as_dict() != scanned.as_dict():
                report["problems"].append(f"{name}: the counts and the scan disagree")
            fast = timed(lambda: read(False), args.repeat)
            slow = timed(lambda: read(True), args.repeat)
            report[name] = {
                "counts": fast,
                "scan": slow,
                "ratio": slow["median_s"] / fast["median_s"],
                "findings": len(counted.findings),
                "truncated": counted.truncated,
            }
        database.engine.dispose()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--crossings", type=int, default=200_000, help="(default 200,000)")
    parser.add_argument("--inspection-share", type=float, default=0.1, help="(default 0.1)")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument("--repeat", type=int, default=3, help="readings timed (default 3)")
    parser.add_argument("--seed", type=int, default=9303, help="data seed (default 9303)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    report = measure(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"risk page over {report['crossings']:,} crossings, {report['inspections']:,}"
            f" inspections ({report['outcome_rows']:,} count rows)"
        )
        print(f"  setup: {report['setup']}")
        for name in ("month", "year"):
            r = report[name]
            cut = " (truncated)" if r["truncated"] else ""
            print(
                f"  {name}: counts+DuckDB {r['counts']['median_s']:.3f} s (max"
                f" {r['counts']['max_s']:.3f}), scan+Python {r['scan']['median_s']:.3f} s"
                f" (max {r['scan']['max_s']:.3f}): x{r['ratio']:.1f}; {r['findings']} findings{cut}"
            )
        for problem in report["problems"]:
            print(f"  PROBLEM: {problem}")
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
