"""``audit verify`` never makes up a key: a missing key and another node's key are named
as such (exit 4), not blamed on the records."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from passerelle.store.audit import create_key
from tests.cli.conftest import Run

PASSWORD = "a long enough passphrase 42"


def _with_records(run: Run) -> None:
    for name in ("chef.tahiri", "analyst.idrissi"):
        added = run("user", "add", name, "--role", "supervisor", stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr


def test_verify_with_the_key_missing_says_so_and_creates_none(
    run: Run, node_home: Callable[[], Path]
) -> None:
    _with_records(run)
    key = node_home() / "keys" / "audit.key"
    key.unlink()

    verified = run("audit", "verify")

    assert verified.returncode == 4
    assert f"this host lacks the node's audit key ({key})" in verified.stderr
    assert "passerelle keys init" in verified.stderr
    assert "BROKEN" not in verified.stderr
    assert not key.exists()


def test_no_command_replaces_the_key_of_a_chain_that_has_records(
    run: Run, node_home: Callable[[], Path]
) -> None:
    _with_records(run)
    key = node_home() / "keys" / "audit.key"
    key.unlink()

    listed = run("user", "list")

    assert listed.returncode == 4
    assert "this host lacks the node's audit key" in listed.stderr
    assert not key.exists()


def test_verify_with_another_nodes_key_says_the_key_does_not_match(
    run: Run, node_home: Callable[[], Path], tmp_path: Path
) -> None:
    _with_records(run)
    key = node_home() / "keys" / "audit.key"
    key.unlink()
    create_key(key)  # another node's key, put in its place

    verified = run("audit", "verify")
    as_json = json.loads(run("audit", "verify", "--json").stdout)

    assert verified.returncode == 4
    assert "the key does not match the records" in verified.stderr
    assert "BROKEN at record 1" not in verified.stderr
    assert as_json["key_mismatch"] is True
    assert as_json["intact"] is False


def test_verify_with_the_right_key_still_names_an_edited_first_record(
    run: Run, node_home: Callable[[], Path]
) -> None:
    import sqlite3

    _with_records(run)
    with sqlite3.connect(node_home() / "passerelle.db") as connection:
        connection.execute("UPDATE audit_records SET actor = 'someone' WHERE seq = 1")

    verified = run("audit", "verify")

    assert verified.returncode == 1
    assert "BROKEN at record 1" in verified.stderr
    assert "edited" in verified.stderr
