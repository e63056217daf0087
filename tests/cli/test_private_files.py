"""A node set up under a permissive umask keeps its data owner-only: HOME and HOME/keys
0700, the SQLite database and every key file 0600."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_db_upgrade_and_keys_init_create_home_keys_and_database_owner_only(
    run: Run, node_home: Callable[[], Path]
) -> None:
    home = node_home()  # `run` has already run `db upgrade` and `keys init` on a fresh HOME

    assert mode(home) == 0o700
    assert mode(home / "keys") == 0o700
    assert mode(home / "keys" / "audit.key") == 0o600
    assert mode(home / "passerelle.db") == 0o600


def test_every_key_the_node_makes_is_owner_only(
    run: Run, node_home: Callable[[], Path], tmp_path: Path
) -> None:
    initialised = run("node", "init", "--state", "MAR")  # after `keys init`'s four keys

    assert initialised.returncode == 0, initialised.stderr
    keys = node_home() / "keys"
    private = [p for p in keys.rglob("*") if p.is_file() and p.suffix != ".pub"]
    names = {str(path.relative_to(keys)) for path in private}
    assert names >= {"audit.key", "biometric.key", "node-ed25519.pem", "node-x25519.pem"}
    assert "audit-checkpoint/node-ed25519.pem" in names
    assert {path: mode(path) for path in private} == dict.fromkeys(private, 0o600)
    assert mode(keys) == 0o700
    assert mode(keys / "audit-checkpoint") == 0o700


def test_a_database_left_readable_by_others_is_warned_about_not_changed(
    run: Run, node_home: Callable[[], Path], caplog: pytest.LogCaptureFixture
) -> None:
    database = node_home() / "passerelle.db"
    database.chmod(0o644)

    with caplog.at_level(logging.WARNING, logger="passerelle.files"):
        assert run("user", "list").returncode == 0

    assert mode(database) == 0o644
    assert any("passerelle.db has mode 644" in message for message in caplog.messages)
