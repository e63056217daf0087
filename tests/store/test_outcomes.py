"""The risk page's daily outcome counts agree with the inspections, through every write."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import inspect as schema
from sqlalchemy import text, update

from passerelle.analytics import DashboardQuery
from passerelle.analytics.risk import RiskQuery, pattern_rules
from passerelle.analytics.risk.counted import (
    counted_by_day,
    counted_by_nationality,
    counted_by_route,
)
from passerelle.analytics.risk.indicators import by_day, by_nationality, by_route
from passerelle.store import AuditTrail, Database
from passerelle.store.inspections import InspectionRepository
from passerelle.store.rollups import rebuild_rollups, verify_rollups
from passerelle.store.tables import DailyOutcomes
from tests.store.test_rollups import NOVEMBER, OFFICER, at, mixed_writes

FRAUD = pattern_rules().fraud
MONTH = RiskQuery(NOVEMBER)


def _finding(source: str, code: str) -> dict[str, Any]:
    return {"source": source, "code": code, "severity": "refer", "message": code}


def risky_writes(database: Database, audit: AuditTrail) -> None:
    """Inspections with findings and overstays, then the officers' decisions on some."""
    repository = InspectionRepository(audit)
    results: list[dict[str, Any]] = [
        {"findings": [_finding("document", "suspicious"), _finding("watchlist", "hit")]},
        {"stay": {"overstay_days": 12}},
        {"findings": [_finding("alerts", "alert_forged_document")], "stay": {"overstay_days": 0}},
        {},
        {"findings": [_finding("document", "expired")]},
    ]
    with database.write() as session:
        for n in range(10):
            repository.add(
                session,
                inspection_id=f"R{n}",
                at=at(2 + n % 4, 22 + n % 2, 45),
                now=at(2 + n % 4),
                officer=OFFICER.name,
                crossing_point=("TNG-MED", "NDR-BNI")[n % 2],
                direction=("entry", "exit")[n // 5],
                purpose="border check",
                issuing_state="DZA",
                document_number=f"DZ{n:06d}",
                nationality=None if n == 3 else ("DZA", "SYR")[n % 3 == 0],
                decision=("clear", "refer", "hit")[n % 3],
                result={"decision": "clear", **results[n % len(results)]},
                crossing_id=None,
                hits=[],
            )
    with database.write() as session:  # decided later, in their own transactions
        decisions = [(1, "refuse", "false_document"), (4, "refuse", "no_visa"),
                     (6, "admit", "ok"), (8, "refuse", "forged_document")]  # fmt: skip
        for n, action, reason in decisions:
            repository.record_decision(
                session, f"R{n}", action=action, reason_code=reason, by=OFFICER,
                now=at(6), crossing_id=None,
            )  # fmt: skip


def _readings(database: Database, query: RiskQuery) -> tuple[Any, Any]:
    with database.read() as session:
        counted = (
            counted_by_route(session, query, FRAUD),
            counted_by_nationality(session, query, FRAUD),
            counted_by_day(session, query, FRAUD),
        )
        scanned = (
            by_route(session, query, FRAUD),
            by_nationality(session, query, FRAUD),
            by_day(session, query, FRAUD),
        )
    return counted, scanned


def test_outcome_counts_agree_with_the_scan_after_mixed_writes_and_decisions(
    database: Database, audit: AuditTrail, tmp_path: Path
) -> None:
    mixed_writes(database, audit, tmp_path)
    risky_writes(database, audit)
    with database.read() as session:
        assert verify_rollups(session, since=None) == []
    for query in (
        MONTH,
        RiskQuery(DashboardQuery(date(2026, 11, 3), date(2026, 11, 4), "NDR-BNI")),
        RiskQuery(NOVEMBER, "DZA"),
        RiskQuery(NOVEMBER, "SYR"),
    ):
        counted, scanned = _readings(database, query)
        assert counted == scanned, query
    counted, _ = _readings(database, MONTH)
    totals = [sum(r.count(name) for r in counted[0]) for name in ("inspections", "refusals",
              "overstays", "fraud", "hits")]  # fmt: skip
    # 13 from mixed_writes; refusals R1 R4 R8; overstays R1 R6; fraud R0 R1 R2 R5 R7 R8; hits
    assert totals == [23, 3, 2, 6, 4 + 3]


def test_a_drifted_outcome_count_is_found_and_rebuilt(
    database: Database, audit: AuditTrail
) -> None:
    risky_writes(database, audit)
    with database.write() as session:
        session.execute(update(DailyOutcomes).where(DailyOutcomes.action == "refuse").values(n=5))
    with database.read() as session:
        drift = verify_rollups(session, since=None)
    assert {d.table for d in drift} == {"daily_outcomes"}
    assert {(d.key[5], d.counted, d.scanned) for d in drift} == {("refuse", 5, 1)}
    with database.write() as session:
        report = rebuild_rollups(session, since=None)
    assert (report.outcomes, report.inspections) == (10, 10)
    with database.read() as session:
        assert verify_rollups(session, since=None) == []


def test_the_outcome_counts_are_filled_from_the_inspections_and_dropped_on_downgrade(
    blank_database: Database, audit: AuditTrail
) -> None:
    blank_database.upgrade()
    risky_writes(blank_database, audit)
    with blank_database.write() as session:
        session.execute(text("DELETE FROM daily_outcomes"))
    assert blank_database.downgrade("0026") == (blank_database.head_revision(), "0026")
    assert "daily_outcomes" not in schema(blank_database.engine).get_table_names()
    assert blank_database.upgrade("0027") == ("0026", "0027")
    with blank_database.read() as session:
        assert verify_rollups(session, since=None) == []  # the backfill counted them all
        (rows, total) = session.execute(text("SELECT COUNT(*), SUM(n) FROM daily_outcomes")).one()
    assert total == 10
    assert rows <= 10
    counted, scanned = _readings(blank_database, MONTH)
    assert counted == scanned
