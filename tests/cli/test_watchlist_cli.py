"""``passerelle watchlist``: the console script end to end, and exit codes in-process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from passerelle.cli import app
from passerelle.store import Database
from passerelle.store.tables import AuditRecord
from tests.store.test_watchlist import person
from tests.store.test_watchlist import write_lines as jsonl

runner = CliRunner()

ARABIC = "محمد بن علي"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("passerelle", path=str(Path(sys.executable).parent))
    assert exe, "the passerelle console script is installed beside the interpreter"
    return subprocess.run(
        [exe, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def invoke(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin)


@pytest.fixture
def migrated(node_home: Callable[[], Path]) -> Path:
    """A node home whose database is migrated (in-process, for the fast tests)."""
    for setup in (("db", "upgrade"), ("keys", "init")):
        result = invoke(*setup)
        assert result.exit_code == 0, result.output
    return node_home()


def audit_actions(home: Path) -> list[tuple[str, str | None]]:
    database = Database(f"sqlite:///{home / 'passerelle.db'}")
    try:
        with database.read() as session:
            rows = session.execute(
                select(AuditRecord.action, AuditRecord.purpose)
                .where(AuditRecord.action.not_like("node.keys%"))  # the node's set-up
                .order_by(AuditRecord.seq)
            ).all()
    finally:
        database.dispose()
    return [(action, purpose) for action, purpose in rows]


def test_console_script_loads_shows_and_withdraws_with_the_audit_chain_intact(
    node_home: Callable[[], Path], tmp_path: Path
) -> None:
    assert run_cli("db", "upgrade").returncode == 0
    assert run_cli("keys", "init").returncode == 0
    file = jsonl(tmp_path / "w.jsonl", person("MAR-1"), person("MAR-2", sex="F"))

    loaded = run_cli("watchlist", "load", "--json", str(file))
    assert loaded.returncode == 0, loaded.stderr
    report = json.loads(loaded.stdout)
    assert (report["accepted"], report["rejected"]) == (2, 0)

    shown = run_cli("watchlist", "show", "MAR-1", "--json", "--purpose", "case 2026/118")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["names"] == ["Mohamed Ben Ali", ARABIC]

    withdrawn = run_cli("watchlist", "withdraw", "MAR-1", "--reason", "arrested", "--json")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert json.loads(withdrawn.stdout)["status"] == "withdrawn"

    verified = run_cli("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "intact" in verified.stdout
    assert audit_actions(node_home()) == [
        ("watchlist.load", None),
        ("watchlist.search", "case 2026/118"),
        ("watchlist.withdraw", "arrested"),
    ]


def test_load_with_a_bad_line_exits_one_naming_line_and_field(
    migrated: Path, tmp_path: Path
) -> None:
    file = jsonl(tmp_path / "w.jsonl", person("OK-1"), person("BAD-1", birth_date="1985-02-30"))
    result = invoke("watchlist", "load", str(file))
    assert result.exit_code == 1
    assert "line 2: birth_date: '1985-02-30' is not a real date" in result.output
    assert "1 stored" in result.output


def test_show_unknown_id_exits_one_and_is_still_audited(migrated: Path) -> None:
    result = invoke("watchlist", "show", "--purpose", "registry management", "NOBODY")
    assert result.exit_code == 1
    assert "no watchlist person has id 'NOBODY'" in result.output
    assert audit_actions(migrated) == [("watchlist.search", "registry management")]


def test_show_without_a_purpose_is_refused(migrated: Path) -> None:
    result = invoke("watchlist", "show", "ANY", "--purpose", " ")
    assert result.exit_code == 2
    assert "purpose" in result.output


def test_add_from_stdin_prints_the_person_and_refuses_the_same_id_again(migrated: Path) -> None:
    line = json.dumps(person("NEW-1"), ensure_ascii=False)
    added = invoke("watchlist", "add", stdin=line)
    assert added.exit_code == 0, added.output
    stored = json.loads(added.stdout)
    assert (stored["id"], stored["status"], stored["names"][1]) == ("NEW-1", "active", ARABIC)
    again = invoke("watchlist", "add", stdin=line)
    assert again.exit_code == 2
    assert "id: 'NEW-1' is already on the watchlist" in again.output


def test_update_from_a_file_replaces_content_and_unknown_id_exits_one(
    migrated: Path, tmp_path: Path
) -> None:
    assert invoke("watchlist", "add", stdin=json.dumps(person("UP-1"))).exit_code == 0
    change = tmp_path / "change.json"
    change.write_text(json.dumps(person("UP-1", category="travel_ban")))
    updated = invoke("watchlist", "update", "--file", str(change))
    assert updated.exit_code == 0, updated.output
    assert json.loads(updated.stdout)["category"] == "travel_ban"
    unknown = invoke("watchlist", "update", stdin=json.dumps(person("UP-404")))
    assert unknown.exit_code == 1
    assert "no watchlist person has id 'UP-404'" in unknown.output


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (json.dumps(person("X", sex="male")), "sex: 'male' is not one of F, M"),
        (json.dumps(person("X", nationalities=["ATL"])), "nationalities: 'ATL'"),
        ("[1, 2]", "input: must be one JSON object"),
        ("{oops", "input: is not valid JSON"),
        ("", "input: no JSON object given"),
    ],
)
def test_add_with_bad_input_exits_two_naming_the_field(
    migrated: Path, stdin: str, message: str
) -> None:
    result = invoke("watchlist", "add", stdin=stdin)
    assert result.exit_code == 2
    assert message in result.output


def test_withdraw_unknown_id_exits_one_and_twice_exits_two(migrated: Path) -> None:
    assert invoke("watchlist", "add", stdin=json.dumps(person("W-1"))).exit_code == 0
    unknown = invoke("watchlist", "withdraw", "W-404", "--reason", "arrested")
    assert unknown.exit_code == 1
    first = invoke("watchlist", "withdraw", "W-1", "--reason", "arrested")
    assert first.exit_code == 0
    assert first.output.startswith("W-1: withdrawn at ")
    second = invoke("watchlist", "withdraw", "W-1", "--reason", "arrested")
    assert second.exit_code == 2
    assert "id: 'W-1' was already withdrawn" in second.output
    shown = invoke("watchlist", "show", "--purpose", "test", "W-1")
    assert shown.exit_code == 0
    assert "W-1: wanted, withdrawn" in shown.output


def test_show_says_when_a_person_is_never_shared_with_partners(migrated: Path) -> None:
    kept = person("W-2", restricted_matter="military")
    assert invoke("watchlist", "add", stdin=json.dumps(kept)).exit_code == 0
    assert invoke("watchlist", "add", stdin=json.dumps(person("W-3"))).exit_code == 0
    assert (
        "never shared (military matter)"
        in invoke("watchlist", "show", "--purpose", "test", "W-2").output
    )
    assert "partners:" not in invoke("watchlist", "show", "--purpose", "test", "W-3").output
    as_json = json.loads(invoke("watchlist", "show", "--purpose", "test", "W-2", "--json").output)
    assert (as_json["shareable"], as_json["restricted_matter"]) == (True, "military")
