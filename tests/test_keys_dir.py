"""``PASSERELLE_KEYS_DIR`` puts the node's keys outside HOME (another disk, a mounted
secret), created owner-only there by ``keys init``."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.settings import Settings


def test_the_keys_folder_defaults_to_home_keys(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    assert settings.keys_dir == tmp_path / "home" / "keys"
    assert settings.effective_audit_key_file == tmp_path / "home" / "keys" / "audit.key"


def test_keys_dir_moves_every_key_outside_home(
    node_home: Callable[[], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "secrets" / "passerelle"
    monkeypatch.setenv("PASSERELLE_KEYS_DIR", str(outside))

    settings = Settings()
    upgraded = CliRunner().invoke(app, ["db", "upgrade"])
    initialised = CliRunner().invoke(app, ["keys", "init"])
    verified = CliRunner().invoke(app, ["audit", "verify"])

    assert settings.keys_dir == outside
    assert settings.effective_biometric_key_file == outside / "biometric.key"
    assert upgraded.exit_code == 0, upgraded.output
    assert initialised.exit_code == 0, initialised.output
    assert verified.exit_code == 0, verified.output
    assert stat.S_IMODE((outside / "audit.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(outside.stat().st_mode) == 0o700
    assert not (node_home() / "keys").exists()
