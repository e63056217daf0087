"""A small hand-counted world for the risk figures: inspections, decisions and crossings.

1-7 November 2026 (UTC), two points. Counted by hand:

=========  =========  =====  ===========  ========  ========  =====  ====
id         point      way    nationality  refusal   overstay  fraud  hit
=========  =========  =====  ===========  ========  ========  =====  ====
R1 (1st)   TNG-MED    entry  DZA          yes                 yes
R2 (1st)   TNG-MED    entry  SYR                    yes
R3 (3rd)   NDR-BNI    exit   MAR                                     yes
R4 (3rd)   TNG-MED    entry  DZA                              yes
R5 (5th)   NDR-BNI    entry  DZA          yes       yes
R6 (9th)   TNG-MED    entry  DZA          yes (after the period: not counted)
=========  =========  =====  ===========  ========  ========  =====  ====
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from passerelle.analytics import DashboardQuery
from passerelle.analytics.risk import RiskQuery
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.crossings import CrossingEntry, record_crossing
from passerelle.store.inspections import InspectionRepository

OFFICER = Actor("officer.benali", "user", "officer")
WEEK = RiskQuery(DashboardQuery(date(2026, 11, 1), date(2026, 11, 7)))
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def finding(source: str, code: str) -> dict[str, Any]:
    return {"source": source, "code": code, "severity": "refer", "message": "."}


def stay(overstay_days: int) -> dict[str, Any]:
    return {"days_used": 95, "days_left": 0, "max_days": 90, "window_days": 180,
            "overstay_days": overstay_days, "inside": True, "latest_day": None}  # fmt: skip


# (id, at, point, direction, nationality, decision, result, (action, reason))
INSPECTIONS: list[tuple[str, str, str, str, str, str, dict[str, Any], tuple[str, str] | None]] = [
    ("R1", "2026-11-01T10:00:00", "TNG-MED", "entry", "DZA", "refer",
     {"findings": [finding("document", "suspicious")], "stay": None},
     ("refuse", "false_document")),
    ("R2", "2026-11-01T11:00:00", "TNG-MED", "entry", "SYR", "refer",
     {"findings": [finding("stay", "overstay")], "stay": stay(12)}, None),
    ("R3", "2026-11-03T09:00:00", "NDR-BNI", "exit", "MAR", "hit",
     {"findings": [finding("sltd", "stolen")], "stay": stay(0)}, None),
    ("R4", "2026-11-03T12:00:00", "TNG-MED", "entry", "DZA", "refer",
     {"findings": [finding("alerts", "alert_forged_document")]}, None),
    ("R5", "2026-11-05T23:30:00", "NDR-BNI", "entry", "DZA", "refer",
     {"findings": [], "stay": stay(3)}, ("refuse", "no_visa")),
    ("R6", "2026-11-09T08:00:00", "TNG-MED", "entry", "DZA", "refer",
     {"findings": []}, ("refuse", "no_visa")),
]  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def build(database: Database, audit: AuditTrail) -> None:
    repository = InspectionRepository(audit)
    with database.write() as session:
        for n, (ident, at, point, way, nat, decision, result, decided) in enumerate(INSPECTIONS):
            repository.add(
                session,
                inspection_id=ident,
                at=utc(at),
                now=utc(at),
                officer=OFFICER.name,
                crossing_point=point,
                direction=way,
                purpose="border check",
                issuing_state=nat,
                document_number=f"DOC{n:05d}",
                nationality=nat,
                decision=decision,
                result={"decision": decision, **result},
                crossing_id=None,
                hits=[],
            )
            if decided is not None:
                repository.record_decision(
                    session, ident, action=decided[0], reason_code=decided[1], by=OFFICER,
                    now=utc(at), crossing_id=None,
                )  # fmt: skip


def cross(
    database: Database,
    audit: AuditTrail,
    crossings: list[tuple[str, str, str, str]],
    *,
    state: str = "MAR",
) -> list[int]:
    """Record ``(document, point, direction, at)`` crossings; their ids, in order."""
    ids = []
    with database.write() as session:
        for number, point, way, at in crossings:
            entry = CrossingEntry(
                issuing_state=state,
                document_number=number,
                nationality=state,
                crossing_point=point,
                direction="entry" if way == "entry" else "exit",
                at=utc(at),
            )
            crossing, _ = record_crossing(session, audit, entry, actor=OFFICER, now=NOW)
            ids.append(crossing.id)
    return ids
