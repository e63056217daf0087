"""Reading the trail back for auditors: by time, and by subject (a whole value of what an
action asked or returned), alike on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.audit_reading import read_audit

ANALYST = Actor("analyst.idrissi", "user", "analyst")


def _write(database: Database, audit: AuditTrail, at: datetime, query: dict[str, object]) -> None:
    with database.write() as session:
        audit.record(
            session, actor=ANALYST, action="watchlist.search", purpose="check", at=at, query=query
        )


def test_records_are_found_by_time_range_and_by_whole_subject(
    database: Database, audit: AuditTrail
) -> None:
    _write(database, audit, datetime(2026, 5, 1, 10, tzinfo=UTC), {"name": "محمد بن علي"})
    _write(database, audit, datetime(2026, 5, 2, 10, tzinfo=UTC), {"ids": ["MAR-W-1", 'X"Y']})
    _write(database, audit, datetime(2026, 5, 3, 10, tzinfo=UTC), {"id": "MAR-W-10"})

    with database.read() as session:

        def seqs(**wanted: object) -> list[int]:
            return [e.seq for e in read_audit(session, **wanted)]  # type: ignore[arg-type]

        assert seqs(since=datetime(2026, 5, 2, tzinfo=UTC)) == [3, 2]
        assert seqs(until=datetime(2026, 5, 2, 10, tzinfo=UTC)) == [1]  # until is excluded
        assert seqs(subject="محمد بن علي") == [1]
        assert seqs(subject="MAR-W-1") == [2]  # whole values: MAR-W-10 is another person
        assert seqs(subject='X"Y') == [2]
        assert seqs(subject="محمد") == []
        assert seqs(subject="MAR-W-%") == []  # no wildcard
