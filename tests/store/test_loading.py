"""The bulk loader: batch boundaries, parts handed over by the parsing process, per-batch audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.load_parsing import parsed_parts
from passerelle.store.loading import LoadReport, load_file
from passerelle.store.tables import AuditPayload, AuditRecord, LoadRun
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import Clock


def person(number: int, **changes: Any) -> dict[str, Any]:
    record = {
        "id": f"MAR-W-{number:04d}",
        "names": ["Mohamed Ben Ali", "محمد بن علي"],
        "birth_date": "1985",
        "category": "wanted",
        "issued_by": "MAR",
    }
    return record | changes


def seventeen_lines(path: Path) -> Path:
    """17 lines: a broken one (5), a repeat of line 2 (9), a conflicting duplicate (15)."""
    lines = [json.dumps(person(n), ensure_ascii=False) for n in range(1, 18)]
    lines[4] = "{broken"
    lines[8] = lines[1]
    lines[14] = json.dumps(person(3, category="missing"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_parts_never_straddle_a_batch_and_the_last_one_is_final(tmp_path: Path) -> None:
    parts = list(parsed_parts(seventeen_lines(tmp_path / "w.jsonl"), WatchlistRegistry(), 7, 3))
    shape = [(p.first_line, p.last_line, p.closes_batch, p.final) for p in parts]
    assert shape == [
        (1, 3, False, False),
        (4, 6, False, False),
        (7, 7, True, False),
        (8, 10, False, False),
        (11, 13, False, False),
        (14, 14, True, False),
        (15, 17, True, True),
    ]
    assert [(r.line_no, r.field) for p in parts for r in p.rejections] == [(5, "line"), (15, "id")]
    assert sum(p.repeats for p in parts) == 1
    assert sum(len(p.entries) for p in parts) == 14


def test_an_empty_file_is_one_final_empty_part(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    parts = list(parsed_parts(tmp_path / "empty.jsonl", WatchlistRegistry(), 7, 3))
    assert [(p.first_line, p.last_line, p.final, p.entries) for p in parts] == [(1, 0, True, [])]


def load_records(database: Database) -> list[tuple[Any, Any]]:
    """Each load audit record's line range and result, in order."""
    with database.read() as session:
        rows = session.execute(
            select(AuditPayload.query, AuditPayload.result)
            .join(AuditRecord, AuditRecord.seq == AuditPayload.seq)
            .where(AuditRecord.action == "watchlist.load")
            .order_by(AuditRecord.seq)
        ).all()
    return [(query["lines"], result) for query, result in rows]


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_a_load_commits_the_same_batches_whether_parts_are_small_or_whole(
    database: Database,
    audit: AuditTrail,
    officer: Actor,
    clock: Clock,
    tmp_path: Path,
    parallel: bool,
) -> None:
    path = seventeen_lines(tmp_path / "w.jsonl")
    progress: list[tuple[int, int]] = []
    report: LoadReport = load_file(
        database,
        audit,
        WatchlistRegistry(),
        path,
        actor=officer,
        clock=clock,
        batch_size=7,
        parallel=parallel,
        part_lines=3,
        progress=lambda lines, done: progress.append((lines, done)),
    )
    assert (report.lines, report.accepted, report.unchanged, report.rejected) == (17, 14, 1, 2)
    assert [lines for lines, _ in progress] == [7, 14, 17]
    assert progress[-1][1] == path.stat().st_size
    assert load_records(database) == [
        ([1, 7], {"accepted": 6, "unchanged": 0, "rejected": 1, "final": False}),
        ([8, 14], {"accepted": 6, "unchanged": 1, "rejected": 0, "final": False}),
        ([15, 17], {"accepted": 2, "unchanged": 0, "rejected": 1, "final": True}),
    ]
    with database.read() as session:
        run = session.scalars(select(LoadRun)).one()
        assert (run.status, run.lines_done, run.accepted, run.rejected) == ("completed", 17, 14, 2)
        assert audit.verify(session).intact
