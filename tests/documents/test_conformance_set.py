"""The external MRZ conformance set (../shared/eval, other parsers' test suites), when present.

check_mrz.py runs every case through ``passerelle doc check --json`` and prints
``ext-mrz: agree R (A/N) crashes C ...`` last. The disagreements that remain are
listed in docs/documents.md with the reason Passerelle is right.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import passerelle
from passerelle.documents import check_mrz

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
CASES = EVAL / "mrz_conformance.json"
MIN_AGREE = 0.92
pytestmark = pytest.mark.skipif(not CASES.is_file(), reason=f"{CASES} is not present")


def _passerelle_exe(tmp_path: Path) -> Path:
    """A ``passerelle`` that imports the package these tests import (not another checkout)."""
    exe = tmp_path / "passerelle"
    exe.write_text(
        f"#!/bin/sh\nexec {sys.executable} -c "
        "'import sys; from passerelle.cli import main; sys.argv[0] = \"passerelle\"; main()' "
        '"$@"\n'
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_the_conformance_set_agrees_with_its_sources_where_icao_allows(tmp_path: Path) -> None:
    src = Path(passerelle.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, str(EVAL / "check_mrz.py"), str(_passerelle_exe(tmp_path)), str(CASES),
         f"--min-agree={MIN_AGREE}"],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    last = done.stdout.strip().splitlines()[-1]
    found = re.search(r"agree ([0-9.]+) \((\d+)/(\d+)\) crashes (\d+)", last)
    assert found, done.stdout[-2000:] + done.stderr[-2000:]
    agree, judged = int(found[2]), int(found[3])
    assert int(found[4]) == 0, last
    assert agree / judged >= MIN_AGREE, done.stdout[-6000:]
    assert done.returncode == 0, last


def test_every_refusal_in_the_conformance_set_is_named_by_an_error() -> None:
    for case in json.loads(CASES.read_text()):
        result = check_mrz("\n".join(case["lines"]), as_of=date(2025, 1, 1))
        if not result.well_formed:
            assert result.errors, case["source"]
            assert all(f.message and f.field for f in result.errors), case["source"]
