"""``audit checkpoint`` and ``audit verify``: a cut or emptied chain is named on both backends.

The node's own records (users added) make the chain; the insider works on the
database directly, as the security test did.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.store.audit import GENESIS
from passerelle.store.db import Database
from passerelle.store.tables import AuditRecord
from tests.cli.conftest import Run
from tests.conftest import _empty_postgres
from tests.store.tampering import remove_from, saved_head

PASSWORD = "a long enough passphrase 42"


@pytest.fixture(params=["sqlite", "postgresql"])
def node_database(
    request: pytest.FixtureRequest,
    node_home: Callable[[], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Database]:
    """The CLI node's database, on each backend (the insider's way in)."""
    if request.param == "sqlite":
        url = f"sqlite:///{node_home() / 'passerelle.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        emptied = Database(url)
        _empty_postgres(emptied)
        emptied.dispose()
        monkeypatch.setenv("PASSERELLE_DATABASE_URL", url)
    database = Database(url)
    yield database
    database.dispose()


def _add_users(run: Run, *names: str) -> None:
    for name in names:
        added = run("user", "add", name, "--role", "analyst", stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr


def test_a_tail_cut_behind_an_older_sealed_head_is_named_by_the_checkpoint(
    node_database: Database, run: Run
) -> None:
    _add_users(run, "analyst.one", "analyst.two")
    older = saved_head(node_database)
    _add_users(run, "analyst.three", "analyst.four")
    taken = json.loads(run("audit", "checkpoint", "--json").stdout)
    remove_from(node_database, int(str(older["seq"])) + 1, older)

    verified = run("audit", "verify")

    assert verified.returncode == 1
    assert f"the chain ends at record {older['seq']} but the checkpoint of" in verified.stderr
    assert f"(signed by UTO key {taken['key_id'][:8]}, local file" in verified.stderr
    assert (
        f"attests record {taken['seq']}: records {int(str(older['seq'])) + 1}–{taken['seq']} "
        "were removed" in verified.stderr
    )


def test_a_tail_cut_with_the_head_rewritten_is_named_without_any_checkpoint(
    node_database: Database, run: Run
) -> None:
    _add_users(run, "analyst.one", "analyst.two")
    with node_database.read() as session:
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert last is not None
        kept = session.get(AuditRecord, last.seq - 1)
        assert kept is not None
    remove_from(node_database, last.seq, {"seq": kept.seq, "hash": kept.hash})

    verified = run("audit", "verify")

    assert verified.returncode == 1
    assert "does not match its seal: it was rewritten without the audit key" in verified.stderr


def test_an_emptied_chain_is_named(node_database: Database, run: Run) -> None:
    _add_users(run, "analyst.one", "analyst.two")
    taken = json.loads(run("audit", "checkpoint", "--json").stdout)
    remove_from(node_database, 1, {"seq": 0, "hash": GENESIS, "counter": 0, "seal": None})

    verified = run("audit", "verify", "--json")
    said = json.loads(verified.stdout)

    assert verified.returncode == 1
    assert said["intact"] is False
    assert said["checkpoint_findings"][0].endswith(
        f"records 1–{taken['seq']} were removed (the chain was emptied)"
    )


def test_a_checkpoint_with_a_bad_signature_is_reported_as_such(
    run: Run, node_home: Callable[[], Path]
) -> None:
    _add_users(run, "analyst.one")
    run("audit", "checkpoint")
    file = node_home() / "audit-checkpoints.jsonl"
    line = json.loads(file.read_text().splitlines()[-1])
    with file.open("a") as handle:
        handle.write(json.dumps({**line, "seq": line["seq"] + 100}) + "\n")

    verified = run("audit", "verify")

    assert verified.returncode == 5
    assert "checkpoint NOT TRUSTED" in verified.stderr
    assert "its signature does not verify with UTO key" in verified.stderr
    assert "audit chain intact" in verified.stdout


def test_verify_makes_no_key_and_no_checkpoint(run: Run, node_home: Callable[[], Path]) -> None:
    _add_users(run, "analyst.one")
    keys = node_home() / "keys"
    provisioned = sorted(keys.rglob("*"))  # `keys init` made the checkpoint key, not verify

    verified = run("audit", "verify")

    assert verified.returncode == 0, verified.stderr
    assert "no checkpoint found" in verified.stdout
    assert sorted(keys.rglob("*")) == provisioned
    assert not (node_home() / "audit-checkpoints.jsonl").exists()


def test_upgrading_a_node_from_before_sealed_heads_seals_its_head(
    run: Run, node_home: Callable[[], Path]
) -> None:
    _add_users(run, "analyst.one")
    database = Database(f"sqlite:///{node_home() / 'passerelle.db'}")
    try:
        database.downgrade("0013")  # the head as an older version left it: no counter, no seal
    finally:
        database.dispose()

    upgraded = run("db", "upgrade")
    verified = run("audit", "verify")

    assert "audit chain head sealed with the audit key" in upgraded.stdout
    assert verified.returncode == 0, verified.stderr
