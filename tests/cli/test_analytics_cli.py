"""``passerelle analytics rebuild`` and ``verify``: the dashboard's daily counts on a node."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.cli.test_stay_cli import crossing, write_crossings


def loaded(run: Run, tmp_path: Path) -> None:
    lines = [
        crossing(id=f"c{n}", document_number=f"UM{n:07d}", at=f"2026-11-0{1 + n % 3}T09:00:00Z")
        for n in range(6)
    ]
    done = run("crossing", "load", str(write_crossings(tmp_path / "c.jsonl", *lines)), "--json")
    assert done.returncode == 0, done.stderr


def test_verify_agrees_then_finds_a_drifted_count_that_rebuild_mends(
    run: Run, tmp_path: Path, node_home: Callable[[], Path]
) -> None:
    loaded(run, tmp_path)
    agreed = run("analytics", "verify", "--all", "--json", script=True)
    assert agreed.returncode == 0, agreed.stderr
    assert json.loads(agreed.stdout) == {"since": None, "agree": True, "disagreements": []}

    with sqlite3.connect(node_home() / "passerelle.db") as connection:
        connection.execute("UPDATE daily_crossings SET n = n + 5 WHERE day = '2026-11-02'")
    drifted = run("analytics", "verify", "--since", "2026-11-01")
    assert drifted.returncode == 1
    assert "daily_crossings 2026-11-02 TNG-MED entry MAR: counted 7, scanned 2" in drifted.stdout

    rebuilt = run("analytics", "rebuild", "--since", "2026-11-01", "--json", script=True)
    assert rebuilt.returncode == 0, rebuilt.stderr
    report = json.loads(rebuilt.stdout)
    assert (report["since"], report["crossings"], report["crossing_rows"]) == ("2026-11-01", 6, 3)
    assert run("analytics", "verify", "--all").returncode == 0
    trail = run("audit", "verify")
    assert trail.returncode == 0, trail.stdout + trail.stderr
    with sqlite3.connect(node_home() / "passerelle.db") as connection:
        action, result = connection.execute(
            "SELECT r.action, p.result FROM audit_records r JOIN audit_payloads p"
            " ON p.seq = r.seq ORDER BY r.seq DESC LIMIT 1"
        ).fetchone()
    assert action == "analytics.rebuild"
    assert json.loads(result)["crossings"] == 6


def test_a_day_that_is_not_a_day_is_refused_by_name(run: Run) -> None:
    refused = run("analytics", "rebuild", "--since", "November", script=True)
    assert refused.returncode == 2
    assert "--since" in refused.stderr
    assert "YYYY-MM-DD" in refused.stderr
    both = run("analytics", "verify", "--since", "2026-11-01", "--all", script=True)
    assert both.returncode == 2
    assert "not both" in both.stderr


def test_verify_covers_the_risk_pages_outcome_counts(
    run: Run, tmp_path: Path, node_home: Callable[[], Path]
) -> None:
    loaded(run, tmp_path)
    with sqlite3.connect(node_home() / "passerelle.db") as connection:
        connection.execute(
            "INSERT INTO daily_outcomes (day, crossing_point, direction, nationality, decision,"
            " action, reason_code, overstay, findings, n) VALUES ('2026-11-02', 'TNG-MED',"
            " 'entry', 'MAR', 'clear', 'refuse', 'false_document', 0, '', 3)"
        )
    drifted = run("analytics", "verify", "--all")
    assert drifted.returncode == 1
    assert (
        "daily_outcomes 2026-11-02 TNG-MED entry MAR clear refuse false_document False :"
        " counted 3, scanned 0" in drifted.stdout
    )
    rebuilt = run("analytics", "rebuild", "--all", "--json", script=True)
    assert json.loads(rebuilt.stdout)["outcomes"] == 0
    assert run("analytics", "verify", "--all").returncode == 0
