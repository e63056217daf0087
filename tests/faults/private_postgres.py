"""A PostgreSQL server of a test's own, that the test may stop, restart or kill.

The shared server on 127.0.0.1:5432 serves everyone's tests and is never stopped;
a fault test starts its own cluster instead: ``initdb`` into a fresh folder, the
server on a free loopback port (trust authentication, its socket in that folder),
driven with ``pg_ctl``. PostgreSQL refuses to run as root, so under root (CI) the
cluster belongs to the ``postgres`` account and its commands run as that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from passerelle.server.ports import free_port as _free_port

__all__ = ["PostgresBinariesMissing", "PrivatePostgres", "postgres_bindir"]


class PostgresBinariesMissing(RuntimeError):
    """No ``initdb``/``pg_ctl``/``postgres`` found on this machine."""


def postgres_bindir() -> Path:
    """The folder of the newest PostgreSQL server binaries installed (Debian's layout first,
    then ``pg_config --bindir``, then ``PATH``)."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    candidates = [*reversed(debian)]
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if found.returncode == 0:
            candidates.append(Path(found.stdout.strip()))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PostgresBinariesMissing(
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) in /usr/lib/postgresql/*/bin, "
        "pg_config --bindir or PATH: install the PostgreSQL server package"
    )


def _server_account() -> pwd.struct_passwd:
    """The account to run the server as when the tests run as root (PostgreSQL refuses root)."""
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresBinariesMissing(
            "the tests run as root and there is no 'postgres' account to run a server as "
            "(the PostgreSQL server package creates it)"
        ) from None


class PrivatePostgres:
    """One throw-away PostgreSQL cluster: ``start``, ``stop``, ``restart``, ``kill``, ``remove``.

    ``standby_of``: a hot standby of that running cluster instead of a new one, made as an
    operator makes one (``pg_basebackup -R``: it streams from the primary once started;
    ``wal_level`` is ``replica`` by default, and initdb's trust lines admit replication
    from loopback).

    ``url`` is the SQLAlchemy URL of its ``postgres`` database; ``create_database``
    gives the URL of a new one.
    """

    def __init__(
        self, *, root: Path | None = None, standby_of: PrivatePostgres | None = None
    ) -> None:
        self.bindir = postgres_bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="passerelle-pg-", dir=root))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = _free_port()
        self._owner = _server_account() if os.geteuid() == 0 else None
        if self._owner is not None:
            os.chown(self.folder, self._owner.pw_uid, self._owner.pw_gid)
        if standby_of is None:
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C",
            )  # fmt: skip
        else:  # a base backup of the running primary; -R: standby.signal, primary_conninfo
            self._run(
                "pg_basebackup", "-h", "127.0.0.1", "-p", str(standby_of.port), "-U",
                "postgres", "-D", str(self.data), "-R", "-X", "stream", "--no-sync",
                "--checkpoint=fast",
            )  # fmt: skip
        settings = (
            f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\nfsync = off\n"
            "max_connections = 60\nshared_buffers = 16MB\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(settings)

    @property
    def url(self) -> str:
        return self.url_of("postgres")

    def url_of(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command: Sequence[str] = [str(self.bindir / tool), *args]
        if self._owner is not None:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=60, cwd=self.folder
        )
        if check and done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} {' '.join(args)} failed:\n{done.stdout}{done.stderr}{log}")
        return done

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` (sessions cut, clean shutdown) or ``immediate`` (a crash:
        the next start recovers from the WAL)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", mode, "-w", "-t", "30",
            "restart",
        )  # fmt: skip

    @property
    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def execute(self, sql: str, *, database: str = "postgres") -> None:
        """Run SQL as the superuser (``psql``, stopping at the first error)."""
        self._run(
            "psql", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres", "-d",
            database, "-v", "ON_ERROR_STOP=1", "-c", sql,
        )  # fmt: skip

    def create_database(self, name: str) -> str:
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url_of(name)

    def own(self, path: Path) -> None:
        """Give ``path`` to the cluster's owner (a tablespace's folder must be the server's)."""
        if self._owner is not None:
            os.chown(path, self._owner.pw_uid, self._owner.pw_gid)

    @property
    def owner_ids(self) -> tuple[int, int]:
        """The uid and gid the server runs as."""
        if self._owner is not None:
            return self._owner.pw_uid, self._owner.pw_gid
        return os.geteuid(), os.getegid()

    def remove(self) -> None:
        if self.running:
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
