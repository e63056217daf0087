"""A node's audit checkpoints kept by a partner, and given back to name a cut.

MAR and BEL serve the real federation listener (mutual TLS, loopback). MAR takes
a checkpoint of its audit chain; its outbox delivers it to BEL as a signed
``audit.checkpoint``, which BEL keeps. An insider on MAR then removes the latest
records, puts back an older sealed head and deletes MAR's own checkpoint file
(the whole machine is theirs): ``audit verify --partners`` asks BEL for its
copies and names the cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update

from passerelle.federation import new_federation_ca
from passerelle.federation.anchors.checkpoints import CHECKPOINT_KIND
from passerelle.federation.transport.client import BlockingExchangeClient, PeerRefused
from passerelle.federation.transport.delivery import Deliverer
from passerelle.store.audit import Actor
from passerelle.store.tables import AuditHead, AuditPayload, AuditRecord, PartnerAuditCheckpoint
from passerelle.wiring.audit_anchoring import Checkpointer
from tests.federation.nodes import (
    FAST_DELIVERY,
    FederatedNode,
    home_env,
    listening,
    make_home_node,
    make_node,
    register,
    run_in_process,
    serve_partner,
)
from tests.store.tampering import audited_searches

FAST = FAST_DELIVERY
ANALYST = Actor("analyst.tazi", "user", "analyst")


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    mar_client: BlockingExchangeClient

    def mar_delivers(self) -> int:
        return Deliverer(self.mar.node, self.mar_client, policy=FAST).deliver_due().delivered

    def mar_writes(self, count: int) -> None:
        audited_searches(self.mar.node, count, ANALYST)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("checkpoints")
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_home_node(folder / "mar", ca, "MAR")
    bel = make_node(folder / "bel", ca, "BEL")
    with (
        listening(serve_partner(mar), mar.tls) as mar_port,
        listening(serve_partner(bel), bel.tls) as bel_port,
    ):
        register(bel, mar, mar_port)
        register(mar, bel, bel_port)
        with BlockingExchangeClient(mar.identity, mar.tls) as mar_client:
            yield Pair(mar, bel, mar_client)
    for node in (mar, bel):
        node.close()


def test_a_partner_keeps_the_checkpoint_and_gives_it_back_to_name_a_cut(pair: Pair) -> None:
    mar = pair.mar.node
    pair.mar_writes(3)
    with mar.database.read() as session:
        older = session.scalars(select(AuditHead)).one()
        saved = {"seq": older.seq, "hash": older.hash, "counter": older.counter, "seal": older.seal}
    pair.mar_writes(4)
    taken = Checkpointer(mar, pair.mar.identity).take()
    assert taken.checkpoint is not None
    assert taken.partners == 1
    assert pair.mar_delivers() == 1
    with pair.bel.node.database.read() as session:
        kept = session.scalars(select(PartnerAuditCheckpoint)).one()
    assert (kept.state, kept.seq, kept.checkpoint) == (
        "MAR",
        taken.checkpoint.seq,
        taken.checkpoint.as_dict(),
    )
    assert pair.bel.audit_records("exchange.audit.checkpoint_receive")[0]["actor"] == "peer:MAR"

    # the insider: records removed, an older sealed head put back, MAR's own file deleted
    with mar.database.write() as session:
        session.execute(delete(AuditPayload).where(AuditPayload.seq > older.seq))
        session.execute(delete(AuditRecord).where(AuditRecord.seq > older.seq))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(**saved))
    mar.settings.effective_audit_checkpoint_file.unlink()

    with pytest.raises(Exception, match="exit 1") as failed:
        run_in_process(["audit", "verify", "--partners"], home_env(pair.mar))

    said = str(failed.value)
    assert f"the chain ends at record {older.seq} but the checkpoint of" in said
    assert "partner BEL) attests record" in said
    assert f"records {older.seq + 1}–{taken.checkpoint.seq} were removed" in said


def test_a_partner_refuses_a_checkpoint_that_does_not_verify(pair: Pair) -> None:
    pair.mar_writes(1)
    taken = Checkpointer(pair.mar.node, pair.mar.identity).take()
    assert taken.checkpoint is not None
    forged = replace(taken.checkpoint, seq=taken.checkpoint.seq + 50)
    bel = pair.mar.directory.get("BEL")

    with pytest.raises(PeerRefused) as refused:
        pair.mar_client.send(
            bel,
            CHECKPOINT_KIND,
            {"idempotency_key": "forged", "checkpoint": forged.as_dict()},
            timeout=5,
        )

    assert refused.value.code == "invalid"
    assert "checkpoint.signature" in str(refused.value)
    with pair.bel.node.database.read() as session:
        seqs = session.scalars(select(PartnerAuditCheckpoint.seq)).all()
    assert forged.seq not in seqs
