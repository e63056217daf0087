"""Sending to partners over real mutual TLS: verified replies, and fan-out with one deadline.

MAR asks; BEL and FRA serve ``federation_app`` with uvicorn on loopback; ESP
is a port that accepts TCP connections and never says a word.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from passerelle.exc import InvalidInput
from passerelle.federation import NodeIdentity, new_federation_ca
from passerelle.federation.peers.directory import Agreement, PeerView
from passerelle.federation.transport.client import (
    BlockingExchangeClient,
    ExchangeClient,
    PeerOutcome,
    PeerTimeout,
    PeerUnreachable,
)
from passerelle.federation.transport.inbound import Handler, InboundMessage
from passerelle.federation.transport.server import federation_app
from tests.federation.nodes import (
    ADMIN,
    FederatedNode,
    listening,
    make_node,
    register,
    silent_listener,
)

RELEASE = threading.Event()
"""Set at teardown: the slow handler stops waiting."""


def handlers_of(state: str) -> dict[str, Handler]:
    def answer(message: InboundMessage) -> dict[str, Any]:
        return {"outcome": "no_hit", "by": state, "asked": message.envelope.body}

    def hang(message: InboundMessage) -> dict[str, Any]:
        RELEASE.wait(30)
        return {"outcome": "no_hit", "by": state}

    slow = hang if state == "FRA" else answer
    return {"query.document": answer, "query.person": slow}


@dataclass
class Federation:
    mar: FederatedNode
    ports: dict[str, int]
    esp: NodeIdentity

    def peer(self, state: str) -> PeerView:
        return self.mar.directory.get(state)


def serving(server: FederatedNode) -> AbstractContextManager[int]:
    app = federation_app(server.node, server.identity, handlers=handlers_of(server.state))
    return listening(app, server.tls)


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    folder = tmp_path_factory.mktemp("fan-out")
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(folder / "mar", ca, "MAR")
    servers = {state: make_node(folder / state.lower(), ca, state) for state in ("BEL", "FRA")}
    esp = NodeIdentity.generate("ESP")
    with (
        serving(servers["BEL"]) as bel_port,
        serving(servers["FRA"]) as fra_port,
        silent_listener() as esp_port,
    ):
        ports = {"BEL": bel_port, "FRA": fra_port, "ESP": esp_port}
        for state, server in servers.items():
            register(server, mar, 1)
            register(mar, server, ports[state])
        register(mar, esp, esp_port)
        yield Federation(mar, ports, esp)
        RELEASE.set()
    for node in (mar, *servers.values()):
        node.close()


async def fan_out(
    federation: Federation, kind: str, states: list[str], deadline: float
) -> tuple[list[PeerOutcome], float]:
    peers = [federation.peer(state) for state in states]
    async with ExchangeClient(federation.mar.identity, federation.mar.tls) as client:
        started = time.monotonic()
        outcomes = await client.fan_out(kind, {"n": 7}, peers=peers, deadline=deadline)
        return outcomes, time.monotonic() - started


def by_peer(outcomes: list[PeerOutcome]) -> dict[str, PeerOutcome]:
    return {outcome.peer: outcome for outcome in outcomes}


def test_fan_out_answers_by_the_deadline_while_one_peer_hangs(federation: Federation) -> None:
    deadline = 1.5
    outcomes, elapsed = asyncio.run(
        fan_out(federation, "query.document", ["BEL", "ESP", "FRA"], deadline)
    )

    assert [o.peer for o in outcomes] == ["BEL", "ESP", "FRA"]
    got = by_peer(outcomes)
    assert deadline - 0.05 <= elapsed < deadline + 0.5
    assert got["ESP"].status == "timeout"
    for state in ("BEL", "FRA"):
        assert got[state].status == "answered"
        assert got[state].body == {"outcome": "no_hit", "by": state, "asked": {"n": 7}}
        assert got[state].elapsed < deadline  # not held back by ESP


def test_blocking_fan_out_from_a_thread_leaves_a_slow_handler_behind(
    federation: Federation,
) -> None:
    peers = [federation.peer("BEL"), federation.peer("FRA")]
    results: list[tuple[list[PeerOutcome], float]] = []

    def inspect() -> None:
        with BlockingExchangeClient(federation.mar.identity, federation.mar.tls) as client:
            started = time.monotonic()
            outcomes = client.fan_out("query.person", {"n": 1}, peers=peers, deadline=1.0)
            results.append((outcomes, time.monotonic() - started))

    thread = threading.Thread(target=inspect)
    thread.start()
    thread.join(20)

    outcomes, elapsed = results[0]
    assert elapsed < 1.0 + 0.5
    assert [(o.peer, o.status) for o in outcomes] == [("BEL", "answered"), ("FRA", "timeout")]


def test_peer_that_refuses_connections_is_unreachable(federation: Federation) -> None:
    closed = federation.peer("BEL")
    gone = PeerView(
        **{**{f: getattr(closed, f) for f in closed.__slots__}, "url": "https://localhost:1"}
    )

    async def go() -> None:
        async with ExchangeClient(federation.mar.identity, federation.mar.tls) as client:
            with pytest.raises(PeerUnreachable) as unreachable:
                await client.send(gone, "query.document", {}, timeout=5)
            assert not isinstance(unreachable.value, PeerTimeout)
            with pytest.raises(PeerTimeout):
                await client.send(federation.peer("ESP"), "query.document", {}, timeout=0.3)

    asyncio.run(go())


def test_reply_signed_with_a_key_not_registered_is_invalid(federation: Federation) -> None:
    directory, stale_key = federation.mar.directory, NodeIdentity.generate("BEL").peer_key
    real_key = directory.get("BEL").keys[0]
    directory.add_key("BEL", stale_key.text, actor=ADMIN)
    directory.remove_key("BEL", real_key.key_id, actor=ADMIN)
    try:
        outcomes, _ = asyncio.run(fan_out(federation, "query.document", ["BEL"], 5))
    finally:
        directory.add_key("BEL", real_key.text, actor=ADMIN)
        directory.remove_key("BEL", stale_key.key_id, actor=ADMIN)

    (outcome,) = outcomes
    assert (outcome.status, outcome.code, outcome.reply) == ("invalid", "unknown_peer", None)


def test_server_whose_certificate_names_another_state_is_not_trusted(
    federation: Federation,
) -> None:
    fra = federation.peer("FRA")
    impostor = PeerView(
        **{
            **{f: getattr(fra, f) for f in fra.__slots__},
            "url": f"https://localhost:{federation.ports['BEL']}",
        }
    )
    outcomes = asyncio.run(_fan_out_to(federation, [impostor]))

    (outcome,) = outcomes
    assert outcome.status == "unreachable"
    assert "is BEL, not FRA" in (outcome.detail or "")


async def _fan_out_to(federation: Federation, peers: list[PeerView]) -> list[PeerOutcome]:
    async with ExchangeClient(federation.mar.identity, federation.mar.tls) as client:
        return await client.fan_out("query.document", {}, peers=peers, deadline=5)


def test_queries_outside_the_outbound_agreement_are_not_sent(federation: Federation) -> None:
    federation.mar.directory.update(
        "BEL", actor=ADMIN, agreement=Agreement.of(outbound_kinds=["document"])
    )
    try:
        with pytest.raises(InvalidInput) as refused:
            asyncio.run(fan_out(federation, "query.face", ["BEL"], 1))
    finally:
        federation.mar.directory.update(
            "BEL",
            actor=ADMIN,
            agreement=Agreement.of(outbound_kinds=["document", "person", "face"]),
        )
    assert refused.value.field == "kind"
