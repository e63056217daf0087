"""``passerelle sltd`` end to end through the console script, on SQLite and PostgreSQL.

Includes the crash test: a load killed with SIGKILL mid-file leaves whole batches
and an intact audit chain, and running it again completes the file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from passerelle.store import Database
from passerelle.store.tables import LoadRun, SltdRecord

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def node_env(database: Database, tmp_path: Path) -> dict[str, str]:
    """Environment for the console script: this test's database (either backend)."""
    return os.environ | {
        "PASSERELLE_HOME": str(tmp_path / "home"),
        "PASSERELLE_DATABASE_URL": database.url,
        "PASSERELLE_AUDIT_KEY_FILE": str(tmp_path / "audit.key"),
    }


def script() -> str:
    exe = shutil.which("passerelle", path=str(Path(sys.executable).parent))
    assert exe
    return exe


@pytest.fixture
def run(node_env: dict[str, str]) -> Run:
    def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [script(), *args],
            env=env or node_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return _run


def sltd_file(path: Path, count: int) -> Path:
    with path.open("w") as handle:
        for n in range(count):
            handle.write(
                json.dumps(
                    {
                        "issuing_state": "MAR",
                        "document_number": f"K{n:08d}",
                        "document_code": "P",
                        "status": "stolen" if n % 2 else "lost",
                        "reported_on": "2026-01-15",
                        "reported_by": "MAR",
                    }
                )
                + "\n"
            )
    return path


def test_load_then_check_gives_the_contract_answer(run: Run, tmp_path: Path) -> None:
    assert run("db", "upgrade").returncode == 0
    assert run("keys", "init").returncode == 0
    loaded = run("sltd", "load", "--json", str(sltd_file(tmp_path / "s.jsonl", 20)))
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["accepted"] == 20
    hit = run("sltd", "check", "--purpose", "test", "--json", "MAR", "K00000003")
    assert hit.returncode == 1
    assert json.loads(hit.stdout) | {"reported_on": None} == {
        "hit": True,
        "status": "stolen",
        "reported_by": "MAR",
        "reported_on": None,
        "document_number": "K00000003",
        "match": "exact",
    }
    miss = run("sltd", "check", "--purpose", "test", "--json", "MAR", "K99999999")
    assert (miss.returncode, json.loads(miss.stdout)["hit"]) == (0, False)
    assert run("audit", "verify").returncode == 0


def test_node_refuses_an_unmigrated_database(run: Run, database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("the PostgreSQL test database is migrated once per run")
    database.engine.dispose()
    Path(database.engine.url.database or "").unlink()
    done = run("sltd", "check", "--purpose", "test", "MAR", "X1")
    assert done.returncode == 3
    assert "passerelle db upgrade" in done.stderr


def test_rejected_lines_are_listed_and_exit_one(run: Run, tmp_path: Path) -> None:
    run("db", "upgrade")
    run("keys", "init")
    path = tmp_path / "bad.jsonl"
    path.write_text('{"issuing_state": "MAR"}\nnot json\n')
    done = run("sltd", "load", str(path))
    assert done.returncode == 1
    assert "line 1: document_number: is required" in done.stderr
    assert "line 2: line: is not valid JSON" in done.stderr


@pytest.mark.parametrize("parallel", ["off", "on"])
def test_load_killed_midway_leaves_whole_batches_and_a_rerun_completes_it(
    run: Run, node_env: dict[str, str], database: Database, tmp_path: Path, parallel: str
) -> None:
    if parallel == "on" and not database.is_sqlite:
        pytest.skip("the parsing process is independent of the backend; SQLite covers it")
    assert run("db", "upgrade").returncode == 0
    assert run("keys", "init").returncode == 0
    total, batch = 60_000, 500
    path = sltd_file(tmp_path / "big.jsonl", total)
    env = node_env | {
        "PASSERELLE_LOAD_BATCH_SIZE": str(batch),
        "PASSERELLE_LOAD_PARALLEL": parallel,
    }
    loader = subprocess.Popen(
        [script(), "sltd", "load", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    done_lines = 0
    while time.monotonic() < deadline and loader.poll() is None:
        with database.read() as session:
            done_lines = session.scalar(select(func.max(LoadRun.lines_done))) or 0
        if done_lines >= 5 * batch:
            break
        time.sleep(0.02)
    assert loader.poll() is None, "the load finished before it could be killed"
    workers = _children(loader.pid)
    assert bool(workers) == (parallel == "on")
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()
    _wait_gone(workers)

    with database.read() as session:
        stored = session.scalar(select(func.count()).select_from(SltdRecord))
        run_row = session.scalars(select(LoadRun)).one()
    assert run_row.status == "running"
    assert stored == run_row.accepted == run_row.lines_done
    assert stored is not None
    assert stored % batch == 0
    assert 0 < stored < total
    assert run("audit", "verify").returncode == 0

    again = run("sltd", "load", "--json", str(path), env=env)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["interrupted_before"] == run_row.lines_done
    assert (report["accepted"], report["unchanged"]) == (total - stored, stored)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(SltdRecord)) == total
        statuses = session.scalars(select(LoadRun.status).order_by(LoadRun.id)).all()
    assert statuses == ["interrupted", "completed"]
    assert run("audit", "verify").returncode == 0


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.append(int(status.parent.name))
    return found


def _wait_gone(pids: list[int], timeout: float = 15.0) -> None:
    """A parsing process orphaned by a killed loader stops by itself."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            state = Path(f"/proc/{pid}/status").read_text() if Path(f"/proc/{pid}").exists() else ""
            if "State:\tZ" in state:
                break
            time.sleep(0.1)
        assert time.monotonic() < deadline, f"process {pid} outlived the loader it parsed for"
