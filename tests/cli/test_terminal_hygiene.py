"""What the command line prints of stored text shows its control characters escaped and its
direction or zero-width characters named, never raw; and what is typed on it is checked as
the API checks a body."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import update

from passerelle.settings import load_settings
from passerelle.store.db import Database
from passerelle.store.tables.registries import Alert
from tests.cli.conftest import Run

WANTED = {
    "id": "MAR-2026-0007",
    "category": "wanted",
    "subject": {"kind": "person", "names": ["Youssef El Amrani"], "birth_date": "1980-02-03"},
    "issuing_authority": "DGSN Rabat",
    "action": "Hold the traveller.",
}
CLEAR_SCREEN = "\x1b[2J\x1b[H"
OLD_ACTION = f"{CLEAR_SCREEN}\x1b[32mNo action: let the traveller pass\x1b[0m\x9b31m\x07"
OLD_NAME = "\u202einarmA lE fessuoY\u202c\u200b"


def _stored_before_the_rule(run: Run) -> None:
    """The alert as a node loaded it before control characters were refused: written
    straight into the database, as old data would be."""
    issued = run("alert", "issue", "--json", stdin=json.dumps(WANTED))
    assert issued.returncode == 0, issued.stderr
    database = Database(load_settings().effective_database_url)
    with database.write() as session:
        session.execute(
            update(Alert)
            .where(Alert.id == WANTED["id"])
            .values(
                action=OLD_ACTION,
                issuing_authority="DGSN\x1b]0;owned\x07",
                subject={**WANTED["subject"], "names": [OLD_NAME]},
            )
        )


def _words(text: str) -> str:
    """An error as one line of words, without the frame usage errors are drawn in."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


def _raw(text: str) -> list[str]:
    """The characters of ``text`` a terminal would act on or that reorder it unseen."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0 or c in "\u202e\u202c\u200b"
    ]


def test_stored_control_and_direction_characters_are_shown_escaped_never_raw(run: Run) -> None:
    _stored_before_the_rule(run)
    shown = run("alert", "show", WANTED["id"], "--purpose", "case review")
    assert shown.returncode == 0, shown.stderr
    assert _raw(shown.stdout) == []
    assert "\\x1b[2J\\x1b[H\\x1b[32mNo action" in shown.stdout
    assert "\\x9b31m\\x07" in shown.stdout
    assert "DGSN\\x1b]0;owned\\x07" in shown.stdout
    assert "<U+202E>inarmA lE fessuoY<U+202C><U+200B>" in shown.stdout
    listed = run("alert", "list", "--purpose", "case review")
    assert _raw(listed.stdout) == []
    assert "<U+202E>" in listed.stdout


def test_json_output_escapes_them_and_still_reads_back_the_same(run: Run) -> None:
    _stored_before_the_rule(run)
    shown = run("alert", "show", WANTED["id"], "--purpose", "case review", "--json")
    assert shown.returncode == 0, shown.stderr
    assert _raw(shown.stdout) == []
    assert "\\u202e" in shown.stdout
    alert = json.loads(shown.stdout)
    assert alert["action"] == OLD_ACTION
    assert alert["subject"]["names"] == [OLD_NAME]


def test_a_control_character_typed_on_the_command_line_is_refused_naming_the_option(
    run: Run,
) -> None:
    issued = run("alert", "issue", "--json", stdin=json.dumps(WANTED))
    assert issued.returncode == 0, issued.stderr
    refused = run("alert", "withdraw", WANTED["id"], "--reason", f"done{CLEAR_SCREEN}")
    assert refused.returncode == 2
    assert (
        "Invalid value for --reason: holds a control character (U+001B ESCAPE) at position 5"
        in _words(refused.stderr)
    )
    named = run("screen", "--name", "Youssef\u202e El Amrani", "--purpose", "visa file")
    assert named.returncode == 2
    assert "Invalid value for --name: holds an invisible direction control" in _words(named.stderr)
    still = run("alert", "show", WANTED["id"], "--purpose", "check", "--json")
    assert json.loads(still.stdout)["status"] == "active"


def test_a_watchlist_load_says_how_many_names_lost_hidden_characters(
    run: Run, tmp_path: Path
) -> None:
    person = {"category": "wanted", "issued_by": "MAR", "birth_date": "1980-02-03"}
    lines = [
        {**person, "id": "W-1", "names": ["\u200fكريم حداد\u200f"]},
        {**person, "id": "W-2", "names": ["Karim Haddad"]},
    ]
    file = tmp_path / "watchlist.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    loaded = run("watchlist", "load", str(file))
    assert loaded.returncode == 0, loaded.stderr
    assert "1 lines stored with direction or zero-width characters removed" in loaded.stderr
    again = run("watchlist", "load", "--json", str(file))
    assert json.loads(again.stdout)["names_cleaned"] == 1
