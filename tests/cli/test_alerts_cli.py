"""``passerelle alert`` through the console script: issue, list, show, hit, withdraw, expire."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run
from tests.records.test_forgeries import forgery_alert, png

STOLEN_PASSPORT = {
    "id": "MAR-2026-0042",
    "category": "stolen_document",
    "subject": {"kind": "document", "issuing_state": "MAR", "document_number": "UM4731285"},
    "issuing_authority": "DGSN Rabat",
    "action": "Seize the document; refer the traveller to second line.",
    "valid_from": "2026-01-01",
    "valid_until": "2099-12-31",
}


def issue(
    run: Run, alert: dict[str, Any], *, script: bool = False
) -> subprocess.CompletedProcess[str]:
    return run("alert", "issue", "--json", stdin=json.dumps(alert), script=script)


def assert_audit_intact(run: Run, *, script: bool = False) -> None:
    verified = run("audit", "verify", script=script)
    assert verified.returncode == 0, verified.stderr
    assert "audit chain intact" in verified.stdout


def test_issue_from_stdin_prints_the_alert_and_list_shows_it(run: Run) -> None:
    issued = issue(run, STOLEN_PASSPORT, script=True)
    assert issued.returncode == 0, issued.stderr
    alert = json.loads(issued.stdout)
    assert (alert["id"], alert["status"], alert["kind"]) == ("MAR-2026-0042", "active", "document")
    listed = run("alert", "list", "--purpose", "test", "--json")
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == ["MAR-2026-0042"]
    human = run("alert", "list", "--purpose", "test")
    assert "MAR-2026-0042" in human.stdout
    assert "stolen_document" in human.stdout
    assert_audit_intact(run, script=True)


def test_issue_from_a_file_generates_an_id(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "alert.json"
    vehicle = {
        "category": "stolen_vehicle",
        "subject": {"kind": "vehicle", "plate": "12345-A-6", "registration_country": "MAR"},
        "issuing_authority": "Gendarmerie royale",
        "action": "Stop the vehicle.",
    }
    path.write_text(json.dumps(vehicle), encoding="utf-8")
    issued = run("alert", "issue", "--file", str(path))
    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.startswith("issued alert ")
    assert "vehicle 12345-A-6 (MAR)" in issued.stdout


def test_life_cycle_from_the_command_line_with_history(run: Run) -> None:
    issue(run, STOLEN_PASSPORT)
    hit = run("alert", "hit", "MAR-2026-0042", "--reason", "presented at TNG-MED", "--json")
    assert hit.returncode == 0, hit.stderr
    assert json.loads(hit.stdout)["status"] == "hit"
    again = run("alert", "hit", "MAR-2026-0042", "--reason", "again", script=True)
    assert again.returncode == 2
    assert "status: alert MAR-2026-0042 is already hit" in again.stderr
    withdrawn = run("alert", "withdraw", "MAR-2026-0042", "--reason", "document recovered")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "withdrawn" in withdrawn.stdout
    shown = run("alert", "show", "--purpose", "test", "MAR-2026-0042", "--json")
    data = json.loads(shown.stdout)
    assert [(e["from"], e["to"]) for e in data["history"]] == [
        (None, "active"),
        ("active", "hit"),
        ("hit", "withdrawn"),
    ]
    assert data["history"][1]["reason"] == "presented at TNG-MED"
    only_active = run("alert", "list", "--purpose", "test", "--status", "active", "--json")
    assert only_active.stdout == ""
    assert_audit_intact(run)


def test_expire_sweeps_alerts_past_their_end_as_of_the_day_given(run: Run) -> None:
    issue(run, STOLEN_PASSPORT | {"id": "short", "valid_until": "2099-01-01"})
    issue(run, STOLEN_PASSPORT | {"id": "long"})
    swept = run("alert", "expire", "--as-of", "2099-06-01", "--json")
    assert swept.returncode == 0, swept.stderr
    assert json.loads(swept.stdout) == {"as_of": "2099-06-01", "expired": ["short"]}
    today = run("alert", "expire")
    assert today.returncode == 0
    assert "0 alert(s) expired" in today.stdout
    assert_audit_intact(run)


def test_unknown_alert_exits_one_naming_the_id(run: Run) -> None:
    shown = run("alert", "show", "--purpose", "test", "nope", script=True)
    assert shown.returncode == 1
    assert "id: no alert 'nope'" in shown.stderr
    withdrawn = run("alert", "withdraw", "nope", "--reason", "x")
    assert withdrawn.returncode == 1
    assert "id:" in withdrawn.stderr


@pytest.mark.parametrize(
    ("alert", "words"),
    [
        (STOLEN_PASSPORT | {"category": "lost_cat"}, "category: 'lost_cat' is not one of"),
        (
            STOLEN_PASSPORT | {"subject": {"kind": "document", "issuing_state": "MAR"}},
            "subject.document_number: is required",
        ),
        (STOLEN_PASSPORT | {"action": ""}, "action: must be a non-empty string"),
        (STOLEN_PASSPORT | {"valid_until": "31/12/2099"}, "valid_until:"),
    ],
)
def test_bad_alert_is_a_usage_error_naming_the_field(
    run: Run, alert: dict[str, Any], words: str
) -> None:
    issued = issue(run, alert)
    assert issued.returncode == 2
    assert words in issued.stderr
    assert run("alert", "list", "--purpose", "test", "--json").stdout == ""


def test_input_that_is_not_json_is_a_usage_error(run: Run) -> None:
    issued = run("alert", "issue", stdin="category=wanted", script=True)
    assert issued.returncode == 2
    assert "input: is not valid JSON" in issued.stderr


def test_bad_status_filter_is_a_usage_error(run: Run) -> None:
    listed = run("alert", "list", "--purpose", "test", "--status", "sleeping")
    assert listed.returncode == 2
    assert "status: 'sleeping' is not one of" in listed.stderr


def test_a_forgery_alert_takes_its_reference_images_as_files(run: Run, tmp_path: Path) -> None:
    record = forgery_alert("MAR-F-0100")
    del record["reference_images"]
    picture = tmp_path / "uv-page.png"
    picture.write_bytes(png())
    issued = run("alert", "issue", "--image", str(picture), stdin=json.dumps(record))
    assert issued.returncode == 0, issued.stderr
    assert "forged MAR P documents, numbers AB1000000 to AB1099999" in issued.stdout

    fake = tmp_path / "fake.png"
    fake.write_bytes(b"GIF89a not a png")
    refused = run("alert", "issue", "--image", str(fake), stdin=json.dumps(record | {"id": "x"}))
    assert refused.returncode == 2
    assert "reference_images[0].data: is not a png image" in refused.stderr
