"""Hitless key rotation on real nodes over mutual TLS.

MAR announces its next key (``passerelle node rotate-key``): the announcement,
signed with its current key, reaches BEL through the outbox and BEL registers
the next key beside the current one. MAR then switches (``--complete``): BEL
accepts what the new key signs with no ``peer`` step by BEL's operators, and
drops the old key when MAR's retirement (proven by the new key) arrives. A
message MAR sends at every stage of the rotation is accepted. An announcement
not signed by a key BEL holds for MAR, or whose proof is not by the announced
key, registers nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from passerelle.federation import new_federation_ca
from passerelle.federation.anchors.checkpoints import HELD_KIND
from passerelle.federation.peers.key_announce import ANNOUNCE_KIND
from passerelle.federation.protocol.identity import NodeIdentity, load_identity
from passerelle.federation.transport.client import BlockingExchangeClient, PeerRefused
from passerelle.federation.transport.delivery import Deliverer
from passerelle.federation_demo.processes import StepFailed
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

FAST = FAST_DELIVERY


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode

    def bel_key_ids_for_mar(self) -> set[str]:
        return {k.key_id for k in self.bel.directory.keys_for("MAR")}

    def mar_sends(self, identity: NodeIdentity) -> None:
        """A message signed by ``identity``: accepted, or PeerRefused."""
        with BlockingExchangeClient(identity, self.mar.tls) as client:
            client.send(self.mar.directory.get("BEL"), HELD_KIND, {}, timeout=10)

    def mar_delivers(self, identity: NodeIdentity) -> int:
        with BlockingExchangeClient(identity, self.mar.tls) as client:
            report = Deliverer(self.mar.node, client, policy=FAST).deliver_due()
            return report.delivered


@pytest.fixture
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("rotation")
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_home_node(folder / "mar", ca, "MAR")
    bel = make_node(folder / "bel", ca, "BEL")
    with (
        listening(serve_partner(mar), mar.tls) as mar_port,
        listening(serve_partner(bel), bel.tls) as bel_port,
    ):
        register(bel, mar, mar_port)
        register(mar, bel, bel_port)
        yield Pair(mar, bel)
    for node in (mar, bel):
        node.close()


def test_a_key_rotated_with_an_announced_next_key_refuses_nothing(pair: Pair) -> None:
    keys_dir = pair.mar.node.settings.keys_dir
    old = load_identity(keys_dir)
    env = home_env(pair.mar)

    said = run_in_process(["node", "rotate-key", "--takes-over-in-hours", "1"], env)
    assert "announced to 1 partner(s)" in said
    pair.mar_sends(old)  # before the announcement arrives
    assert pair.mar_delivers(old) == 1
    announced = pair.bel.audit_records("peer.key_announced")
    assert len(announced) == 1
    next_id = announced[0]["key_id"]
    assert pair.bel_key_ids_for_mar() == {old.key_id, next_id}
    pair.mar_sends(old)  # during the overlap

    said = run_in_process(["node", "rotate-key", "--complete"], env)
    new = load_identity(keys_dir)
    assert new.key_id == next_id != old.key_id
    assert f"now signing with key {next_id}" in said
    pair.mar_sends(new)  # switched: no `peer` step on BEL, no refusal
    pair.mar_sends(old)  # a message signed before the switch, still on its way

    assert pair.mar_delivers(new) == 1  # the retirement, proven by the new key
    assert pair.bel_key_ids_for_mar() == {next_id}
    assert len(pair.bel.audit_records("peer.key_retired")) == 1
    with pytest.raises(PeerRefused):
        pair.mar_sends(old)
    pair.mar_sends(new)


def test_an_announcement_not_signed_by_the_current_key_registers_nothing(pair: Pair) -> None:
    current = load_identity(pair.mar.node.settings.keys_dir)
    impostor = NodeIdentity.generate("MAR")
    bel = pair.mar.directory.get("BEL")
    when = pair.mar.node.clock().isoformat()
    genuine_proof = impostor.sign(f"passerelle key.announce MAR {impostor.key_id} {when}".encode())
    announcement = {
        "public_key": impostor.peer_key.text,
        "takes_over_at": when,
        "proof": base64.b64encode(genuine_proof).decode(),
        "idempotency_key": "key-announce:impostor",
    }
    # signed by a key BEL never registered for MAR
    with (
        pytest.raises(PeerRefused, match="unknown_peer"),
        BlockingExchangeClient(impostor, pair.mar.tls) as client,
    ):
        client.send(bel, ANNOUNCE_KIND, announcement, timeout=10)
    # signed by MAR's current key, but its proof is not by the key announced
    forged = announcement | {"proof": base64.b64encode(current.sign(b"x")).decode()}
    with (
        pytest.raises(PeerRefused, match="invalid"),
        BlockingExchangeClient(current, pair.mar.tls) as client,
    ):
        client.send(bel, ANNOUNCE_KIND, forged, timeout=10)
    assert pair.bel_key_ids_for_mar() == {current.key_id}
    assert pair.bel.audit_records("peer.key_announced") == []
    # the one MAR's current key signs, with the announced key's proof, is taken
    with BlockingExchangeClient(current, pair.mar.tls) as client:
        client.send(bel, ANNOUNCE_KIND, announcement, timeout=10)
    assert pair.bel_key_ids_for_mar() == {current.key_id, impostor.key_id}
    # announcing key after key is bounded: a partner holds at most three
    for number in range(2):
        extra = NodeIdentity.generate("MAR")
        proof = extra.sign(f"passerelle key.announce MAR {extra.key_id} {when}".encode())
        more = {
            "public_key": extra.peer_key.text,
            "takes_over_at": when,
            "proof": base64.b64encode(proof).decode(),
            "idempotency_key": f"key-announce:extra-{number}",
        }
        with BlockingExchangeClient(current, pair.mar.tls) as client:
            if number == 0:
                client.send(bel, ANNOUNCE_KIND, more, timeout=10)
            else:
                with pytest.raises(PeerRefused, match="already holds 3 keys"):
                    client.send(bel, ANNOUNCE_KIND, more, timeout=10)
    assert len(pair.bel_key_ids_for_mar()) == 3


def test_completing_a_rotation_never_prepared_says_so_and_keeps_the_key(pair: Pair) -> None:
    current = load_identity(pair.mar.node.settings.keys_dir)
    with pytest.raises(StepFailed, match="next_key: none prepared"):
        run_in_process(["node", "rotate-key", "--complete"], home_env(pair.mar))
    assert load_identity(pair.mar.node.settings.keys_dir).key_id == current.key_id
    pair.mar_sends(current)
