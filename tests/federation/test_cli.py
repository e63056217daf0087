"""``passerelle node`` and ``passerelle federation`` in a temporary PASSERELLE_HOME."""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.federation import (
    TlsFiles,
    client_ssl_context,
    load_certificate,
    load_identity,
    parse_public_key,
    server_ssl_context,
    state_of_certificate,
)
from passerelle.federation.transport.delivery import PARKED_UNTIL
from passerelle.federation.transport.outbox import enqueue
from passerelle.store import Database
from passerelle.store.tables import ExchangeOutbox

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(node_home: Callable[[], Path]) -> Run:
    """``passerelle`` in-process, in a fresh temporary home (no database needed)."""
    runner = CliRunner()

    def _run(*args: str) -> subprocess.CompletedProcess[str]:
        result = runner.invoke(app, list(args))
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)

    return _run


@pytest.fixture
def ca_dir(run: Run, tmp_path: Path) -> Path:
    created = run("federation", "ca", "--out", str(tmp_path / "ca"), "--name", "Demo CA")
    assert created.returncode == 0, created.stderr
    return tmp_path / "ca"


def test_federation_ca_writes_the_certificate_and_an_owner_only_key(run: Run, ca_dir: Path) -> None:
    assert stat.S_IMODE((ca_dir / "ca-key.pem").stat().st_mode) == 0o600
    assert "CN=Demo CA" in load_certificate(ca_dir / "ca.pem").subject.rfc4514_string()

    again = run("federation", "ca", "--out", str(ca_dir))
    assert again.returncode == 2
    assert "exists (use --force" in again.stderr


def test_node_init_with_a_ca_creates_identity_and_certificate(
    run: Run, ca_dir: Path, node_home: Callable[[], Path]
) -> None:
    created = run("node", "init", "--state", "mar", "--ca-dir", str(ca_dir), "--san", "mar.test")
    assert created.returncode == 0, created.stderr
    identity = load_identity(node_home() / "keys")
    assert f"key id: {identity.key_id}" in created.stdout

    shown = json.loads(run("node", "show", "--json").stdout)
    assert (shown["state"], shown["key_id"]) == ("MAR", identity.key_id)
    assert parse_public_key(shown["public_key"]) == identity.peer_key
    assert (shown["tls"]["state"], shown["tls"]["expired"]) == ("MAR", False)

    files = TlsFiles.for_home(node_home())
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    server_ssl_context(files)
    client_ssl_context(files)
    text = run("node", "show").stdout
    assert f"public key: {identity.peer_key.text}" in text
    assert "TLS certificate: CN=passerelle-mar,O=MAR, expires" in text


def test_node_init_refuses_to_replace_an_identity_unless_forced(
    run: Run, ca_dir: Path, node_home: Callable[[], Path]
) -> None:
    assert run("node", "init", "--state", "MAR", "--ca-dir", str(ca_dir)).returncode == 0
    first = load_identity(node_home() / "keys").key_id

    again = run("node", "init", "--state", "MAR", "--ca-dir", str(ca_dir))
    assert again.returncode == 1
    assert "identity: " in again.stderr
    assert "--force" in again.stderr
    assert load_identity(node_home() / "keys").key_id == first

    forced = run("node", "init", "--state", "MAR", "--ca-dir", str(ca_dir), "--force")
    assert forced.returncode == 0, forced.stderr
    assert load_identity(node_home() / "keys").key_id != first


def test_node_init_without_a_ca_writes_a_request_the_ca_signs(
    run: Run, ca_dir: Path, node_home: Callable[[], Path], tmp_path: Path
) -> None:
    created = run("node", "init", "--state", "BEL", "--name", "node-bel")
    assert created.returncode == 0, created.stderr
    files = TlsFiles.for_home(node_home())
    assert "TLS certificate: none" in run("node", "show").stdout

    csr = ("--csr", str(files.csr))
    issued = run(
        "federation", "issue", "--ca-dir", str(ca_dir), *csr, "--out", str(files.directory)
    )
    assert issued.returncode == 0, issued.stderr
    assert state_of_certificate(load_certificate(files.certificate)) == "BEL"
    assert json.loads(run("node", "show", "--json").stdout)["tls"]["subject"] == (
        "CN=node-bel,O=BEL"
    )
    server_ssl_context(files)


def test_federation_issue_writes_a_partners_tls_folder(
    run: Run, ca_dir: Path, tmp_path: Path
) -> None:
    out = ("--out", str(tmp_path / "bel"))
    issued = run("federation", "issue", "--ca-dir", str(ca_dir), "--state", "BEL", *out)
    assert issued.returncode == 0, issued.stderr

    files = TlsFiles(tmp_path / "bel")
    assert state_of_certificate(load_certificate(files.certificate)) == "BEL"
    client_ssl_context(files)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("node", "init", "--state", "ZZZ"), 2, "state: 'ZZZ' is not"),
        (("node", "show"), 1, "no node identity"),
        (("node", "init", "--state", "MAR", "--ca-dir", "/nonexistent"), 2, "cannot read"),
        (("node", "init", "--state", "MAR", "--san", "bad name!"), 2, "san: 'bad name!'"),
        (("federation", "issue", "--ca-dir", "x", "--out", "y"), 2, "either --state"),
        (("federation", "ca", "--out", "z", "--permit", "*"), 2, "permitted: '*'"),
    ],
)
def test_bad_usage_exits_with_a_message_naming_the_problem(
    run: Run, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message in result.stderr


def test_federation_outbox_shows_parked_messages_and_requeue_sends_them_again(
    run: Run, node_home: Callable[[], Path]
) -> None:
    assert run("db", "upgrade").returncode == 0
    assert run("keys", "init").returncode == 0
    database = Database(f"sqlite:///{node_home() / 'passerelle.db'}")
    now = datetime.now(UTC)
    with database.write() as session:
        for number in (1, 2):
            enqueue(session, peer="BEL", kind="alert.issue", body={"version": 1},
                    idempotency_key=f"alert:A-{number}:1", now=now)  # fmt: skip
        session.execute(update(ExchangeOutbox).values(next_attempt_at=PARKED_UNTIL))
    database.dispose()

    shown = run("federation", "outbox", "--json")
    assert shown.returncode == 0, shown.stderr
    (bel,) = json.loads(shown.stdout)
    assert (bel["peer"], bel["waiting"], bel["parked"]) == ("BEL", 0, 2)

    requeued = run("federation", "requeue", "bel")
    assert requeued.returncode == 0, requeued.stderr
    assert requeued.stdout == "2 parked message(s) to BEL due again\n"
    assert "BEL  waiting 2" in run("federation", "outbox").stdout
    again = run("federation", "requeue", "BEL")
    assert again.returncode == 2
    assert "no message to BEL is parked" in again.stderr
