"""The audit-checkpoint key and the federation sealing key are provisioned like the node's
other keys: ``keys init`` makes them and records their fingerprints; a host that lacks
them, or holds others, refuses to work on the node's database (exit 4, one line naming the
file and the command); a node from before adopts the ones it has, and gets the ones it
lacks from ``keys init``; a sealing-key rotation records the new key as the node's.
Driven through the installed ``passerelle`` script, as ``tests/cli/test_node_keys.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete

from passerelle.keyring.host import SIGNING_KEY_FILE
from passerelle.server.ports import free_port
from passerelle.store import Database
from passerelle.store.tables import NodeKey
from tests.cli.test_node_keys import PASSWORD, Host, _actions, _refused
from tests.conftest import fresh_postgres_database

CHECKPOINT = Path("audit-checkpoint") / "node-ed25519.pem"
SEALING = Path("node-x25519.pem")


@pytest.fixture
def node(tmp_path: Path) -> Host:
    """A SQLite node set up as the operator guide says, with a user added."""
    host = Host(tmp_path / "home", None)
    host.ok("db", "upgrade")
    host.ok("keys", "init")
    host.ok("user", "add", "chef.tahiri", "--role", "supervisor", stdin=PASSWORD + "\n")
    return host


def _forget(host: Host, *names: str) -> None:
    """The database as one from before these keys' fingerprints holds it."""
    database = Database(f"sqlite:///{host.home / 'passerelle.db'}")
    try:
        with database.write() as session:
            session.execute(delete(NodeKey).where(NodeKey.name.in_(names)))
    finally:
        database.dispose()


def test_keys_init_makes_the_checkpoint_and_sealing_keys_and_records_them(tmp_path: Path) -> None:
    host = Host(tmp_path / "home", None)
    host.ok("db", "upgrade")
    made = host.ok("keys", "init")

    keys = host.home / "keys"
    assert f"checkpoint: created {keys / CHECKPOINT}" in made
    assert f"sealing: created {keys / SEALING}" in made
    assert (keys / SEALING).stat().st_mode & 0o077 == 0
    shown = host.ok("keys", "show")
    assert "checkpoint: the node's" in shown
    assert "sealing: the node's" in shown
    assert "checkpoint: record" in host.ok("audit", "checkpoint")  # signed with it

    host.ok("node", "init", "--state", "MAR")  # the identity: the sealing key is kept
    assert "sealing: the node's" in host.ok("keys", "show")
    assert "signing: the node's" in host.ok("keys", "show")
    assert "sealing key: x25519 MAR " in host.ok("node", "show")


@pytest.mark.parametrize(("key", "path"), [("checkpoint", CHECKPOINT), ("sealing", SEALING)])
def test_a_host_lacking_the_key_refuses_and_makes_none(node: Host, key: str, path: Path) -> None:
    (node.home / "keys" / path).unlink()

    for command in (("user", "list"), ("token", "issue", "chef.tahiri"), ("audit", "verify")):
        done = node.run(*command)
        _refused(done, f"this host lacks the node's {key} key ({node.home / 'keys' / path})")
        assert "passerelle keys init" in done.stderr
    _refused(node.run("serve", "--port", str(free_port())), f"lacks the node's {key} key")
    _refused(node.run("keys", "init"), f"not creating the {key} key")
    assert not (node.home / "keys" / path).exists()


def test_a_second_host_with_federation_keys_of_its_own_refuses_to_write(tmp_path: Path) -> None:
    with fresh_postgres_database("fedkeys") as url:
        host_a = Host(tmp_path / "host-a", url)
        host_a.ok("db", "upgrade")
        host_a.ok("keys", "init")
        own = Host(tmp_path / "host-b", None)  # a node of its own, on SQLite
        own.ok("db", "upgrade")
        own.ok("keys", "init")
        for shared in ("audit.key", "biometric.key"):  # the node's keys, but not these two
            shutil.copy(host_a.home / "keys" / shared, own.home / "keys" / shared)
        host_b = Host(own.home, url)

        done = host_b.run("user", "list")
        _refused(done, "this host's checkpoint key is not the node's")
        shutil.rmtree(own.home / "keys" / "audit-checkpoint")
        shutil.copytree(
            host_a.home / "keys" / "audit-checkpoint", own.home / "keys" / "audit-checkpoint"
        )
        _refused(host_b.run("user", "list"), "this host's sealing key is not the node's")
        shutil.copy(host_a.home / "keys" / SEALING, own.home / "keys" / SEALING)
        assert host_b.ok("user", "list").startswith("no users")


def test_a_node_from_before_adopts_the_keys_it_has_with_an_audit_note(node: Host) -> None:
    _forget(node, "checkpoint", "sealing")

    node.ok("user", "list")

    assert _actions(node)[-1] == "node.keys_adopted"
    shown = node.ok("keys", "show")
    assert "checkpoint: the node's" in shown
    assert "sealing: the node's" in shown


def test_a_node_from_before_without_them_works_and_gets_them_from_keys_init(node: Host) -> None:
    _forget(node, "checkpoint", "sealing")
    shutil.rmtree(node.home / "keys" / "audit-checkpoint")
    (node.home / "keys" / SEALING).unlink()

    assert node.ok("user", "list")  # not the node's keys yet: nothing to refuse
    made = node.ok("keys", "init")

    assert "checkpoint: created" in made
    assert "sealing: created" in made
    assert "fingerprints recorded in the database: checkpoint, sealing" in made


def test_a_sealing_key_rotation_records_the_new_key_as_the_nodes(
    node: Host, tmp_path: Path
) -> None:
    node.ok("node", "init", "--state", "MAR")
    kept = tmp_path / "old-keys"
    shutil.copytree(node.home / "keys", kept)

    node.ok("node", "rotate-sealing-key")

    assert "sealing: the node's" in node.ok("keys", "show")
    _refused(node.with_keys_from(kept).run("user", "list"), "this host's sealing key is not")


def test_a_host_lacking_the_signing_identity_the_node_records_refuses(node: Host) -> None:
    node.ok("node", "init", "--state", "MAR")  # the node's signing identity, recorded
    identity = node.home / "keys" / SIGNING_KEY_FILE
    identity.unlink()

    for command in (("user", "list"), ("token", "issue", "chef.tahiri")):
        _refused(node.run(*command), f"this host lacks the node's signing key ({identity})")
    _refused(node.run("serve", "--port", str(free_port())), "lacks the node's signing key")
