"""The analysts' dashboard at national scale: daily counts against scanning the rows, on PostgreSQL.

What it measures
    ``passerelle.analytics.dashboard`` (every figure of the page: summary, crossings per
    day, per point, top nationalities, inspections per day, hits per list, false-positive
    rates), which sums the daily counts (``daily_crossings``, ``daily_inspections``) and
    reads the hits from ``hit_reviews``, for the last 365 days and the last 30 days of the
    data, each ``--repeat`` times in its own read transaction (median and worst), and the
    same for one crossing point (the page's filter).

    Meanwhile the node answers inspections: ``--writers`` threads, each on its own
    connection, write one border inspection after another as the node's write path does
    (one transaction: the crossing through ``record_crossing`` with its daily count, the
    inspection through ``InspectionRepository.add`` with its daily count, the audit
    record), timed one by one: p50/p95 while nothing else runs, while the daily-count
    dashboards run back to back, and while the scanning dashboards (the peer) do.

    Setting up (timed, reported, not the target): ``--crossings`` crossings over 365 days
    generated into a scratch database with ``COPY ... FROM STDIN`` (indexes dropped first
    and rebuilt after, as a first bulk load would), ``--inspection-share`` of that many
    inspections, ``--hit-share`` of those with a hit review; then the daily counts filled
    by ``passerelle.store.rollups.rebuild_rollups`` (what ``passerelle analytics rebuild``
    and migration 0023 run: one ``INSERT ... SELECT ... GROUP BY`` per table).

The peer, measured in the same run on the same data
    ``passerelle.analytics.scans.dashboard_by_scan``: the same figures counted from the
    rows (GROUP BY over ``crossings`` and ``inspections`` through their ``at`` index), as
    the dashboard did before the daily counts. Over the last 30 days always; over the
    year only with ``--scan-year`` (a year of 50 million rows is a scan of minutes, which
    is the point). Its figures must equal the daily counts' (exit 1 otherwise). Ratios are
    scan ÷ daily counts: above 1 means the daily counts are faster.

The data
    From ``random.Random(--seed)`` (deterministic): 365 days ending ``--end``, busier in
    summer (Marhaba: July-August twice the winter days) and on weekends; 25 Moroccan
    crossing points, ports and airports, weighted (Tanger Med, Casablanca airport, Bab
    Sebta, Beni Ensar ahead); 28 nationalities weighted as in ``bench/store_load.py`` and
    3 % not recorded; entries and exits half and half; 60 officers. Inspections: clear
    90 %, refer 7 %, hit 3 %; hits from the four lists, a third reviewed.

Target (issue 20)
    The year's dashboard in ≤ 2 s over 50,000,000 crossings. Reported, not enforced: the
    exit code is 1 only when the figures disagree, 2 when PostgreSQL cannot be reached.

Run it
    .venv/bin/python bench/dashboard.py [--crossings 2000000] [--repeat 5] [--writers 4]
        [--scan-year] [--seed S] [--pg-url URL] [--json]

``--pg-url`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) names an
administrative connection; the run creates ``passerelle_bench_dashboard_<random>`` and
drops it ``WITH (FORCE)`` at the end, also on error.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from passerelle.analytics import DashboardQuery, dashboard, false_positive_rates, hits_by_source
from passerelle.analytics.scans import dashboard_by_scan
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.crossings import CrossingEntry, record_crossing
from passerelle.store.db import Database
from passerelle.store.inspections import InspectionRepository
from passerelle.store.rollups import rebuild_rollups

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_YEAR_S = 2.0
OFFICER = Actor(name="bench:dashboard", kind="user", role="officer")
POINTS: tuple[tuple[str, int], ...] = (
    ("TNG-MED", 20), ("CMN-AIRPORT", 14), ("BAB-SEBTA", 10), ("BENI-ENSAR", 9),
    ("RAK-AIRPORT", 7), ("TNG-VILLE", 5), ("AGA-AIRPORT", 4), ("NDR-PORT", 3),
    ("RBA-AIRPORT", 3), ("FEZ-AIRPORT", 3), ("TNG-AIRPORT", 2), ("OUJ-AIRPORT", 2),
    ("GUERGUERAT", 2), ("ZOUJ-BGHAL", 1), ("AL-HOCEIMA-PORT", 1), ("ESU-AIRPORT", 1),
    ("NDR-AIRPORT", 1), ("TTU-AIRPORT", 1), ("VIL-AIRPORT", 1), ("LAA-AIRPORT", 1),
    ("CASA-PORT", 1), ("AGA-PORT", 1), ("SAFI-PORT", 1), ("JORF-PORT", 1), ("FIGUIG", 1),
)  # fmt: skip
STATES: tuple[tuple[str, int], ...] = (
    ("MAR", 40), ("DZA", 4), ("TUN", 3), ("LBY", 1), ("EGY", 2), ("MRT", 2), ("SEN", 3),
    ("MLI", 2), ("NER", 1), ("TCD", 1), ("BFA", 1), ("GIN", 1), ("CIV", 2), ("NGA", 2),
    ("CMR", 1), ("GMB", 1), ("FRA", 12), ("ESP", 10), ("ITA", 4), ("DEU", 3), ("NLD", 3),
    ("BEL", 4), ("PRT", 2), ("GBR", 4), ("TUR", 1), ("SAU", 1), ("SYR", 1), ("JOR", 1),
)  # fmt: skip
DECISIONS = (("clear", 90), ("refer", 7), ("hit", 3))
SOURCES = ("sltd", "alerts", "watchlist", "face")
STATUSES = (("pending", 67), ("confirmed", 8), ("dismissed", 25))
CHUNK = 200_000
INDEXES = {
    "crossings": (
        "CREATE INDEX ix_crossings_document ON crossings (issuing_state, document_number, at)",
        "CREATE INDEX ix_crossings_at ON crossings (at)",
    ),
    "inspections": (
        "CREATE INDEX ix_inspections_document ON inspections (issuing_state, document_number, at)",
        "CREATE INDEX ix_inspections_at ON inspections (at)",
    ),
}

# --------------------------------------------------------------------------- the data


def _weights(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[float]]:
    total = 0
    cumulative: list[float] = []
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return [name for name, _ in pairs], cumulative


def day_weights(end: date) -> tuple[list[str], list[float]]:
    """The 365 days up to ``end`` as ISO text, with cumulative weights (summer, weekends)."""
    days, cumulative, total = [], [], 0.0
    for offset in range(364, -1, -1):
        day = end - timedelta(days=offset)
        weight = (2.0 if day.month in (7, 8) else 1.0) * (1.3 if day.weekday() >= 5 else 1.0)
        total += weight
        days.append(day.isoformat())
        cumulative.append(total)
    return days, cumulative


def _clock_texts() -> list[str]:
    return [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]


def crossing_lines(count: int, end: date, seed: int) -> Iterator[str]:
    """``count`` crossings as COPY text (tab-separated), in chunks of lines."""
    rng = random.Random(seed)
    days, day_cum = day_weights(end)
    points, point_cum = _weights(POINTS)
    states, state_cum = _weights(STATES)
    clocks = _clock_texts()
    officers = [f"officer.{n:02d}" for n in range(60)]
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        day = rng.choices(days, cum_weights=day_cum, k=n)
        point = rng.choices(points, cum_weights=point_cum, k=n)
        state = rng.choices(states, cum_weights=state_cum, k=n)
        lines = []
        for i in range(n):
            at = f"{day[i]} {clocks[rng.randrange(86_400)]}+00"
            nationality = state[i] if rng.random() >= 0.03 else "\\N"
            lines.append(
                f"{state[i]}\tB{start + i:08d}\t{nationality}\t{point[i]}\t"
                f"{'entry' if i % 2 else 'exit'}\t{at}\t{officers[i % 60]}\t{at}\n"
            )
        yield "".join(lines)


def inspection_lines(
    count: int, end: date, seed: int, hit_share: float
) -> Iterator[tuple[str, str]]:
    """``count`` inspections and their hit reviews as COPY text, in chunks."""
    rng = random.Random(seed + 1)
    days, day_cum = day_weights(end)
    points, point_cum = _weights(POINTS)
    decisions, decision_cum = _weights(DECISIONS)
    statuses, status_cum = _weights(STATUSES)
    clocks = _clock_texts()
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        day = rng.choices(days, cum_weights=day_cum, k=n)
        point = rng.choices(points, cum_weights=point_cum, k=n)
        decision = rng.choices(decisions, cum_weights=decision_cum, k=n)
        lines, hits = [], []
        for i in range(n):
            at = f"{day[i]} {clocks[rng.randrange(86_400)]}+00"
            number = f"B{start + i:08d}"
            lines.append(
                f"I{start + i:09d}\t{at}\t{at}\tofficer.{i % 60:02d}\t{point[i]}\t"
                f"{'entry' if i % 2 else 'exit'}\tborder control\tMAR\t{number}\tMAR\t"
                f"{decision[i]}\t{{}}\n"
            )
            if rng.random() < hit_share:
                status = rng.choices(statuses, cum_weights=status_cum)[0]
                lines_source = SOURCES[i % 4]
                reference = f"W-{i % 500:04d}" if lines_source == "watchlist" else f"R-{i}"
                hits.append(f"I{start + i:09d}\t{lines_source}\t{reference}\t0.9\t{status}\t{at}\n")
        yield "".join(lines), "".join(hits)


# --------------------------------------------------------------------------- the database


@contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new database for the run, dropped WITH (FORCE) at the end, also on error."""
    name = f"passerelle_bench_dashboard_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def _raw(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def generate(url: str, args: argparse.Namespace) -> dict[str, float]:
    """COPY the crossings, inspections and hit reviews in; rebuild the indexes; ANALYZE."""
    timings: dict[str, float] = {}
    inspections = int(args.crossings * args.inspection_share)
    with psycopg.connect(_raw(url), autocommit=True) as connection:
        for statements in INDEXES.values():
            for statement in statements:
                connection.execute(f"DROP INDEX {statement.split()[2]}")
        begun = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY crossings (issuing_state, document_number, nationality, crossing_point,"
                " direction, at, officer, recorded_at) FROM STDIN"
            ) as copy,
        ):
            for chunk in crossing_lines(args.crossings, args.end, args.seed):
                copy.write(chunk)
        timings["copy_crossings_s"] = time.perf_counter() - begun
        begun = time.perf_counter()
        hit_chunks: list[str] = []
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY inspections (id, at, recorded_at, officer, crossing_point, direction,"
                " purpose, issuing_state, document_number, nationality, decision, result)"
                " FROM STDIN"
            ) as copy,
        ):
            for chunk, hits in inspection_lines(inspections, args.end, args.seed, args.hit_share):
                copy.write(chunk)
                hit_chunks.append(hits)
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY hit_reviews (inspection_id, source, reference, score, status, created_at)"
                " FROM STDIN"
            ) as copy,
        ):
            for hits in hit_chunks:
                copy.write(hits)
        timings["copy_inspections_s"] = time.perf_counter() - begun
        begun = time.perf_counter()
        for statements in INDEXES.values():
            for statement in statements:
                connection.execute(statement)
        timings["indexes_s"] = time.perf_counter() - begun
        begun = time.perf_counter()
        connection.execute("ANALYZE")
        timings["analyze_s"] = time.perf_counter() - begun
    return timings


# --------------------------------------------------------------------------- the measures


def timed(run: Callable[[], Any], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        begun = time.perf_counter()
        run()
        samples.append(time.perf_counter() - begun)
    return {"median_s": statistics.median(samples), "max_s": max(samples), "runs": repeat}


def percentiles(samples: list[float]) -> dict[str, float | int | None]:
    if not samples:
        return {"n": 0, "p50_ms": None, "p95_ms": None}
    ordered = sorted(samples)

    def pick(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return {"n": len(ordered), "p50_ms": pick(0.50), "p95_ms": pick(0.95)}


class Booths:
    """``writers`` threads writing inspections as the node does, timing each transaction."""

    def __init__(self, database: Database, writers: int, end: date) -> None:
        self.database, self.writers, self.end = database, writers, end
        self.audit = AuditTrail(secrets.token_bytes(32))
        self.repository = InspectionRepository(self.audit)
        self.samples: list[float] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counter = 0

    def _one(self, booth: int) -> None:
        with self.lock:
            self.counter += 1
            number = self.counter
        now = datetime.combine(self.end, datetime.min.time(), tzinfo=UTC) + timedelta(
            hours=12, seconds=number
        )
        point = POINTS[number % 6][0]
        document = f"LIVE{number:08d}"
        begun = time.perf_counter()
        with self.database.write() as session:
            entry = CrossingEntry(
                issuing_state="MAR",
                document_number=document,
                nationality="MAR",
                crossing_point=point,
                direction="entry",
                at=now,
            )
            crossing, _ = record_crossing(session, self.audit, entry, actor=OFFICER, now=now)
            self.repository.add(
                session,
                inspection_id=f"LIVE{booth}-{number}",
                at=now,
                now=now,
                officer=OFFICER.name,
                crossing_point=point,
                direction="entry",
                purpose="border control",
                issuing_state="MAR",
                document_number=document,
                nationality="MAR",
                decision="clear",
                result={"decision": "clear"},
                crossing_id=crossing.id,
                hits=[],
            )
            self.audit.record(
                session,
                actor=OFFICER,
                action="inspection.search",
                purpose="border control",
                at=now,
                query={"document": f"MAR:{document}"},
                result={"decision": "clear"},
            )
        with self.lock:
            self.samples.append(time.perf_counter() - begun)

    def during(self, seconds: float, work: Callable[[], Any] | None) -> dict[str, Any]:
        """Inspections for ``seconds`` while ``work`` runs back to back (or nothing)."""
        self.samples, self.stop = [], threading.Event()

        def booth(number: int) -> None:
            while not self.stop.is_set():
                self._one(number)

        threads = [threading.Thread(target=booth, args=(b,)) for b in range(self.writers)]
        for thread in threads:
            thread.start()
        runs, deadline = 0, time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if work is None:
                time.sleep(0.05)
            else:
                work()
                runs += 1
        self.stop.set()
        for thread in threads:
            thread.join()
        return percentiles(self.samples) | {"dashboards": runs}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"crossings": args.crossings, "problems": []}
    year = DashboardQuery.last_days(args.end, days=365)
    month = DashboardQuery.last_days(args.end, days=30)
    point = DashboardQuery.last_days(args.end, days=365, crossing_point="TNG-MED")
    with scratch_database(args.pg_url) as url:
        database = Database(url)
        database.upgrade()
        report["setup"] = generate(url, args)
        begun = time.perf_counter()
        with database.write() as session:
            rebuilt = rebuild_rollups(session, since=None)
        report["setup"]["rebuild_s"] = time.perf_counter() - begun
        report["rollup_rows"] = rebuilt.crossing_rows + rebuilt.inspection_rows
        report["inspections"] = rebuilt.inspections
        with database.engine.connect() as connection:
            report["hit_reviews"] = connection.execute(
                text("SELECT COUNT(*) FROM hit_reviews")
            ).scalar_one()

        def figures(query: DashboardQuery, scan: bool = False) -> Any:
            with database.read() as session:
                return (dashboard_by_scan if scan else dashboard)(session, query)

        figures(year)  # warm the caches once, untimed
        report["counts"] = {
            "year": timed(lambda: figures(year), args.repeat),
            "month": timed(lambda: figures(month), args.repeat),
            "year_one_point": timed(lambda: figures(point), args.repeat),
        }

        def hit_figures(query: DashboardQuery) -> Any:
            with database.read() as session:
                return hits_by_source(session, query), false_positive_rates(session, query)

        report["counts"]["year_hits_part"] = timed(lambda: hit_figures(year), args.repeat)
        report["scan"] = {"month": timed(lambda: figures(month, scan=True), 2)}
        if figures(month) != figures(month, scan=True):
            report["problems"].append("the 30 days' figures differ between counts and scan")
        if args.scan_year:
            report["scan"]["year"] = timed(lambda: figures(year, scan=True), 1)
            if figures(year) != figures(year, scan=True):
                report["problems"].append("the year's figures differ between counts and scan")
        booths = Booths(database, args.writers, args.end)
        booths.during(2.0, None)  # warm-up
        report["inspections_latency"] = {
            "idle": booths.during(args.seconds, None),
            "during_counts_year": booths.during(args.seconds, lambda: figures(year)),
            "during_scan_month": booths.during(args.seconds, lambda: figures(month, scan=True)),
        }
        database.dispose()
    return report


def print_report(r: dict[str, Any]) -> None:
    s = r["setup"]
    print(
        f"dashboard on PostgreSQL: {r['crossings']:,} crossings, {r['inspections']:,}"
        f" inspections, {r['hit_reviews']:,} hit reviews over 365 days;"
        f" {r['rollup_rows']:,} daily-count rows"
    )
    print(
        f"setup: COPY crossings {s['copy_crossings_s']:.1f} s, inspections+hits"
        f" {s['copy_inspections_s']:.1f} s, indexes {s['indexes_s']:.1f} s, ANALYZE"
        f" {s['analyze_s']:.1f} s, rebuild of the daily counts {s['rebuild_s']:.1f} s"
    )
    counts, scan = r["counts"], r["scan"]
    year = counts["year"]["median_s"]
    print(
        f"year, daily counts:        {year:8.3f} s median ({counts['year']['max_s']:.3f} max)"
        f"  target ≤ {TARGET_YEAR_S:.0f} s: {'met' if year <= TARGET_YEAR_S else 'MISSED'}"
    )
    print(f"year, one point (TNG-MED): {counts['year_one_point']['median_s']:8.3f} s median")
    print(
        f"  of the year, the hit figures read from hit_reviews:"
        f" {counts['year_hits_part']['median_s']:.3f} s median"
    )
    month = counts["month"]["median_s"]
    print(f"30 days, daily counts:     {month:8.3f} s median")
    peer = scan["month"]["median_s"]
    print(
        f"30 days, scan (peer):      {peer:8.3f} s median  -> scan ÷ counts = {peer / month:.0f}x"
    )
    if "year" in scan:
        scanned = scan["year"]["median_s"]
        print(
            f"year, scan (peer):         {scanned:8.3f} s  -> scan ÷ counts = {scanned / year:.0f}x"
        )
    else:
        print("year, scan (peer):         not run (--scan-year)")
    for name, phase in r["inspections_latency"].items():
        print(
            f"inspections ({name}): n={phase['n']} p50 {phase['p50_ms']:.1f} ms"
            f" p95 {phase['p95_ms']:.1f} ms, {phase['dashboards']} dashboards meanwhile"
        )
    for problem in r["problems"]:
        print(f"PROBLEM: {problem}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--crossings", type=int, default=2_000_000, help="(default 2,000,000)")
    parser.add_argument("--inspection-share", type=float, default=0.1, help="(default 0.1)")
    parser.add_argument("--hit-share", type=float, default=0.01, help="of inspections (0.01)")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument("--repeat", type=int, default=5, help="dashboards timed (default 5)")
    parser.add_argument("--writers", type=int, default=4, help="inspecting threads (4)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per latency phase (10)")
    parser.add_argument("--scan-year", action="store_true", help="also scan the whole year")
    parser.add_argument("--seed", type=int, default=9303, help="data seed (default 9303)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help=f"admin URL ({DEFAULT_PG_URL})")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.crossings < 1 or args.repeat < 1 or args.writers < 1:
        parser.error("--crossings, --repeat and --writers must be at least 1")
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
        print(json.dumps(report, ensure_ascii=False, default=str))
    else:
        print_report(report)
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
