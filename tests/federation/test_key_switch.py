"""The serving node switches to its announced key by itself, and its processes follow.

``rotate-key`` announces the next key with a take-over time. A node's
``federation serve`` delivers the announcement and, once the time has come and
every partner has acknowledged it, switches, retires the old key at the partner
and signs with the new one, all without an operator's step or a restart. While
a partner has not acknowledged, it waits (a partner without the key would
refuse everything it signs).
"""

from __future__ import annotations

import time

import pytest

from passerelle.federation.anchors.checkpoints import HELD_KIND
from passerelle.federation.peers.key_switch import KeySwitch
from passerelle.federation.protocol.identity import NodeIdentity, load_identity, save_identity
from passerelle.federation.protocol.next_key import announced_takeover
from passerelle.federation.protocol.signing_key import SigningKeyFile
from passerelle.federation.protocol.tls import client_ssl_context
from passerelle.federation.transport.client import BlockingExchangeClient, PeerRefused
from passerelle.federation.transport.delivery import Deliverer
from passerelle.federation_demo.processes import ServedProcess, answers_tls
from passerelle.server.ports import free_port
from tests.federation import test_key_rotation
from tests.federation.nodes import (
    FAST_DELIVERY,
    home_env,
    register,
    run_in_process,
)
from tests.federation.test_key_rotation import Pair

pair = test_key_rotation.pair
"""MAR (a home, so commands act as it) and BEL, each listening, registered both ways."""


def _wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.2)
    return False


def test_a_serving_node_switches_at_the_announced_time_and_retires_the_old_key(
    pair: Pair,
) -> None:
    keys_dir = pair.mar.node.settings.keys_dir
    old = load_identity(keys_dir)
    env = home_env(pair.mar)
    run_in_process(["node", "rotate-key", "--takes-over-in-hours", "0"], env)
    following = announced_takeover(keys_dir)
    assert following is not None

    port = free_port()
    serving = ServedProcess(
        "MAR passerelle federation serve",
        ["federation", "serve", "--port", str(port), "--deliver-interval", "0.2"],
        env,
        pair.mar.node.settings.home / "logs" / "federation.log",
        lambda: answers_tls(port, client_ssl_context(pair.mar.tls)),
    )
    serving.spawn()
    try:
        serving.wait_ready(timeout=60)
        # announced, acknowledged, switched, retired: BEL holds only the new key
        switched = _wait_for(
            lambda: (
                load_identity(keys_dir).key_id != old.key_id
                and pair.bel_key_ids_for_mar() == {load_identity(keys_dir).key_id}
            ),
            40,
        )
        assert switched, serving.log_tail()
    finally:
        serving.stop()
    new = load_identity(keys_dir)
    assert pair.bel.audit_records("peer.key_announced")[0]["key_id"] == new.key_id
    assert pair.bel.audit_records("peer.key_retired")[0]["key_id"] == old.key_id
    (record,) = pair.mar.audit_records("node.key_switched")
    assert record["actor"] == "system:key-rotation"
    assert record["previous_key_id"] == old.key_id
    assert record["key_id"] == new.key_id
    assert announced_takeover(keys_dir) is None
    pair.mar_sends(new)
    with pytest.raises(PeerRefused):
        pair.mar_sends(old)


def test_the_switch_waits_until_every_partner_holds_the_next_key(pair: Pair) -> None:
    keys_dir = pair.mar.node.settings.keys_dir
    old = load_identity(keys_dir)
    run_in_process(["node", "rotate-key", "--takes-over-in-hours", "0"], home_env(pair.mar))
    switch = KeySwitch(pair.mar.node, keys_dir)

    waiting = switch.check()  # the announcement has not reached BEL yet
    assert waiting is not None
    assert not waiting.switched
    assert waiting.waiting_for == ("BEL",)
    switch.check()  # audited once per wait, not once per look
    assert [r["waiting_for"] for r in pair.mar.audit_records("node.key_switch_waiting")] == [
        ["BEL"]
    ]
    assert load_identity(keys_dir).key_id == old.key_id
    pair.mar_sends(old)

    assert pair.mar_delivers(old) == 1  # BEL acknowledges the announcement
    done = switch.check()
    assert done is not None
    assert done.switched
    assert done.previous_key_id == old.key_id
    new = load_identity(keys_dir)
    assert pair.mar_delivers(new) == 1  # the retirement
    assert pair.bel_key_ids_for_mar() == {new.key_id}
    assert switch.check() is None  # nothing left to switch


def test_a_rotation_not_yet_due_switches_nothing(pair: Pair) -> None:
    keys_dir = pair.mar.node.settings.keys_dir
    old = load_identity(keys_dir)
    run_in_process(["node", "rotate-key", "--takes-over-in-hours", "24"], home_env(pair.mar))
    assert pair.mar_delivers(old) == 1
    assert KeySwitch(pair.mar.node, keys_dir).check() is None
    assert load_identity(keys_dir).key_id == old.key_id


def test_a_partner_added_after_the_announcement_is_sent_one_before_the_switch(
    pair: Pair, tmp_path_factory: pytest.TempPathFactory
) -> None:
    keys_dir = pair.mar.node.settings.keys_dir
    old = load_identity(keys_dir)
    run_in_process(["node", "rotate-key", "--takes-over-in-hours", "0"], home_env(pair.mar))
    assert pair.mar_delivers(old) == 1
    late = NodeIdentity.generate("TUN")
    register(pair.mar, late, free_port())  # nobody listens: TUN cannot acknowledge
    waiting = KeySwitch(pair.mar.node, keys_dir).check()
    assert waiting is not None
    assert waiting.waiting_for == ("TUN",)
    with pair.mar.node.database.read() as session:
        from passerelle.store.tables import ExchangeOutbox

        queued = session.query(ExchangeOutbox).filter_by(peer="TUN", kind="key.announce").count()
    assert queued == 1
    assert load_identity(keys_dir).key_id == old.key_id


def test_a_client_following_the_key_files_signs_with_the_new_key_without_a_restart(
    pair: Pair,
) -> None:
    keys_dir = pair.mar.node.settings.keys_dir
    old = load_identity(keys_dir)
    env = home_env(pair.mar)
    run_in_process(["node", "rotate-key", "--takes-over-in-hours", "0"], env)
    assert pair.mar_delivers(old) == 1
    signing = SigningKeyFile(keys_dir)
    bel = pair.mar.directory.get("BEL")
    with BlockingExchangeClient(signing, pair.mar.tls) as client:
        client.send(bel, HELD_KIND, {}, timeout=10)
        run_in_process(["node", "rotate-key", "--complete"], env)
        new = load_identity(keys_dir)
        with BlockingExchangeClient(new, pair.mar.tls) as fresh:
            Deliverer(pair.mar.node, fresh, policy=FAST_DELIVERY).deliver_due()  # retire old
        assert pair.bel_key_ids_for_mar() == {new.key_id}
        client.send(bel, HELD_KIND, {}, timeout=10)  # the same client, the new key
    assert signing.current().key_id == new.key_id


def test_a_key_file_of_another_state_or_half_written_keeps_the_key_in_use(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    keys_dir = tmp_path_factory.mktemp("keys")
    mine = NodeIdentity.generate("MAR")
    save_identity(mine, keys_dir)
    signing = SigningKeyFile(keys_dir)
    save_identity(NodeIdentity.generate("BEL"), keys_dir, force=True)
    assert signing.current().key_id == mine.key_id
    (keys_dir / "node-ed25519.pub").write_text("garbage\n")
    assert signing.current().key_id == mine.key_id
    replacement = NodeIdentity.generate("MAR")
    save_identity(replacement, keys_dir, force=True)
    assert signing.current().key_id == replacement.key_id
