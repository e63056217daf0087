"""A member receiving a part a hub delivered: open it, verify the sender's own signature.

The listener (``transport.server``) verifies the hub's ``hub.deliver`` like any
message, from a partner registered as a hub (``peer add --hub``). :class:`RelayedParts`
then opens the sealed part with this node's sealing key (:class:`BadSeal` when it was
altered or is not for this node) and verifies the message inside as if it had come
directly, without the TLS check (the hub carried it): signed by the named sender with
a key registered for it here, an enabled partner, to this node, within the skew, never
seen before, no key on the CRL. The listener then applies the agreement with *that*
sender and calls the kind's handler, so the answer is audited as the sender's
(``exchange.query.answer`` names the asking member). The signed reply goes back sealed
to the sender's sealing key: the hub carries it and cannot read or forge it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from passerelle.federation.hub.wire import encode_sealed, read_delivery
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import Envelope, JsonValue, verify_envelope
from passerelle.federation.protocol.errors import MalformedMessage, PeerMismatch, UnknownPeer
from passerelle.federation.protocol.identity import PeerKeyRing
from passerelle.federation.protocol.replay import ReplayGuard
from passerelle.federation.protocol.sealing import (
    SealingKey,
    load_sealing_keys,
    open_sealed,
    read_sealing_line,
    seal,
)
from passerelle.federation.transport.inbound import NotAllowed

__all__ = ["RelayedParts"]


class RelayedParts:
    """Opens and verifies parts a hub delivered to this node; seals the replies back."""

    def __init__(
        self,
        state: str,
        directory: PeerDirectory,
        replay_guard: ReplayGuard,
        *,
        max_skew: timedelta,
        revoked_keys: Callable[[], Collection[str]],
        sealing: Sequence[SealingKey] | None = None,
        keys_dir: Path | None = None,
    ) -> None:
        self.state, self.directory, self.replay_guard = state, directory, replay_guard
        self.max_skew, self.revoked_keys = max_skew, revoked_keys
        self._sealing = tuple(sealing) if sealing is not None else None
        self._keys_dir = keys_dir

    def _keys(self) -> tuple[SealingKey, ...]:
        """The keys given, or those in ``HOME/keys`` read now (a rotation applies at once)."""
        if self._sealing is not None:
            return self._sealing
        if self._keys_dir is None:
            raise NotAllowed("this node holds no sealing key: it takes no relayed parts")
        return load_sealing_keys(self._keys_dir, self.state)

    def open(self, outer: Envelope, hub: PeerView, now: datetime) -> tuple[Envelope, PeerView]:
        """The sender's verified message inside ``outer`` and the sender as registered here."""
        context = {"sender": outer.sender, "message_id": outer.message_id}
        if not hub.relays:
            raise NotAllowed(f"{hub.state} is not registered as a hub here", **context)
        delivery = read_delivery(outer.body)
        sender = self.directory.find(delivery.sender)
        if sender is None or not sender.enabled or sender.relays:
            raise UnknownPeer(f"{delivery.sender} is not an enabled partner", **context)
        wire = open_sealed(delivery.sealed, self._keys())
        inner = verify_envelope(
            wire,
            recipient=self.state,
            peers=PeerKeyRing(sender.keys),
            replay_guard=self.replay_guard,
            now=now,
            max_skew=self.max_skew,
            revoked_keys=self.revoked_keys(),
        )
        if inner.sender != delivery.sender:
            raise PeerMismatch(
                f"signed by {inner.sender}, relayed as from {delivery.sender}", **context
            )
        if inner.kind != delivery.kind:
            raise MalformedMessage(f"relayed as {delivery.kind}, sealed {inner.kind}", **context)
        return inner, sender

    @staticmethod
    def sealed_reply(reply_wire: bytes, sender: PeerView) -> dict[str, JsonValue]:
        """The outer reply's result: the signed reply sealed to ``sender``."""
        if sender.sealing_key is None:
            raise NotAllowed(f"{sender.state}'s sealing key is not registered here")
        line = read_sealing_line(sender.sealing_key)
        return {"sealed": encode_sealed(seal(reply_wire, line))}
