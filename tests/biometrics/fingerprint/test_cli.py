"""``passerelle finger``: extract, verify, enrol, search and remove from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from typer.testing import CliRunner

from passerelle.cli import app
from tests.biometrics.fingerprint.conftest import png_bytes

Impressions = dict[int, list[npt.NDArray[np.uint8]]]


@pytest.fixture
def prints(impressions: Impressions, tmp_path: Path) -> Callable[[int, int], Path]:
    def write(seed: int, impression: int) -> Path:
        path = tmp_path / f"finger-{seed}-{impression}.png"
        if not path.exists():
            path.write_bytes(png_bytes(impressions[seed][impression]))
        return path

    return write


def test_extract_writes_an_iso_record_that_verifies_like_the_image(
    prints: Callable[[int, int], Path], tmp_path: Path
) -> None:
    runner = CliRunner()
    record = tmp_path / "101.iso"
    done = runner.invoke(
        app, ["finger", "extract", str(prints(101, 0)), "--out", str(record), "--json"]
    )
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["minutiae"] >= 10
    assert record.read_bytes()[:4] == b"FMR\x00"
    same = runner.invoke(app, ["finger", "verify", str(prints(101, 1)), str(record), "--json"])
    assert same.exit_code == 0, same.output
    assert json.loads(same.stdout)["match"] is True
    other = runner.invoke(app, ["finger", "verify", str(prints(102, 1)), str(record)])
    assert other.exit_code == 1
    assert "different fingers" in other.stdout
    foreign = runner.invoke(
        app, ["finger", "verify", str(record), str(record), "--extractor", "vendor-x:4.2"]
    )
    assert foreign.exit_code == 2
    assert "extractor" in foreign.stderr


def test_enrol_search_and_remove_in_a_gallery(
    prints: Callable[[int, int], Path], node_home: Callable[[], Path]
) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["keys", "init"]).exit_code == 0
    for seed in (101, 102):
        enrolled = runner.invoke(
            app, ["finger", "enrol", "wanted", f"MAR-W-{seed}/R2", str(prints(seed, 0))]
        )
        assert enrolled.exit_code == 0, enrolled.output
    found = runner.invoke(
        app, ["finger", "search", "wanted", str(prints(102, 1)), "--json", "--purpose", "test"]
    )
    assert found.exit_code == 1, found.output
    best = json.loads(found.stdout)["matches"][0]
    assert (best["id"], best["hit"]) == ("MAR-W-102/R2", True)
    stranger = runner.invoke(
        app, ["finger", "search", "--purpose", "test", "wanted", str(prints(104, 1))]
    )
    assert stranger.exit_code == 0, stranger.output
    gone = runner.invoke(
        app, ["finger", "remove", "wanted", "MAR-W-102/R2", "--reason", "withdrawn"]
    )
    assert gone.exit_code == 0, gone.output
    after = runner.invoke(
        app, ["finger", "search", "--purpose", "test", "wanted", str(prints(102, 1)), "--json"]
    )
    assert after.exit_code == 0, after.output
    assert "MAR-W-102/R2" not in after.stdout
    stale = runner.invoke(app, ["finger", "outdated", "wanted", "--json"])
    assert stale.exit_code == 0, stale.output
    assert json.loads(stale.stdout) == {"gallery": "wanted", "outdated": []}
    trail = runner.invoke(app, ["audit", "verify"])
    assert trail.exit_code == 0, trail.output


def test_an_unreadable_print_is_refused_by_name(tmp_path: Path) -> None:
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not an image")
    refused = CliRunner().invoke(app, ["finger", "verify", str(junk), str(junk)])
    assert refused.exit_code == 2
    assert "PRINT_A" in refused.stderr


def test_synth_draws_two_impressions_of_one_finger_that_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    for impression, out in ((0, first), (1, second)):
        done = runner.invoke(
            app, ["finger", "synth", "31", "--impression", str(impression), "--out", str(out)]
        )
        assert done.exit_code == 0, done.output
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert first.read_bytes() != second.read_bytes()
    same = runner.invoke(app, ["finger", "verify", str(first), str(second)])
    assert same.exit_code == 0, same.output
