"""The dashboard's daily counts: kept by every write path, by concurrent writers, by retention."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from passerelle.analytics import DashboardQuery, dashboard
from passerelle.analytics.scans import dashboard_by_scan
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.crossings import CrossingEntry, CrossingRegistry, record_crossing
from passerelle.store.inspections import HitDraft, InspectionRepository
from passerelle.store.loading import load_file
from passerelle.store.retention import RetentionPolicy, apply_retention
from passerelle.store.rollups import first_whole_day, rebuild_rollups, verify_rollups
from passerelle.store.tables import DailyCrossings, DailyInspections
from tests.conftest import _empty_postgres

OFFICER = Actor("officer.benali", "user", "officer")
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
NOVEMBER = DashboardQuery(date(2026, 11, 1), date(2026, 11, 30))


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def entry(number: int, when: datetime, **changes: str | None) -> CrossingEntry:
    fields: dict[str, object] = {
        "issuing_state": "MAR",
        "document_number": f"UM{number:07d}",
        "nationality": "MAR",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "at": when,
    }
    fields.update(changes)
    return CrossingEntry(**fields)  # type: ignore[arg-type]


def inspect(
    session: object,
    repository: InspectionRepository,
    inspection_id: str,
    when: datetime,
    *,
    decision: str = "clear",
    point: str = "TNG-MED",
    crossing_id: int | None = None,
    hits: list[HitDraft] | None = None,
) -> None:
    repository.add(
        session,  # type: ignore[arg-type]
        inspection_id=inspection_id,
        at=when,
        now=when,
        officer=OFFICER.name,
        crossing_point=point,
        direction="entry",
        purpose="border check",
        issuing_state="MAR",
        document_number=inspection_id,
        nationality="MAR",
        decision=decision,
        result={"decision": decision},
        crossing_id=crossing_id,
        hits=hits or [],
    )


def bulk_file(path: Path) -> Path:
    lines = [
        {
            "issuing_state": state,
            "document_number": f"XB{n:07d}",
            "nationality": state if n % 4 else None,
            "crossing_point": "ndr" if n % 3 else "BAB SEBTA",
            "direction": "exit" if n % 2 else "entry",
            "at": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:15:00Z",
        }
        for n, state in enumerate(["ESP", "FRA", "DZA", "MAR"] * 30)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def mixed_writes(database: Database, audit: AuditTrail, tmp_path: Path) -> None:
    """Crossings one by one and in bulk, inspections with and without hits, one unlogged."""
    repository = InspectionRepository(audit)
    with database.write() as session:
        for n in range(12):
            when = at(1 + n % 5, 23 if n % 3 == 0 else 8, 30)  # some at 23:30 UTC
            direction = "exit" if n % 2 else "entry"
            nationality = None if n == 7 else ("ESP" if n % 3 else "MAR")
            record_crossing(
                session,
                audit,
                entry(n, when, direction=direction, nationality=nationality),
                actor=OFFICER,
                now=NOW,
            )
            decision = ("clear", "refer", "hit")[n % 3]
            hits = [HitDraft("sltd", f"MAR:UM{n:07d}", 1.0)] if decision == "hit" else []
            inspect(session, repository, f"I{n}", when, decision=decision, hits=hits)
        record_crossing(session, audit, entry(0, at(1, 23, 30)), actor=OFFICER, now=NOW)  # retry
        admitted, _ = record_crossing(session, audit, entry(99, at(9)), actor=OFFICER, now=NOW)
        inspect(session, repository, "ADMIT", at(9), crossing_id=admitted.id)
    load_file(
        database,
        audit,
        CrossingRegistry(),
        bulk_file(tmp_path / "crossings.jsonl"),
        actor=OFFICER,
        clock=lambda: NOW,
        batch_size=50,
    )
    with database.write() as session:  # the officer did not admit the traveller after all
        repository.unlog_crossing(session, "ADMIT", by=OFFICER, now=NOW, reason="turned back")


def test_counts_agree_with_a_scan_after_every_kind_of_write(
    database: Database, audit: AuditTrail, tmp_path: Path
) -> None:
    mixed_writes(database, audit, tmp_path)
    with database.read() as session:
        assert verify_rollups(session, since=None) == []
        counted = dashboard(session, NOVEMBER)
        scanned = dashboard_by_scan(session, NOVEMBER)
        per_point = dashboard(session, DashboardQuery(NOVEMBER.start, NOVEMBER.end, "ndr"))
        per_point_scanned = dashboard_by_scan(
            session, DashboardQuery(NOVEMBER.start, NOVEMBER.end, "NDR")
        )
    assert counted == scanned
    assert counted.summary.crossings == 12 + 120  # the retry once, the unlogged one gone
    assert counted.summary.inspections == 13
    assert per_point == per_point_scanned
    assert per_point.summary.crossings == 80


def test_a_count_that_drifted_is_found_and_rebuilt(
    database: Database, audit: AuditTrail, tmp_path: Path
) -> None:
    mixed_writes(database, audit, tmp_path)
    with database.write() as session:
        session.execute(update(DailyInspections).values(n=DailyInspections.n + 1))
        session.execute(
            update(DailyCrossings)
            .where(DailyCrossings.day == date(2026, 11, 3), DailyCrossings.direction == "exit")
            .values(n=0)
        )
    with database.read() as session:
        drift = verify_rollups(session, since=None)
    assert {d.table for d in drift} == {"daily_crossings", "daily_inspections"}
    crossings = [d for d in drift if d.table == "daily_crossings"]
    assert {(d.key[0], d.key[2], d.counted) for d in crossings} == {("2026-11-03", "exit", 0)}
    assert all(d.counted == d.scanned + 1 for d in drift if d.table == "daily_inspections")
    with database.write() as session:
        report = rebuild_rollups(session, since=None)
    assert (report.crossings, report.inspections) == (132, 13)
    with database.read() as session:
        assert verify_rollups(session, since=None) == []


def test_retention_deletes_the_rows_but_not_the_counts(
    database: Database, audit: AuditTrail
) -> None:
    repository = InspectionRepository(audit)
    with database.write() as session:
        for day in (1, 20, 29):
            record_crossing(session, audit, entry(day, at(day)), actor=OFFICER, now=NOW)
            inspect(session, repository, f"I{day}", at(day))
    policy = RetentionPolicy(crossings_days=15, inspections_days=15)
    with database.write() as session:
        report = apply_retention(session, audit, policy, actor=OFFICER, now=NOW)
    assert (report.crossings, report.inspections) == (1, 1)
    with database.read() as session:
        figures = dashboard(session, NOVEMBER)
        scanned = dashboard_by_scan(session, NOVEMBER)
        whole = first_whole_day(policy, NOW)
        assert whole == date(2026, 11, 16)
        assert verify_rollups(session, since=whole) == []
        gone = verify_rollups(session, since=None)
    assert (figures.summary.crossings, figures.summary.inspections) == (3, 3)
    assert (scanned.summary.crossings, scanned.summary.inspections) == (2, 2)
    assert [(d.table, d.key[0], d.counted, d.scanned) for d in gone] == [
        ("daily_crossings", "2026-11-01", 1, 0),
        ("daily_inspections", "2026-11-01", 1, 0),
        ("daily_outcomes", "2026-11-01", 1, 0),  # the risk page's counts outlive them too
    ]
    with database.write() as session:  # a rebuild from the whole days keeps the 1st's
        rebuild_rollups(session, since=whole)
    with database.read() as session:
        assert dashboard(session, NOVEMBER).summary.crossings == 3


def test_booths_writing_at_once_lose_no_count(postgres_url: str, audit: AuditTrail) -> None:
    """Eight booths on PostgreSQL, each its own connection and transactions, all on the same
    day, point and decision (the same count rows), started together."""
    database = Database(postgres_url)
    _empty_postgres(database)
    repository = InspectionRepository(audit)
    booths, each = 8, 25
    start = threading.Barrier(booths)
    errors: list[BaseException] = []

    def booth(number: int) -> None:
        try:
            start.wait()
            for n in range(each):
                when = at(5, 9, n % 60)
                with database.write() as session:
                    inspect(session, repository, f"B{number}-{n}", when)
                    document = entry(number * 1000 + n, when, nationality=None)
                    record_crossing(session, audit, document, actor=OFFICER, now=NOW)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=booth, args=(b,)) for b in range(booths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        with database.read() as session:
            inspections = session.scalars(select(DailyInspections.n)).all()
            crossings = session.scalars(select(DailyCrossings.n)).all()
            assert verify_rollups(session, since=None) == []
        assert inspections == crossings == [booths * each]
    finally:
        database.dispose()


def test_an_empty_rebuild_leaves_no_count(database: Database) -> None:
    with database.write() as session:
        report = rebuild_rollups(session, since=date(2026, 11, 1))
    assert (report.crossing_rows, report.inspection_rows) == (0, 0)
    with database.read() as session:
        assert verify_rollups(session, since=None) == []


def test_first_whole_day_follows_the_shorter_limit() -> None:
    policy = RetentionPolicy(crossings_days=1095, inspections_days=180)
    assert first_whole_day(policy, NOW) == (NOW - timedelta(days=180)).date() + timedelta(days=1)
