"""The outbox's sender over both routes: a partner routed through a hub gets its messages
relayed synchronously (``asking.HubFanOut.send``), the others directly.

Why not store-and-forward at the hub: the sending node's outbox already stores each
message, retries it with backoff, parks it when refused for good and keeps per-partner
order (``transport.delivery``). A hub that stored messages too would hold a second copy
to lose, reorder or replay after a withdrawal; relayed synchronously, a message is
delivered when the partner's signed reply comes back through the hub, and otherwise
stays in the sender's outbox. The cost: the partner must be up when the hub relays,
as it must be for a direct delivery.
"""

from __future__ import annotations

from collections.abc import Mapping

from passerelle.federation.hub.asking import HubFanOut
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.transport.client import PeerUnreachable, Reply
from passerelle.federation.transport.delivery import Sender

__all__ = ["RoutedSender"]


class RoutedSender:
    """A ``transport.delivery.Sender`` that follows each partner's route."""

    def __init__(self, direct: Sender, hub: HubFanOut, directory: PeerDirectory) -> None:
        self.direct, self.hub, self.directory = direct, hub, directory

    def send(
        self, peer: PeerView, kind: str, body: Mapping[str, JsonValue], *, timeout: float
    ) -> Reply:
        if peer.via is None:
            return self.direct.send(peer, kind, body, timeout=timeout)
        hub = self.directory.find(peer.via)
        if hub is None or not hub.enabled or not hub.relays:
            raise PeerUnreachable(peer.state, f"the hub {peer.via} is not an enabled hub here")
        return self.hub.send(hub, peer, kind, body, timeout=timeout)
