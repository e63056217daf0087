"""``passerelle crossing``, ``stay`` and ``stay-rule`` through the console script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run


def crossing(**changes: Any) -> dict[str, Any]:
    return {
        "id": "c1",
        "issuing_state": "MAR",
        "document_number": "UM4731285",
        "nationality": "MAR",
        "crossing_point": "TNG-MED",
        "direction": "entry",
        "at": "2025-01-01T09:00:00Z",
    } | changes


def write_crossings(path: Path, *lines: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def ninety_days(tmp_path: Path) -> Path:
    """January 1 to March 31, 2025: exactly 90 days."""
    return write_crossings(
        tmp_path / "crossings.jsonl",
        crossing(),
        crossing(id="c2", direction="exit", at="2025-03-31T17:00:00Z"),
    )


def stay_json(run: Run, *args: str, script: bool = False) -> tuple[int, dict[str, Any]]:
    done = run("stay", "--purpose", "test", *args, "--json", script=script)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_loaded_crossings_give_days_used_and_left(run: Run, tmp_path: Path) -> None:
    loaded = run("crossing", "load", str(ninety_days(tmp_path)), "--json", script=True)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["accepted"] == 2
    code, data = stay_json(run, "MAR:UM4731285", "--as-of", "2025-06-30")
    assert code == 0
    assert (data["days_used"], data["days_remaining"], data["inside"]) == (89, 1, False)
    assert data["latest_day"] == "2025-09-27"
    assert data["rule"] == {"max_days": 90, "window_days": 180, "applies_to": "built-in"}
    human = run("stay", "--purpose", "test", "MAR:UM4731285", "--as-of", "2025-03-31")
    assert human.returncode == 0
    assert "days used:      90" in human.stdout
    assert "days remaining: 0" in human.stdout


def test_reloading_the_same_file_stores_nothing_new(run: Run, tmp_path: Path) -> None:
    path = ninety_days(tmp_path)
    run("crossing", "load", str(path))
    again = run("crossing", "load", str(path), "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["accepted"], report["unchanged"]) == (0, 2)
    listed = run("crossing", "list", "--purpose", "test", "MAR", "UM4731285", "--json")
    assert len(listed.stdout.splitlines()) == 2


def test_overstay_exits_one_and_says_by_how_much(run: Run) -> None:
    recorded = run(
        "crossing", "record", "--state", "MAR", "--number", "UM4731285",
        "--nationality", "MAR", "--point", "TNG-MED", "--direction", "entry",
        "--at", "2025-01-01T09:00:00+01:00", "--officer", "officer.benali", script=True,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    assert "recorded" in recorded.stdout
    code, data = stay_json(run, "MAR:UM4731285", "--as-of", "2025-04-05", script=True)
    assert code == 1
    assert (data["days_used"], data["overstay_days"], data["inside"]) == (95, 5, True)
    assert data["latest_day"] is None
    human = run("stay", "--purpose", "test", "MAR:UM4731285", "--as-of", "2025-04-05")
    assert human.returncode == 1
    assert "OVERSTAY:       5 day(s)" in human.stdout


def test_rule_for_the_nationality_applies(run: Run, tmp_path: Path) -> None:
    run("crossing", "load", str(ninety_days(tmp_path)))
    rule = run("stay-rule", "set", "MAR", "60", "120")
    assert rule.returncode == 0, rule.stderr
    code, data = stay_json(run, "MAR:UM4731285", "--as-of", "2025-03-31")
    assert code == 1
    assert data["rule"]["applies_to"] == "MAR"
    assert data["overstay_days"] == 30
    listed = run("stay-rule", "list")
    assert "MAR: 60 days in any 120" in listed.stdout


def test_traveller_never_seen_has_the_whole_allowance(run: Run) -> None:
    code, data = stay_json(run, "FRA:18CV12345", "--as-of", "2025-05-01")
    assert code == 0
    assert (data["days_used"], data["days_remaining"]) == (0, 90)
    assert data["latest_day"] == "2025-07-29"


def test_inconsistent_records_are_reported(run: Run, tmp_path: Path) -> None:
    path = write_crossings(
        tmp_path / "x.jsonl",
        crossing(),
        crossing(id="c2", at="2025-01-10T09:00:00Z"),
        crossing(id="c3", direction="exit", at="2025-01-20T09:00:00Z"),
    )
    run("crossing", "load", str(path))
    code, data = stay_json(run, "MAR:UM4731285", "--as-of", "2025-02-01")
    assert code == 0
    assert data["days_used"] == 20
    assert [i["kind"] for i in data["inconsistencies"]] == ["entry_without_exit"]


def test_stay_checks_are_audited_with_their_purpose(run: Run, tmp_path: Path) -> None:
    run("crossing", "load", str(ninety_days(tmp_path)))
    run("stay", "MAR:UM4731285", "--as-of", "2025-06-30", "--purpose", "second-line interview")
    verified = run("audit", "verify", "--json", script=True)
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["intact"] is True


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["stay", "--purpose", "test", "UM4731285"],
            "document: 'UM4731285' must be written STATE:NUMBER",
        ),
        (["stay", "--purpose", "test", "QQQ:UM4731285"], "document:"),
        (["stay", "--purpose", "test", "MAR:UM4731285", "--as-of", "30/06/2025"], "--as-of:"),
        (["stay", "--purpose", "test", "MAR:UM4731285", "--tz", "Mars/Olympus"], "--tz:"),
        (["stay-rule", "set", "MAR", "180", "180"], "max_days:"),
        (["stay-rule", "set", "Morocco", "90", "180"], "nationality:"),
        (
            ["crossing", "record", "--state", "MAR", "--number", "UM4731285",
             "--nationality", "MAR", "--point", "TNG-MED", "--direction", "sideways"],
            "--direction: 'sideways' is not one of entry, exit",
        ),
        (
            ["crossing", "record", "--state", "MAR", "--number", "UM4731285",
             "--nationality", "MAR", "--point", "TNG-MED", "--direction", "entry",
             "--at", "2025-01-01T09:00"],
            "--at: '2025-01-01T09:00' has no UTC offset",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_a_usage_error_naming_the_field(run: Run, args: list[str], words: str) -> None:
    done = run(*args, script=args[0] == "stay" and len(args) == 4)
    assert done.returncode == 2
    assert words in done.stderr


def test_rejected_lines_are_listed_and_exit_one(run: Run, tmp_path: Path) -> None:
    path = write_crossings(
        tmp_path / "x.jsonl", crossing(), crossing(id="c2", direction="sideways")
    )
    loaded = run("crossing", "load", str(path), script=True)
    assert loaded.returncode == 1
    assert "line 2: direction:" in loaded.stderr
