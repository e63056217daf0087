"""The hub's handler: forward each sealed part the matrix allows, gather the sealed answers.

A member's ``hub.relay`` reaches :meth:`HubRouter.relay` once the hub's listener has
checked it like any message (mutual TLS, the member's signature, replay, CRL). For
each part the router checks that the addressee is an enabled member (not a hub, not
the sender) and that the matrix (``matrix``) allows the kind between the two; it
forwards the allowed parts at once (``hub.deliver``, each member its own part), each
with what is left of the asker's deadline, and answers with one status per addressee:
a member that hangs is ``timeout`` at the deadline and delays no one else.

The hub never opens a part (it holds no key that could). It audits one ``hub.relay``
record per request with the routing metadata only: the sender, the kind, the message
id, each addressee with the size of its part, the outcome, the size of the answer and
the time taken. Its logs carry the same and nothing more.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from passerelle.federation.hub.matrix import HubMatrix
from passerelle.federation.hub.wire import DELIVER_KIND, RELAY_KIND, read_relay
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.transport.client import PeerOutcome
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor

__all__ = ["RELAY_ACTION", "HubRouter", "PartSender"]

log = logging.getLogger("passerelle.federation.hub")

RELAY_ACTION = "hub.relay"
_REPLY_MARGIN_S = 0.02
"""Kept of the asker's deadline for the hub's own answer to travel back."""


class PartSender(Protocol):
    """Sends each member its own body at once (``transport.BlockingExchangeClient``)."""

    def send_each(
        self,
        kind: str,
        bodies: Mapping[str, Mapping[str, JsonValue]],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]: ...


class HubRouter:
    """Routes members' sealed parts (the hub's only handler: ``hub.relay``)."""

    def __init__(self, client: PartSender, directory: PeerDirectory, matrix: HubMatrix) -> None:
        self.client, self.directory, self.matrix = client, directory, matrix

    def handlers(self) -> dict[str, Handler]:
        """The hub's handler table: ``hub.relay`` only (a hub answers no query itself)."""
        return {RELAY_KIND: self.relay}

    def relay(self, message: InboundMessage) -> dict[str, Any]:
        started = time.monotonic()
        request = read_relay(message.envelope.body)
        sender = message.envelope.sender
        answers: dict[str, dict[str, Any]] = {}
        forward: list[PeerView] = []
        bodies: dict[str, dict[str, JsonValue]] = {}
        members = {m.state: m for m in self.directory.list(enabled_only=True) if not m.relays}
        allowed = self.matrix.allowed(sender, request.kind, [to for to, _ in request.parts])
        for to, sealed in request.parts:
            member = members.get(to)
            if member is None or to == sender:
                answers[to] = _not_forwarded("unknown_member", f"{to} is not a member here")
            elif to not in allowed:
                answers[to] = _not_forwarded(
                    "hub_not_allowed", f"the hub's matrix does not let {sender} send {to} that"
                )
            else:
                forward.append(member)
                bodies[to] = {"from": sender, "kind": request.kind, "sealed": sealed}
        budget = request.deadline_ms / 1000 - (time.monotonic() - started) - _REPLY_MARGIN_S
        if forward and budget > 0:
            outcomes = self.client.send_each(DELIVER_KIND, bodies, peers=forward, deadline=budget)
            answers |= {outcome.peer: _answer(outcome) for outcome in outcomes}
        elif forward:
            answers |= {m.state: {"status": "timeout", "detail": "no time left"} for m in forward}
        parts = [{"to": to, **answers[to]} for to, _ in request.parts]
        self._audit(message, request.kind, dict(request.parts), parts, started)
        return {"parts": parts}

    def _audit(
        self,
        message: InboundMessage,
        kind: str,
        sealed: Mapping[str, str],
        parts: Sequence[Mapping[str, Any]],
        started: float,
    ) -> None:
        elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        routed = [
            {
                "to": part["to"],
                "outcome": part["status"],
                **({"code": part["code"]} if part.get("code") else {}),
                "bytes_in": len(sealed[part["to"]]),
                "bytes_out": len(part.get("sealed") or ""),
            }
            for part in parts
        ]
        envelope = message.envelope
        log.info(
            "hub.relay",
            extra={"sender": envelope.sender, "kind": kind, "message_id": envelope.message_id},
        )
        node = message.node
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=peer_actor(envelope.sender),
                action=RELAY_ACTION,
                at=node.clock(),
                query={"from": envelope.sender, "kind": kind, "message_id": envelope.message_id},
                result={"parts": routed, "elapsed_ms": elapsed_ms},
            )


def _not_forwarded(code: str, detail: str) -> dict[str, Any]:
    return {"status": "not_forwarded", "code": code, "detail": detail, "sent": False}


def _answer(outcome: PeerOutcome) -> dict[str, Any]:
    """One addressee's outcome as the hub returns it (the sealed answer untouched)."""
    if outcome.status == "answered":
        sealed = (outcome.body or {}).get("sealed")
        if isinstance(sealed, str):
            return {"status": "answered", "sealed": sealed, "sent": True}
        return {"status": "invalid", "code": "malformed", "detail": "no sealed answer"}
    answer: dict[str, Any] = {"status": outcome.status, "sent": outcome.sent}
    if outcome.code:
        answer["code"] = outcome.code
    if outcome.detail:
        answer["detail"] = outcome.detail
    return answer
