"""Two hosts of one node on this machine: a HOME each, one PostgreSQL database, the same keys.

``share_keys`` is the one place the tests hand a host the node's keys (the first
host's key folder copied into the second's HOME): when keys become provisioned
secrets, only it changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Host", "share_keys", "two_hosts"]

PASSERELLE = Path(sys.executable).parent / "passerelle"


@dataclass(frozen=True, slots=True)
class Host:
    """One API host: its own HOME, the node's database."""

    home: Path
    database_url: str

    def environment(self) -> dict[str, str]:
        """The environment a process of this host runs with."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PASSERELLE_") or k == "PASSERELLE_TEST_POSTGRES_URL"
        }
        env.update(PASSERELLE_HOME=str(self.home), PASSERELLE_DATABASE_URL=self.database_url)
        return env

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``passerelle ARGS`` as this host, as the installed script."""
        return subprocess.run(
            [str(PASSERELLE), *args],
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def share_keys(source: Host, target: Host) -> None:
    """Give ``target`` the node's keys: a copy of ``source``'s key folder (owner-only)."""
    target.home.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copytree(source.home / "keys", target.home / "keys", dirs_exist_ok=True)


def two_hosts(root: Path, database_url: str) -> tuple[Host, Host]:
    """Two hosts on ``database_url``: the first sets the node up (schema, and with
    ``keys init`` the audit, biometric, checkpoint and sealing keys), the second gets its
    keys."""
    first, second = Host(root / "host-a", database_url), Host(root / "host-b", database_url)
    upgraded = first.run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    keys = first.run("keys", "init")
    assert keys.returncode == 0, keys.stderr
    share_keys(first, second)
    return first, second
