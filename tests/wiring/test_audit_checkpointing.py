"""When a node checkpoints its audit chain: as it starts serving, then every N records or
T minutes with records added; never over a chain that does not hold."""

from __future__ import annotations

import time
from dataclasses import replace

from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from passerelle.node import Node
from passerelle.server import create_app
from passerelle.store import Actor
from passerelle.store.audit import GENESIS
from passerelle.store.audit_checkpoints import CheckpointFile
from passerelle.store.tables import AuditHead, AuditPayload, AuditRecord
from passerelle.wiring.audit_anchoring import CHECKPOINT_KEY_FOLDER, Checkpointer
from tests.conftest import Clock, checkpoint_key
from tests.screening.conftest import node  # noqa: F401  (fixture)

ANALYST = Actor("analyst.idrissi", "user", "analyst")


def _write(node: Node, count: int) -> None:  # noqa: F811
    for n in range(count):
        with node.database.write() as session:
            node.audit.record(
                session, actor=ANALYST, action="sltd.search", purpose="check", at=node.clock(),
                query={"n": n},
            )  # fmt: skip


def test_a_node_checkpoints_its_chain_when_it_starts_serving(node: Node) -> None:  # noqa: F811
    file = CheckpointFile(node.settings.effective_audit_checkpoint_file)
    app = create_app(node=node, checkpoints=True)
    with TestClient(app):
        deadline = time.monotonic() + 20
        while not file.read().checkpoints and time.monotonic() < deadline:
            time.sleep(0.1)
    (checkpoint,) = file.read().checkpoints
    with node.database.read() as session:
        verdict = node.audit.verify(session)
    assert (checkpoint.seq, checkpoint.hash) == (verdict.last_seq, verdict.last_hash)
    assert (node.settings.keys_dir / CHECKPOINT_KEY_FOLDER / "node-ed25519.pem").exists()


def test_a_checkpoint_is_due_after_n_records_or_t_minutes_with_records_added(
    node: Node,  # noqa: F811
    clock: Clock,
) -> None:
    settings = node.settings.model_copy(
        update={"audit_checkpoint_records": 5, "audit_checkpoint_minutes": 10}
    )
    paced = replace(node, settings=settings)
    signer = checkpoint_key(settings)
    checkpointer = Checkpointer(paced, signer)
    assert checkpointer.due()  # none yet
    first = checkpointer.take()
    assert first.checkpoint is not None, first.refused
    clock.advance(minutes=30)
    assert not checkpointer.due()  # time passed, but nothing was added
    assert checkpointer.take().checkpoint is not None  # taken on demand all the same
    _write(paced, 4)
    clock.advance(minutes=5)
    assert not checkpointer.due()  # four records, five minutes
    _write(paced, 1)
    assert checkpointer.due()  # five records
    checkpointer.take()
    _write(paced, 1)
    clock.advance(minutes=11)
    assert checkpointer.due()  # ten minutes with a record added


def test_no_checkpoint_is_signed_over_a_chain_that_does_not_hold(node: Node) -> None:  # noqa: F811
    signer = checkpoint_key(node.settings)
    with node.database.write() as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(actor="someone"))

    taken = Checkpointer(node, signer).take()

    assert taken.checkpoint is None
    assert taken.refused is not None
    assert "the chain does not hold at record 2" in taken.refused
    assert not node.settings.effective_audit_checkpoint_file.exists()


def test_no_checkpoint_is_signed_over_a_chain_an_earlier_checkpoint_shows_emptied(
    node: Node,  # noqa: F811
) -> None:
    signer = checkpoint_key(node.settings)
    assert Checkpointer(node, signer).take().checkpoint is not None
    with node.database.write() as session:  # every record removed, a new chain's head put back
        session.execute(delete(AuditPayload))
        session.execute(delete(AuditRecord))
        session.execute(update(AuditHead).values(seq=0, hash=GENESIS, counter=0, seal=None))

    taken = Checkpointer(node, signer).take()

    assert taken.checkpoint is None
    assert taken.refused is not None
    assert taken.refused.endswith("were removed (the chain was emptied)")
    file = CheckpointFile(node.settings.effective_audit_checkpoint_file)
    assert len(file.read().checkpoints) == 1
