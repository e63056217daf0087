"""``passerelle identities link``: what a run found, printed; bad options named, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run
from tests.identities.conftest import background
from tests.store.test_watchlist import person, write_lines


def _watchlist(folder: Path) -> Path:
    others = [
        person(f"MAR-W-{n:04d}", names=[record.result["document"]["given_names"] + " "
               + record.result["document"]["surname"]], birth_date=record.result["document"]
               ["birth_date"], nationalities=[record.nationality])
        for n, record in enumerate(background(40), start=10)
    ]  # fmt: skip
    return write_lines(
        folder / "watchlist.jsonl",
        person("MAR-W-0001", names=["Driss Zerouali"], birth_date="1986-08-23"),
        person("MAR-W-0002", names=["Idriss Zeroual", "إدريس الزروالي"], birth_date="1986-08-23",
               nationalities=["DZA"]),
        *others,
    )  # fmt: skip


def test_a_run_prints_what_it_found_and_a_second_run_rescores(run: Run, tmp_path: Path) -> None:
    loaded = run("watchlist", "load", str(_watchlist(tmp_path)))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    first = run("identities", "link")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "42 identity records" in first.stdout
    assert "1 new yellow links" in first.stdout
    second = run("identities", "link", "--json")
    assert second.returncode == 0, second.stdout + second.stderr
    outcome = json.loads(second.stdout.splitlines()[-1])
    assert (outcome["engine"], outcome["new"], outcome["rescored"]) == ("duckdb", 0, 1)


def test_bad_options_are_named(run: Run) -> None:
    engine = run("identities", "link", "--engine", "hadoop")
    assert engine.returncode == 2
    assert "engine: must be duckdb or spark" in engine.stderr
    threshold = run("identities", "link", "--threshold", "1.5")
    assert threshold.returncode == 2
    assert "threshold:" in threshold.stderr
