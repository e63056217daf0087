"""The disk fills up under a bulk load (``passerelle sltd load``).

Two ways to fill the SQLite node's disk, both real: its HOME on a small tmpfs (the
disk really is full: SQLite says "database or disk is full"; needs the right to
mount, as root on most machines), and a file-size limit on the loading process
(``RLIMIT_FSIZE``: the system refuses the write past the limit as a full disk
would; works anywhere). On PostgreSQL (a cluster of the test's own), the registry's
table lives in a tablespace on a small tmpfs (mounting needed again): the server
answers "could not extend file: No space left on device".

What must hold: the command stops with a clear message naming the load, how far it
got and the reason, exit code 3, no traceback; the database still opens and its
audit chain verifies; what was stored before is all there and the batches the load
committed are accounted for (run, audit records); once there is room, loading the
file again completes it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from passerelle.cli import app
from tests.faults.private_postgres import PrivatePostgres

pytestmark = pytest.mark.faults

BATCH = 1000
LINES = 10_000


@dataclass
class SmallDisk:
    """A node HOME on a filesystem that fills up: ``file_size_limit`` applies to the loading
    process (``None``: the filesystem itself is small), ``make_room`` gives it space again."""

    home: Path
    file_size_limit: int | None
    make_room: Callable[[], None]


def _sltd_line(number: int) -> str:
    return json.dumps(
        {
            "issuing_state": "MAR",
            "document_number": f"QA{number:07d}",
            "document_code": "P",
            "status": "stolen",
            "reported_on": "2026-10-01",
            "reported_by": "MAR",
        }
    )


UNDER_FILE_SIZE_LIMIT = (
    "import os, resource, signal, sys; "
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "  # so that write() fails instead
    "limit = int(sys.argv[1]); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
    "os.execv(sys.argv[2], sys.argv[2:])"
)
"""Run a command with no file growing past ``argv[1]`` bytes (``RLIMIT_FSIZE``)."""


def _mount_small(folder: Path, size: str, *, owner: tuple[int, int] | None = None) -> str | None:
    """Mount a tmpfs of ``size`` on ``folder``; ``None`` when done, else why it could not be."""
    options = f"size={size},mode=0700" + (f",uid={owner[0]},gid={owner[1]}" if owner else "")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if mounted.returncode == 0 else mounted.stderr.strip() or "mount failed"


def _grow(folder: Path) -> None:
    remount = ["mount", "-o", "remount,size=64m", str(folder)]
    subprocess.run(remount, check=True, capture_output=True)


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


@pytest.fixture(params=["tmpfs", "file_size_limit"])
def small_disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SmallDisk]:
    if request.param == "file_size_limit":
        # room again: the next commands run without the limit
        yield SmallDisk(tmp_path / "home", 1_000_000, lambda: None)
        return
    mount = tmp_path / "small"
    mount.mkdir()
    refused = _mount_small(mount, "1536k")  # the schema alone is 0.54 MB
    if refused:
        pytest.skip(f"cannot mount a tmpfs here ({refused}): the file-size limit test stands")
    try:
        yield SmallDisk(mount / "home", None, lambda: _grow(mount))
    finally:
        _unmount(mount)


def _environment(disk: SmallDisk) -> dict[str, str]:
    env = {
        **os.environ,
        "PASSERELLE_HOME": str(disk.home),
        "PASSERELLE_LOAD_BATCH_SIZE": str(BATCH),
        "PASSERELLE_LOAD_PARALLEL": "off",
    }
    for name in ("PASSERELLE_DATABASE_URL", "PASSERELLE_AUDIT_KEY_FILE", "PASSERELLE_KEYS_DIR"):
        env.pop(name, None)
    return env


def _passerelle(
    disk: SmallDisk, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The command in this process (fast), on the node in ``disk``'s HOME (its SQLite
    database, or ``database_url``)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("PASSERELLE_DATABASE_URL", "PASSERELLE_AUDIT_KEY_FILE", "PASSERELLE_KEYS_DIR"):
            patch.delenv(name, raising=False)
        for name, value in _environment(disk).items():
            if name.startswith("PASSERELLE_"):
                patch.setenv(name, value)
        if database_url is not None:
            patch.setenv("PASSERELLE_DATABASE_URL", database_url)
        result = CliRunner().invoke(app, list(args))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def _passerelle_on_full_disk(disk: SmallDisk, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command in a process of its own, under ``disk``'s limits."""
    exe = shutil.which("passerelle", path=str(Path(sys.executable).parent))
    assert exe, "the passerelle console script is installed beside the interpreter"
    command = [exe, *args]
    if disk.file_size_limit is not None:
        command = [sys.executable, "-c", UNDER_FILE_SIZE_LIMIT, str(disk.file_size_limit), *command]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=_environment(disk)
    )


def _value(home: Path, sql: str) -> object:
    with closing(sqlite3.connect(f"file:{home / 'passerelle.db'}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchone()[0]


def test_a_load_that_fills_the_disk_stops_clearly_keeps_everything_and_completes_later(
    small_disk: SmallDisk, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.jsonl"
    earlier.write_text("".join(_sltd_line(n) + "\n" for n in range(1, 101)))
    big = tmp_path / "big.jsonl"
    big.write_text("".join(_sltd_line(n) + "\n" for n in range(1000, 1000 + LINES)))
    assert _passerelle(small_disk, "db", "upgrade").returncode == 0
    assert _passerelle(small_disk, "keys", "init").returncode == 0
    assert _passerelle(small_disk, "sltd", "load", str(earlier)).returncode == 0

    stopped = _passerelle_on_full_disk(small_disk, "sltd", "load", str(big))

    assert stopped.returncode == 3, stopped.stderr
    assert "Traceback" not in stopped.stderr
    message = stopped.stderr
    assert f"the sltd load of {big} stopped after line" in message
    assert "the node's database could not be written" in message
    assert "free space on the database's disk" in message
    assert "Loading the file again completes it" in message
    verified = _passerelle(small_disk, "audit", "verify")  # the disk is still full
    assert verified.returncode == 0, verified.stderr
    home = small_disk.home
    assert (
        _value(home, "SELECT count(*) FROM sltd_records WHERE document_number < 'QA0001000'") == 100
    )
    committed = _value(home, "SELECT lines_done FROM load_runs WHERE id = 2 AND status = 'running'")
    assert isinstance(committed, int)
    assert committed % BATCH == 0
    assert 0 < committed < LINES
    assert f"after line {committed:,} (run 2" in message
    assert _value(home, "SELECT count(*) FROM sltd_records") == 100 + committed
    assert _value(home, "SELECT count(*) FROM audit_records WHERE action = 'sltd.load'") == (
        1 + committed // BATCH
    )

    small_disk.make_room()
    again = _passerelle(small_disk, "sltd", "load", str(big))

    assert again.returncode == 0, again.stderr
    assert f"stopped after line {committed:,}" in again.stderr
    assert _value(home, "SELECT count(*) FROM sltd_records") == 100 + LINES
    assert _value(home, "SELECT status FROM load_runs WHERE id = 2") == "interrupted"
    assert _passerelle(small_disk, "audit", "verify").returncode == 0


def test_a_load_into_postgresql_whose_disk_fills_stops_clearly_and_completes_later(
    running_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    space = running_postgres.folder / f"space_{tmp_path.name[-8:]}"
    space.mkdir()
    refused = _mount_small(space, "1m", owner=running_postgres.owner_ids)
    if refused:
        pytest.skip(f"cannot mount a tmpfs here ({refused}): the SQLite tests stand")
    try:
        database = f"diskfull_{tmp_path.name[-8:].lower()}"
        disk = SmallDisk(tmp_path / "home", None, lambda: _grow(space))
        url = running_postgres.create_database(database)
        earlier = tmp_path / "earlier.jsonl"
        earlier.write_text("".join(_sltd_line(n) + "\n" for n in range(1, 101)))
        big = tmp_path / "big.jsonl"
        big.write_text("".join(_sltd_line(n) + "\n" for n in range(1000, 1000 + LINES)))
        assert _passerelle(disk, "db", "upgrade", database_url=url).returncode == 0
        assert _passerelle(disk, "keys", "init", database_url=url).returncode == 0
        assert _passerelle(disk, "sltd", "load", str(earlier), database_url=url).returncode == 0
        running_postgres.execute(f"CREATE TABLESPACE small_{database} LOCATION '{space}'")
        running_postgres.execute(
            f"ALTER TABLE sltd_records SET TABLESPACE small_{database}", database=database
        )

        stopped = _passerelle(disk, "sltd", "load", str(big), database_url=url)

        assert stopped.returncode == 3, stopped.stderr
        assert "Traceback" not in stopped.stderr
        assert f"the sltd load of {big} stopped after line" in stopped.stderr
        assert "could not be written: its disk is full" in stopped.stderr
        verified = _passerelle(disk, "audit", "verify", database_url=url)
        assert verified.returncode == 0, verified.stderr
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                committed = connection.scalar(text("SELECT lines_done FROM load_runs WHERE id = 2"))
                stored = connection.scalar(text("SELECT count(*) FROM sltd_records"))
            assert isinstance(committed, int)
            assert 0 < committed < LINES
            assert stored == 100 + committed
            disk.make_room()
            again = _passerelle(disk, "sltd", "load", str(big), database_url=url)
            assert again.returncode == 0, again.stderr
            with engine.connect() as connection:
                stored = connection.scalar(text("SELECT count(*) FROM sltd_records"))
            assert stored == 100 + LINES
        finally:
            engine.dispose()
        assert _passerelle(disk, "audit", "verify", database_url=url).returncode == 0
    finally:
        _unmount(space)
