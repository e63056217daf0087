"""A member asking partners through a hub: one request to the hub, a sealed part for each.

:class:`HubFanOut` does for the partners a node reaches through a hub what the
transport's fan-out does for the others, with the same outcomes
(``transport.client.PeerOutcome``, ``via`` naming the hub). For each partner it
signs the query exactly as it would send it directly (sender this node, recipient
the partner), seals the signed bytes to the partner's registered sealing key, and
sends all the parts in one ``hub.relay`` to the hub, asking it to answer ``hub_margin``
seconds (0.15, at most a quarter of the deadline) before the deadline so that the
parts that came back in time reach this node before it stops waiting. Each
``answered`` part is opened with this node's sealing key and trusted only once it
verifies as the partner's own signed reply to that very query: a hub that forges,
swaps or alters an answer gets ``invalid``, never a hit or a no-hit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from passerelle.exc import InvalidInput
from passerelle.federation.hub.wire import RELAY_KIND, decode_sealed, encode_sealed
from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import (
    JsonValue,
    new_envelope,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.protocol.errors import ExchangeRefused
from passerelle.federation.protocol.identity import NodeIdentity, PeerKeyRing
from passerelle.federation.protocol.replay import DEFAULT_MAX_SKEW, MemoryReplayGuard
from passerelle.federation.protocol.sealing import (
    SealingKey,
    open_sealed,
    read_sealing_line,
    seal,
)
from passerelle.federation.transport.client import (
    BadReply,
    OutcomeStatus,
    PeerOutcome,
    PeerRefused,
    PeerTimeout,
    PeerUnreachable,
    Reply,
)
from passerelle.federation.transport.inbound import REPLY_KIND
from passerelle.federation.transport.server import REFUSAL_STATUS
from passerelle.node import utc_now

__all__ = ["HubFanOut", "MessageSender"]

_STATUSES: frozenset[str] = frozenset({"refused", "timeout", "unreachable", "invalid"})


class MessageSender(Protocol):
    """Sends one message and returns the verified reply (``transport.BlockingExchangeClient``)."""

    def send(
        self, peer: PeerView, kind: str, body: Mapping[str, JsonValue], *, timeout: float
    ) -> Reply: ...


class HubFanOut:
    """Asks partners through a hub (``fan_out`` as the transport's, plus the hub to use)."""

    def __init__(
        self,
        client: MessageSender,
        identity: NodeIdentity | Callable[[], NodeIdentity],
        sealing: Sequence[SealingKey] | Callable[[], Sequence[SealingKey]],
        *,
        clock: Callable[[], datetime] = utc_now,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
        revoked_keys: Callable[[], Collection[str]] = frozenset,
        hub_margin: float = 0.15,
    ) -> None:
        self.client = client
        self._identity = identity if callable(identity) else (lambda held=identity: held)
        """The identity the next message is signed with (a key switch applies at once)."""
        self._sealing = sealing if callable(sealing) else (lambda held=tuple(sealing): held)
        """This node's sealing keys, read when an answer is opened (a rotation applies at once)."""
        self.clock, self.max_skew, self.revoked_keys = clock, max_skew, revoked_keys
        self.hub_margin = hub_margin
        self._replies = MemoryReplayGuard(max_skew=max_skew)

    def fan_out(
        self,
        hub: PeerView,
        kind: str,
        body: Mapping[str, JsonValue],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        """Each partner's outcome, through ``hub``, by ``deadline`` seconds."""
        if deadline <= 0:
            raise InvalidInput("deadline", f"must be positive, not {deadline}")
        started = time.monotonic()
        at = self.clock()
        sent: dict[str, tuple[PeerView, str]] = {}
        outcomes: dict[str, PeerOutcome] = {}
        parts: list[JsonValue] = []
        identity = self._identity()
        for peer in {p.state: p for p in peers}.values():
            envelope = new_envelope(identity.state, peer.state, kind, body, at=at)
            sent[peer.state] = (peer, envelope.message_id)
            if peer.sealing_key is None:
                outcomes[peer.state] = self._outcome(
                    peer,
                    "invalid",
                    started,
                    code="no_sealing_key",
                    detail=f"{peer.state}'s sealing key is not registered",
                    message_id=envelope.message_id,
                    sent=False,
                )
                continue
            line = read_sealing_line(peer.sealing_key)
            wire = sign_envelope(envelope, identity).to_wire()
            parts.append({"to": peer.state, "sealed": encode_sealed(seal(wire, line))})
        if parts:
            outcomes |= self._through(hub, kind, parts, sent, deadline, started)
        return [outcomes[state] for state in sent]

    def send(
        self,
        hub: PeerView,
        peer: PeerView,
        kind: str,
        body: Mapping[str, JsonValue],
        *,
        timeout: float,
    ) -> Reply:
        """One message to ``peer`` through ``hub`` and its verified reply, raising what the
        transport's ``send`` raises (the outbox delivers alerts this way: relayed
        synchronously, the sender's outbox keeping, retrying and parking as for a direct
        partner)."""
        (outcome,) = self.fan_out(hub, kind, body, peers=[peer], deadline=timeout)
        detail = outcome.detail or ""
        if outcome.status == "answered" and outcome.reply is not None:
            return outcome.reply
        if outcome.status == "timeout":
            raise PeerTimeout(peer.state, f"through {hub.state}: {detail}")
        if outcome.status == "unreachable":
            raise PeerUnreachable(peer.state, f"through {hub.state}: {detail}")
        code = outcome.code or "refused"
        if outcome.status == "refused":
            raise PeerRefused(peer.state, code, detail, status=REFUSAL_STATUS.get(code, 400))
        raise BadReply(peer.state, outcome.code or "invalid", detail)

    def _through(
        self,
        hub: PeerView,
        kind: str,
        parts: list[JsonValue],
        sent: Mapping[str, tuple[PeerView, str]],
        deadline: float,
        started: float,
    ) -> dict[str, PeerOutcome]:
        addressed = [str(part["to"]) for part in parts if isinstance(part, dict)]
        # the hub answers this much before the deadline, so that its answer (the parts that
        # came back in time) arrives before this node stops waiting
        hub_deadline_ms = max(1, int((deadline - min(self.hub_margin, deadline / 4)) * 1000))
        request: dict[str, JsonValue] = {
            "kind": kind,
            "deadline_ms": hub_deadline_ms,
            "parts": parts,
        }
        left = deadline - (time.monotonic() - started)
        try:
            reply = self.client.send(hub, RELAY_KIND, request, timeout=max(left, 0.001))
        except PeerTimeout as exc:
            return self._all(sent, addressed, "timeout", started, detail=exc.reason)
        except PeerUnreachable as exc:
            return self._all(sent, addressed, "unreachable", started, detail=exc.reason)
        except PeerRefused as exc:
            return self._all(sent, addressed, "refused", started, code=exc.code, detail=exc.detail)
        except BadReply as exc:
            return self._all(sent, addressed, "invalid", started, code=exc.code, detail=exc.reason)
        answered = reply.body.get("parts")
        by_state = {
            str(part.get("to")): part
            for part in (answered if isinstance(answered, list) else [])
            if isinstance(part, dict)
        }
        outcomes: dict[str, PeerOutcome] = {}
        for state in addressed:
            peer, message_id = sent[state]
            outcomes[state] = self._read_part(peer, kind, message_id, by_state.get(state), started)
        return outcomes

    def _read_part(
        self,
        peer: PeerView,
        kind: str,
        message_id: str,
        part: Mapping[str, Any] | None,
        started: float,
    ) -> PeerOutcome:
        def outcome(status: OutcomeStatus, **values: Any) -> PeerOutcome:
            return self._outcome(peer, status, started, message_id=message_id, **values)

        if part is None:
            return outcome("invalid", code="malformed", detail="the hub did not answer for it")
        status, sent = part.get("status"), part.get("sent")
        sent_flag = sent if isinstance(sent, bool) else None
        code = part.get("code") if isinstance(part.get("code"), str) else None
        detail = part.get("detail") if isinstance(part.get("detail"), str) else None
        if status == "not_forwarded":
            return outcome("refused", code=code or "hub_not_allowed", detail=detail, sent=False)
        if status in _STATUSES:
            return outcome(status, code=code, detail=detail, sent=sent_flag)
        if status != "answered":
            return outcome("invalid", code="malformed", detail="the hub's status is unknown")
        try:
            reply = self._open_reply(peer, kind, message_id, part.get("sealed"))
        except (ExchangeRefused, InvalidInput) as exc:
            why = exc.reason if isinstance(exc, ExchangeRefused) else str(exc)
            code = exc.code if isinstance(exc, ExchangeRefused) else "malformed"
            return outcome("invalid", code=code, detail=why, sent=True)
        return outcome("answered", reply=reply, sent=True)

    def _open_reply(self, peer: PeerView, kind: str, message_id: str, sealed: object) -> Reply:
        """The partner's own signed reply inside a sealed answer, verified."""
        wire = open_sealed(decode_sealed(sealed), self._sealing())
        reply = verify_envelope(
            wire,
            recipient=self._identity().state,
            peers=PeerKeyRing(peer.keys),
            replay_guard=self._replies,
            now=self.clock(),
            max_skew=self.max_skew,
            revoked_keys=self.revoked_keys(),
        )
        body, result = reply.body, reply.body.get("result")
        if reply.sender != peer.state or reply.kind != REPLY_KIND:
            raise InvalidInput("reply", f"is not {peer.state}'s reply")
        if body.get("in_reply_to") != message_id or body.get("kind") != kind:
            raise InvalidInput("reply", f"does not answer message {message_id}")
        if not isinstance(result, dict):
            raise InvalidInput("reply", "carries no result")
        return Reply(peer.state, reply.message_id, message_id, reply.sent_at, result)

    def _all(
        self,
        sent: Mapping[str, tuple[PeerView, str]],
        states: Sequence[str],
        status: OutcomeStatus,
        started: float,
        **values: Any,
    ) -> dict[str, PeerOutcome]:
        return {
            state: self._outcome(
                sent[state][0], status, started, message_id=sent[state][1], **values
            )
            for state in states
        }

    @staticmethod
    def _outcome(
        peer: PeerView, status: OutcomeStatus, started: float, **values: Any
    ) -> PeerOutcome:
        return PeerOutcome(peer.state, status, time.monotonic() - started, via=peer.via, **values)
