"""``passerelle doc check``: the contract in docs/documents.md, by console script and in-process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.documents.compose import compose_french_id

runner = CliRunner()


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("passerelle", path=str(Path(sys.executable).parent))
    assert exe, "the passerelle console script is installed beside the interpreter"
    return subprocess.run(
        [exe, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_lines_as_arguments_give_the_json_contract(icao_specimens: dict[str, str]) -> None:
    line1, line2 = icao_specimens["td3"].split("\n")
    done = run_cli("doc", "check", "--json", "--as-of", "2026-11-25", line1, line2)
    assert done.returncode == 0, done.stderr
    (data,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert list(data) == [
        "format", "well_formed", "document_code", "issuing_state", "document_number",
        "nationality", "surname", "given_names", "birth_date", "sex", "expiry_date",
        "optional_data", "expired", "findings",
    ]  # fmt: skip
    assert data["document_number"] == "L898902C3"
    assert data["expired"] is True
    assert {"code", "field", "severity", "message"} <= set(data["findings"][0])


def test_several_documents_on_stdin_one_json_object_each(icao_specimens: dict[str, str]) -> None:
    text = "\n\n".join(icao_specimens.values()) + "\n"
    done = run_cli("doc", "check", "--json", "--as-of", "2026-11-25", stdin=text)
    assert done.returncode == 0, done.stderr
    formats = [json.loads(line)["format"] for line in done.stdout.splitlines()]
    assert formats == ["TD3", "TD1", "TD2", "MRVA", "MRVB", "TD1"]


def test_exit_code_is_one_when_any_document_is_not_well_formed(
    icao_specimens: dict[str, str],
) -> None:
    broken = icao_specimens["td3"].replace("L898902C36", "L898902C37")
    text = f"{icao_specimens['td1']}\n\n{broken}\n"
    result = runner.invoke(app, ["doc", "check", "--json"], input=text)
    assert result.exit_code == 1
    verdicts = [json.loads(line)["well_formed"] for line in result.stdout.splitlines()]
    assert verdicts == [True, False]


def test_td1_json_has_two_optional_data_fields(icao_specimens: dict[str, str]) -> None:
    result = runner.invoke(app, ["doc", "check", "--json", *icao_specimens["td1"].split("\n")])
    data = json.loads(result.stdout)
    assert "optional_data" not in data
    assert data["optional_data_1"] == ""
    assert data["optional_data_2"] == ""


def test_bad_as_of_date_is_a_usage_error_naming_the_option() -> None:
    done = run_cli("doc", "check", "--as-of", "25/11/2026", "X")
    assert done.returncode == 2
    assert "--as-of" in done.stderr
    assert "YYYY-MM-DD" in done.stderr


def test_empty_stdin_is_a_usage_error() -> None:
    done = run_cli("doc", "check", stdin="\n\n")
    assert done.returncode == 2
    assert "no MRZ text" in done.stderr


def test_human_output_shows_fields_verdict_and_findings(icao_specimens: dict[str, str]) -> None:
    broken = icao_specimens["td3"].replace("L898902C36", "L898902C37")
    result = runner.invoke(app, ["doc", "check", "--as-of", "2026-11-25", *broken.split("\n")])
    assert result.exit_code == 1
    assert "NOT WELL FORMED" in result.stdout
    assert "ERIKSSON" in result.stdout
    assert "check_digit" in result.stdout
    assert "Utopia" in result.stdout


def test_a_french_national_card_shows_its_format_and_the_missing_expiry() -> None:
    card = compose_french_id(
        document_number="880692310285", birth_date="651206", surname="BERTHIER",
        given_names="CORINNE", sex="F", office="923255",
    )  # fmt: skip
    result = runner.invoke(app, ["doc", "check", "--as-of", "2026-11-25", *card.split("\n")])
    assert result.exit_code == 0, result.stdout
    assert "FRA-ID" in result.stdout
    assert "WELL FORMED" in result.stdout
    assert "CORINNE" in result.stdout
    assert "unknown_date" in result.stdout
    data = json.loads(runner.invoke(app, ["doc", "check", "--json", *card.split("\n")]).stdout)
    assert data["format"] == "FRA-ID"
    assert data["optional_data"] == "923255"


def test_demo_runs_the_showcase() -> None:
    done = run_cli("demo", "--tour")
    assert done.returncode == 0, done.stderr
    assert "WELL FORMED" in done.stdout
    assert "ocr_misread" in done.stdout
    assert "D23145890734" in done.stdout
