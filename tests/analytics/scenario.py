"""A week at two crossing points, written through the store's own code, and what it should show.

The period is 1-7 November 2026 (UTC). Crossings, inspections and hits fall on
some days and not others (2, 4 and 6 November are empty), at both edges of the
period and just outside it; one crossing and one inspection happen at 23:30 UTC,
which is already the next day east of UTC. Reviews cover every verdict: confirmed,
dismissed, marked not the same person while still pending, a weak candidate
marked not the same person (queued already dismissed), a hit on a watchlist
person no longer stored, and hits nobody reviewed yet.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from passerelle.analytics import DashboardQuery
from passerelle.records.watchlist import read_entry
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.crossings import CrossingEntry, record_crossing
from passerelle.store.inspections import HitDraft, InspectionRepository
from passerelle.store.watchlist import WatchlistRegistry

OFFICER = Actor("officer.benali", "user", "officer")
ANALYST = Actor("analyst.idrissi", "user", "analyst")
START, END = date(2026, 11, 1), date(2026, 11, 7)
WEEK = DashboardQuery(START, END)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

# (at, point, direction, nationality): 8 in the week, 2 just outside it.
CROSSINGS = [
    ("2026-10-31T23:59:59", "TNG-MED", "entry", "MAR"),  # before the period
    ("2026-11-01T10:00:00", "TNG-MED", "entry", "MAR"),
    ("2026-11-01T11:00:00", "TNG-MED", "entry", "MAR"),
    ("2026-11-01T12:00:00", "TNG-MED", "exit", "ESP"),
    ("2026-11-03T09:00:00", "NDR", "entry", "MAR"),
    ("2026-11-03T23:30:00", "NDR", "entry", "DZA"),  # 00:30 on 4 November in Morocco (UTC+1)
    ("2026-11-03T14:00:00", "TNG-MED", "exit", "FRA"),
    ("2026-11-03T15:00:00", "TNG-MED", "entry", None),  # nationality not recorded
    ("2026-11-07T23:59:59", "NDR", "exit", "ESP"),  # the period's last second
    ("2026-11-08T00:00:00", "NDR", "entry", "MAR"),  # after the period
]

WATCHLIST = [("MAR-W-0001", "wanted"), ("MAR-W-0002", "travel_ban")]

# (id, at, point, decision, hits)
INSPECTIONS = [
    ("I0", "2026-10-31T12:00:00", "TNG-MED", "hit", [("sltd", "MAR:UM0000001")]),
    ("I1", "2026-11-01T10:00:00", "TNG-MED", "clear", []),
    ("I2", "2026-11-01T11:00:00", "TNG-MED", "clear", []),
    ("I3", "2026-11-01T12:30:00", "TNG-MED", "refer", [("watchlist", "MAR-W-0001")]),
    ("I4", "2026-11-03T09:00:00", "NDR", "hit",
     [("sltd", "MAR:UM4731285"), ("watchlist", "MAR-W-0002")]),
    ("I5", "2026-11-03T23:30:00", "NDR", "hit",
     [("watchlist", "MAR-W-0001"), ("face", "wanted:MAR-W-0001")]),
    ("I6", "2026-11-05T08:00:00", "TNG-MED", "hit",
     [("alerts", "AL-0001"), ("watchlist", "MAR-W-GONE")]),
]  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def build_week(database: Database, audit: AuditTrail) -> None:
    """Write the week's crossings, watchlist persons, inspections and reviews."""
    repository = InspectionRepository(audit)
    with database.write() as session:
        for number, (at, point, direction, nationality) in enumerate(CROSSINGS):
            entry = CrossingEntry(
                issuing_state=nationality or "MAR",
                document_number=f"UM{number:07d}",
                nationality=nationality,
                crossing_point=point,
                direction="entry" if direction == "entry" else "exit",
                at=utc(at),
            )
            record_crossing(session, audit, entry, actor=OFFICER, now=NOW)
        registry = WatchlistRegistry()
        for person_id, category in WATCHLIST:
            record = {
                "id": person_id,
                "names": ["Mohamed Ben Ali"],
                "birth_date": "1985-03-02",
                "nationalities": ["MAR"],
                "sex": "M",
                "category": category,
                "issued_by": "MAR",
                "valid_until": None,
            }
            registry.add(session, read_entry(record), NOW)
        reviews: dict[tuple[str, str], int] = {}
        for index, (inspection_id, at, point, decision, hits) in enumerate(INSPECTIONS):
            queued = repository.add(
                session,
                inspection_id=inspection_id,
                at=utc(at),
                now=utc(at),
                officer=OFFICER.name,
                crossing_point=point,
                direction="entry",
                purpose="border check",
                issuing_state="MAR",
                document_number=f"UM47312{index:02d}",  # each inspection another traveller
                nationality="MAR",
                decision=decision,
                result={"decision": decision},
                crossing_id=None,
                hits=[HitDraft(source, reference, 0.9) for source, reference in hits],
            )
            reviews.update({(inspection_id, r.source): r.id for r in queued})
    with database.write() as session:
        dismiss, confirm = repository.dismiss, repository.confirm
        dismiss(session, reviews["I0", "sltd"], by=ANALYST, note="other document", now=NOW)
        dismiss(session, reviews["I3", "watchlist"], by=ANALYST, note="other man", now=NOW)
        confirm(session, reviews["I4", "sltd"], by=ANALYST, note=None, now=NOW)
        confirm(session, reviews["I5", "watchlist"], by=ANALYST, note=None, now=NOW)
        dismiss(session, reviews["I6", "alerts"], by=ANALYST, note="other car", now=NOW)
        # At the border: I4's watchlist hit is not the traveller (still pending for an
        # analyst), and I1's weak candidate MAR-W-0002 neither (queued, dismissed).
        repository.mark_not_same_person(
            session, "I4", "MAR-W-0002", by=OFFICER, now=utc("2026-11-03T09:05:00")
        )
        repository.mark_not_same_person(
            session,
            "I1",
            "MAR-W-0002",
            by=OFFICER,
            now=utc("2026-11-01T10:05:00"),
            candidate_score=0.4,
        )


def days(*counts: int) -> list[int]:
    """The week's seven daily counts, given in order."""
    assert len(counts) == 7
    return list(counts)


EXPECTED_WEEK = {
    "period": {"start": "2026-11-01", "end": "2026-11-07", "days": 7, "crossing_point": None},
    "summary": {
        "crossings": 8,
        "entries": 5,
        "exits": 3,
        "inspections": 6,
        "hits": 8,
        "pending_reviews": 3,
    },
    "crossings_per_day": {
        "days": [f"2026-11-0{d}" for d in range(1, 8)],
        "series": {"entry": days(2, 0, 3, 0, 0, 0, 0), "exit": days(1, 0, 1, 0, 0, 0, 1)},
    },
    "crossings_per_point": [
        {"crossing_point": "TNG-MED", "entries": 3, "exits": 2, "total": 5},
        {"crossing_point": "NDR", "entries": 2, "exits": 1, "total": 3},
    ],
    "inspections_per_day": {
        "days": [f"2026-11-0{d}" for d in range(1, 8)],
        "series": {
            "clear": days(2, 0, 0, 0, 0, 0, 0),
            "refer": days(1, 0, 0, 0, 0, 0, 0),
            "hit": days(0, 0, 2, 0, 1, 0, 0),
        },
    },
    "hits_by_source": [
        {"label": "sltd", "count": 1},
        {"label": "alerts", "count": 1},
        {"label": "watchlist", "count": 5},
        {"label": "face", "count": 1},
    ],
    "top_nationalities": [
        {"label": "MAR", "count": 3},
        {"label": "ESP", "count": 2},
        {"label": "DZA", "count": 1},
        {"label": "FRA", "count": 1},
    ],
    "false_positive_rates": [
        {"source": "sltd", "category": None, "hits": 1, "reviewed": 1, "false_positives": 0,
         "not_same_person": 0, "pending": 0, "rate": 0.0, "phrase": "0 of 1"},
        {"source": "alerts", "category": None, "hits": 1, "reviewed": 1, "false_positives": 1,
         "not_same_person": 0, "pending": 0, "rate": 1.0, "phrase": "1 of 1"},
        {"source": "watchlist", "category": None, "hits": 5, "reviewed": 4,
         "false_positives": 3, "not_same_person": 2, "pending": 1, "rate": 0.75,
         "phrase": "3 of 4"},
        {"source": "watchlist", "category": "travel_ban", "hits": 2, "reviewed": 2,
         "false_positives": 2, "not_same_person": 2, "pending": 0, "rate": 1.0,
         "phrase": "2 of 2"},
        {"source": "watchlist", "category": "wanted", "hits": 2, "reviewed": 2,
         "false_positives": 1, "not_same_person": 0, "pending": 0, "rate": 0.5,
         "phrase": "1 of 2"},
        {"source": "watchlist", "category": "unknown", "hits": 1, "reviewed": 0,
         "false_positives": 0, "not_same_person": 0, "pending": 1, "rate": None,
         "phrase": "0 of 0"},
        {"source": "face", "category": None, "hits": 1, "reviewed": 0, "false_positives": 0,
         "not_same_person": 0, "pending": 1, "rate": None, "phrase": "0 of 0"},
    ],
}  # fmt: skip
