"""Large SLTD loads: entries handed over as COPY text; a first load builds its index last."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from passerelle.store import AuditTrail, Database
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.sltd_rows import pack_entries, unpack_entries
from passerelle.store.tables import SltdRecord
from tests.conftest import Clock
from tests.store.test_sltd import ADMIN, lookup, record, write_lines


def stored(database: Database) -> list[tuple[Any, ...]]:
    with database.read() as session:
        rows = session.execute(
            select(
                SltdRecord.issuing_state,
                SltdRecord.document_number,
                SltdRecord.number_key,
                SltdRecord.number_key9,
                SltdRecord.document_code,
                SltdRecord.status,
                SltdRecord.reported_on,
                SltdRecord.reported_by,
                SltdRecord.version,
                SltdRecord.superseded_at.is_(None),
            ).order_by(SltdRecord.issuing_state, SltdRecord.document_number, SltdRecord.version)
        )
        return [tuple(row) for row in rows]


def lookup_index(database: Database) -> str | None:
    with database.read() as session:
        return session.scalar(text("SELECT to_regclass('ix_sltd_lookup')::text"))


def documents(count: int, **changes: Any) -> list[dict[str, Any]]:
    return [
        record(document_number=f"AB{n:07d}", issuing_state=("MAR", "DZA", "BEL")[n % 3]) | changes
        for n in range(count)
    ]


def load(database: Database, audit: AuditTrail, clock: Clock, path: Path, parallel: bool):  # type: ignore[no-untyped-def]
    return load_file(
        database,
        audit,
        SltdRegistry(),
        path,
        actor=ADMIN,
        clock=clock,
        batch_size=7,
        parallel=parallel,
        part_lines=3,
    )


def test_entries_packed_as_copy_text_read_back_the_same() -> None:
    registry = SltdRegistry()
    entries = [
        registry.parse(record(document_number="AB1O2I345")),
        registry.parse(record(document_number="592000000123", issuing_state="BEL", status="lost")),
    ]
    packed = pack_entries(entries)
    assert packed.count(b"\n") == 2
    assert b"AB1O2I345\tAB1021345\tAB1021345\t" in packed
    assert unpack_entries(packed) == entries


def test_a_large_first_load_stores_what_a_serial_load_stores(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    lines: list[dict[str, Any] | str] = list(documents(30))
    lines[4] = "{broken"
    lines[11] = lines[10]  # a repeat
    lines[12] = dict(lines[3]) | {"status": "lost"}  # conflicts with line 4's document
    path = write_lines(tmp_path / "s.jsonl", *lines)
    serial = load(database, audit, clock, path, parallel=False)
    expected = stored(database)
    with database.write() as session:
        session.execute(text("DELETE FROM sltd_records"))
    parallel = load(database, audit, clock, path, parallel=True)
    assert stored(database) == expected
    assert (parallel.accepted, parallel.unchanged) == (serial.accepted, serial.unchanged) == (27, 1)
    assert [(r.line_no, r.field) for r in parallel.rejections] == [
        (5, "line"),
        (13, "document_number"),
    ]
    if database.engine.dialect.name == "postgresql":
        assert lookup_index(database) == "ix_sltd_lookup"
    assert lookup(database, "MAR", "AB0000000") == [("AB0000000", "stolen", "exact")]
    with database.read() as session:
        assert audit.verify(session).intact


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "packed"])
def test_a_load_over_stored_records_finds_them_in_every_batch(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path, parallel: bool
) -> None:
    # A batch that stored new records once made the load's later batches skip the look-up
    # of stored ones (as if the registry held only this load's records): repeats of
    # stored documents became second current versions.
    load(database, audit, clock, write_lines(tmp_path / "a.jsonl", *documents(20)), parallel)
    changed = documents(25)
    changed[2]["status"] = "invalidated"
    changed = changed[20:] + changed[:20]  # new documents first
    path = write_lines(tmp_path / "b.jsonl", *changed)
    report = load(database, audit, clock, path, parallel)
    assert (report.accepted, report.unchanged) == (6, 19)
    versions = [row for row in stored(database) if row[1] == "AB0000002"]
    assert [(row[5], row[8], row[9]) for row in versions] == [
        ("stolen", 1, False),
        ("invalidated", 2, True),
    ]


def test_a_first_load_stopped_midway_leaves_records_found_and_the_next_load_indexes_them(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    registry = SltdRegistry()
    first = [registry.parse(line) for line in documents(5)]
    with database.write() as session:  # a first load's first batch, then the load dies
        registry.apply_packed(session, pack_entries(first), len(first), clock())
    if database.engine.dialect.name == "postgresql":
        assert lookup_index(database) is None
    assert lookup(database, "MAR", "AB0000000") == [("AB0000000", "stolen", "exact")]
    again = documents(8)
    again[0]["reported_on"] = "2026-10-02"
    report = load(database, audit, clock, write_lines(tmp_path / "s.jsonl", *again), True)
    assert (report.accepted, report.unchanged) == (4, 4)
    if database.engine.dialect.name == "postgresql":
        assert lookup_index(database) == "ix_sltd_lookup"
    current = [row for row in stored(database) if row[9]]
    assert len(current) == 8
    assert [row[6] for row in current if row[1] == "AB0000000"] == [date(2026, 10, 2)]
