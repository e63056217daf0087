"""Running the ``passerelle`` command in tests, in-process or as the installed script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli import app

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(node_home: Callable[[], Path]) -> Run:
    """``passerelle`` on a fresh node (SQLite in a temporary PASSERELLE_HOME), migrated and
    its keys made first (``db upgrade``, ``keys init``).

    Runs in-process (fast); ``script=True`` runs the installed console script instead,
    for the exit codes and messages a caller of the real command sees.
    """
    exe = shutil.which("passerelle", path=str(Path(sys.executable).parent))
    assert exe, "the passerelle console script is installed beside the interpreter"
    runner = CliRunner()

    def _run(
        *args: str, stdin: str | None = None, script: bool = False
    ) -> subprocess.CompletedProcess[str]:
        if script:
            return subprocess.run(
                [exe, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
            )
        result = runner.invoke(app, list(args), input=stdin)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)

    for setup in (("db", "upgrade"), ("keys", "init")):  # a new node, as an operator sets it up
        done = _run(*setup)
        assert done.returncode == 0, done.stderr
    return _run
