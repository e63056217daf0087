"""The stolen/lost documents registry: loads, versions, look-alike and long-number lookups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.store.tables import LoadRun, SltdRecord
from tests.conftest import Clock

ADMIN = Actor("registry.admin", "user", "admin")


def record(**changes: Any) -> dict[str, Any]:
    return {
        "issuing_state": "MAR",
        "document_number": "UM4731285",
        "document_code": "P",
        "status": "stolen",
        "reported_on": "2026-10-01",
        "reported_by": "MAR",
    } | changes


def write_lines(path: Path, *lines: dict[str, Any] | str) -> Path:
    path.write_text(
        "".join((json.dumps(line) if isinstance(line, dict) else line) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def load(database: Database, audit: AuditTrail, clock: Clock, path: Path, batch: int = 2):  # type: ignore[no-untyped-def]
    return load_file(
        database, audit, SltdRegistry(), path, actor=ADMIN, clock=clock, batch_size=batch
    )


def lookup(database: Database, state: str, number: str) -> list[tuple[str, str, str]]:
    with database.read() as session:
        return [
            (m.document_number, m.status, m.match)
            for m in SltdRegistry().lookup(session, state, number)
        ]


def count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(SltdRecord)) or 0


def test_loaded_document_is_found(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "sltd.jsonl", record(), record(document_number="AB1234567"))
    report = load(database, audit, clock, path)
    assert (report.lines, report.accepted, report.rejected) == (2, 2, 0)
    assert lookup(database, "MAR", "UM4731285") == [("UM4731285", "stolen", "exact")]
    assert lookup(database, "DZA", "UM4731285") == []


def test_loading_the_same_file_twice_changes_nothing(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "sltd.jsonl",
        record(),
        record(document_number="B1"),
        record(document_number="C1"),
    )
    load(database, audit, clock, path)
    again = load(database, audit, clock, path)
    assert (again.accepted, again.unchanged) == (0, 3)
    assert count(database) == 3


def test_status_change_is_a_new_version_not_an_overwrite(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    load(database, audit, clock, write_lines(tmp_path / "a.jsonl", record(status="lost")))
    clock.advance(days=30)
    second = write_lines(
        tmp_path / "b.jsonl", record(status="invalidated", reported_on="2026-11-01")
    )
    assert load(database, audit, clock, second).accepted == 1
    assert lookup(database, "MAR", "UM4731285") == [("UM4731285", "invalidated", "exact")]
    with database.read() as session:
        versions = SltdRegistry().history(session, "MAR", "UM4731285")
    assert [(v.version, v.status, v.superseded_at is not None) for v in versions] == [
        (1, "lost", True),
        (2, "invalidated", False),
    ]


def test_lookalike_letters_in_numbers_still_match(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    load(
        database,
        audit,
        clock,
        write_lines(tmp_path / "s.jsonl", record(document_number="AB1O2I45")),
    )
    assert lookup(database, "MAR", "AB102145") == [("AB1O2I45", "stolen", "lookalike")]
    assert lookup(database, "mar", "ab1o2i45") == [("AB1O2I45", "stolen", "exact")]


def test_long_td1_number_is_found_whole_and_from_its_first_nine_characters(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    line = record(
        issuing_state="BEL", reported_by="BEL", document_code="ID", document_number="B23145890734"
    )
    load(database, audit, clock, write_lines(tmp_path / "s.jsonl", line))
    assert lookup(database, "BEL", "B23145890734") == [("B23145890734", "stolen", "exact")]
    assert lookup(database, "BEL", "B23145890") == [("B23145890734", "stolen", "truncated_number")]
    assert lookup(database, "BEL", "B23145890735") == []


def test_distinct_documents_differing_only_by_o_and_zero_are_both_kept(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "s.jsonl",
        record(document_number="X0123"),
        record(document_number="XO123", status="lost"),
    )
    assert load(database, audit, clock, path).accepted == 2
    assert sorted(lookup(database, "MAR", "X0123")) == [
        ("X0123", "stolen", "exact"),
        ("XO123", "lost", "lookalike"),
    ]


def test_every_bad_line_is_rejected_with_line_field_and_reason(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "s.jsonl",
        record(),
        "{not json",
        record(document_number="A2", issuing_state="XYZ"),
        record(document_number="A3", reported_on="2026-02-30"),
        record(document_number="A4", colour="red"),
        record(document_number="A5", status="misplaced"),
        record(document_number="A-6"),
        record(status="lost"),
        "[1, 2]",
        record(document_number="A7", document_code="7"),
    )
    report = load(database, audit, clock, path, batch=3)
    assert [(r.line_no, r.field) for r in report.rejections] == [
        (2, "line"),
        (3, "issuing_state"),
        (4, "reported_on"),
        (5, "colour"),
        (6, "status"),
        (7, "document_number"),
        (8, "document_number"),
        (9, "line"),
        (10, "document_code"),
    ]
    assert "line 1" in report.rejections[6].reason
    assert count(database) == 1
    with database.read() as session:
        run = session.scalars(select(LoadRun)).one()
        assert (run.status, run.lines_done, run.accepted, run.rejected) == ("completed", 10, 1, 9)
        assert audit.verify(session).intact


def test_missing_file_is_a_clear_error(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    from passerelle.exc import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        load(database, audit, clock, tmp_path / "absent.jsonl")
    assert caught.value.field == "file"


def test_parallel_parsing_gives_the_same_load_as_serial(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    lines: list[dict[str, Any] | str] = [record(document_number=f"P{n:05d}") for n in range(40)]
    lines[7] = "{broken"
    lines[20] = record(document_number="P00001", status="lost")
    path = write_lines(tmp_path / "s.jsonl", *lines)
    report = load_file(
        database, audit, SltdRegistry(), path, actor=ADMIN, clock=clock, batch_size=6, parallel=True
    )
    assert (report.lines, report.accepted) == (40, 38)
    assert [(r.line_no, r.field) for r in report.rejections] == [
        (8, "line"),
        (21, "document_number"),
    ]
    assert count(database) == 38
    with database.read() as session:
        assert audit.verify(session).intact
