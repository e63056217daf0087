"""The node's keys are provisioned, never improvised: a host without them, or with keys of
its own, refuses to work on the node's database; with the node's key folder it works and
the audit chain stays intact on every host (two HOMEs on one PostgreSQL database, and a
SQLite node, driven through the installed ``passerelle`` script)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from passerelle.server.ports import free_port
from passerelle.store import Database
from passerelle.store.tables import AuditRecord, NodeKey
from tests.conftest import fresh_postgres_database

PASSWORD = "a long enough passphrase 42"
PROGRAM = shutil.which("passerelle", path=str(Path(sys.executable).parent)) or "passerelle"
MISSING = "this host lacks the node's audit key"
FOREIGN = "this host's audit key is not the node's"


@dataclass(frozen=True)
class Host:
    """One host of the node: its own PASSERELLE_HOME (and key folder), a database URL."""

    home: Path
    database_url: str | None
    keys_dir: Path | None = None

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
        env |= {"PASSERELLE_HOME": str(self.home), "PASSERELLE_NODE": "MAR"}
        if self.database_url:
            env["PASSERELLE_DATABASE_URL"] = self.database_url
        if self.keys_dir:
            env["PASSERELLE_KEYS_DIR"] = str(self.keys_dir)
        return subprocess.run(
            [PROGRAM, *args], input=stdin, env=env, capture_output=True, text=True, timeout=120
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.run(*args, stdin=stdin)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def with_keys_from(self, folder: Path) -> Host:
        return Host(self.home, self.database_url, folder)


@pytest.fixture
def shared_database() -> Iterator[str]:
    with fresh_postgres_database("hosts") as url:
        yield url


@pytest.fixture
def host_a(tmp_path: Path, shared_database: str) -> Host:
    """The node's first host, set up as the operator guide says, with a user added."""
    host = Host(tmp_path / "host-a", shared_database)
    host.ok("db", "upgrade")
    host.ok("keys", "init")
    host.ok("user", "add", "chef.tahiri", "--role", "supervisor", stdin=PASSWORD + "\n")
    return host


def _refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 4, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_second_host_without_keys_refuses_every_command_and_makes_none(
    host_a: Host, tmp_path: Path, shared_database: str
) -> None:
    host_b = Host(tmp_path / "host-b", shared_database)
    keys_b = host_b.home / "keys"

    for command in (("token", "issue", "chef.tahiri"), ("user", "list"), ("audit", "verify")):
        done = host_b.run(*command)
        _refused(done, f"{MISSING} ({keys_b / 'audit.key'})")
        assert "passerelle keys init" in done.stderr
        assert "copy the node's key folder from its first host" in done.stderr
    served = host_b.run("serve", "--port", str(free_port()))
    _refused(served, MISSING)
    made = host_b.run("keys", "init")  # the node has keys: init makes none here
    _refused(made, "not creating the audit key")

    assert not (keys_b / "audit.key").exists()
    assert not (keys_b / "biometric.key").exists()
    assert "audit chain intact: 2 records" in host_a.ok("audit", "verify")


def test_a_second_host_with_keys_of_its_own_refuses_to_write(
    host_a: Host, tmp_path: Path, shared_database: str
) -> None:
    own = Host(tmp_path / "host-b", None)  # keys made for a node of its own (SQLite)
    own.ok("db", "upgrade")
    own.ok("keys", "init")
    host_b = Host(own.home, shared_database)

    for command in (("token", "issue", "chef.tahiri"), ("user", "list")):
        done = host_b.run(*command)
        _refused(done, f"{FOREIGN}: {own.home / 'keys' / 'audit.key'} has fingerprint")
        assert "copy the node's key folder from its first host" in done.stderr
    _refused(host_b.run("serve", "--port", str(free_port())), FOREIGN)

    assert "audit chain intact: 2 records" in host_a.ok("audit", "verify")


def test_a_second_host_with_the_nodes_key_folder_works_and_the_chain_holds_on_both(
    host_a: Host, tmp_path: Path, shared_database: str
) -> None:
    mounted = tmp_path / "secrets" / "passerelle-keys"  # the node's folder, as a mounted secret
    shutil.copytree(host_a.home / "keys", mounted)
    host_b = Host(tmp_path / "host-b", shared_database).with_keys_from(mounted)

    host_b.ok("token", "issue", "chef.tahiri")
    host_a.ok("token", "issue", "chef.tahiri")
    shown = host_b.ok("keys", "show")

    assert "audit: the node's" in shown
    assert "biometric: the node's" in shown
    for host in (host_a, host_b):
        assert "audit chain intact: 4 records" in host.ok("audit", "verify")
    assert not (host_b.home / "keys").exists()


def test_a_sqlite_node_without_keys_refuses_until_keys_init(tmp_path: Path) -> None:
    node = Host(tmp_path / "home", None)
    node.ok("db", "upgrade")

    _refused(node.run("user", "list"), MISSING)
    _refused(node.run("serve", "--port", str(free_port())), MISSING)
    assert not (node.home / "keys" / "audit.key").exists()
    made = node.ok("keys", "init")
    assert "audit: created" in made
    assert "biometric: created" in made
    assert node.ok("user", "list").startswith("no users")
    (node.home / "keys" / "biometric.key").unlink()
    _refused(node.run("user", "list"), "this host lacks the node's biometric key")


def test_a_node_from_before_the_fingerprints_adopts_its_keys_with_an_audit_note(
    tmp_path: Path,
) -> None:
    node = Host(tmp_path / "home", None)
    node.ok("db", "upgrade")
    node.ok("keys", "init")
    node.ok("user", "add", "chef.tahiri", "--role", "supervisor", stdin=PASSWORD + "\n")
    database = Database(f"sqlite:///{node.home / 'passerelle.db'}")
    try:
        with database.write() as session:  # as a database from before revision 0028 is
            session.execute(delete(NodeKey))
    finally:
        database.dispose()

    node.ok("user", "list")
    shown = node.ok("keys", "show")

    assert "audit: the node's" in shown
    assert "audit chain intact" in node.ok("audit", "verify")
    assert _actions(node)[-1] == "node.keys_adopted"


def test_a_node_from_before_the_fingerprints_does_not_adopt_a_foreign_audit_key(
    tmp_path: Path,
) -> None:
    node = Host(tmp_path / "home", None)
    node.ok("db", "upgrade")
    node.ok("keys", "init")
    node.ok("user", "add", "chef.tahiri", "--role", "supervisor", stdin=PASSWORD + "\n")
    database = Database(f"sqlite:///{node.home / 'passerelle.db'}")
    try:
        with database.write() as session:
            session.execute(delete(NodeKey))
    finally:
        database.dispose()
    (node.home / "keys" / "audit.key").write_text(os.urandom(32).hex() + "\n")

    done = node.run("user", "list")

    _refused(done, f"{FOREIGN}: {node.home / 'keys' / 'audit.key'} does not seal the audit chain")


def _actions(node: Host) -> list[str]:
    database = Database(f"sqlite:///{node.home / 'passerelle.db'}")
    try:
        with database.read() as session:
            return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))
    finally:
        database.dispose()
