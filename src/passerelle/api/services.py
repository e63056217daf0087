"""What the API and the web pages work with: one node and the services built on it.

The federation link (the node's signing identity, its TLS files and a
:class:`~passerelle.federation.transport.client.BlockingExchangeClient`) is built only
when ``PASSERELLE_FEDERATION=on`` and ``HOME/keys`` and ``HOME/tls`` hold the
node's identity and certificates; otherwise the node serves without it, logs
a warning saying what is missing, and an inspection that asks for the
partners says "not configured" with the same reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from passerelle.access import AccessControl
from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.exc import ConfigurationError
from passerelle.federation.followups.requests import FollowUps
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.protocol.identity import load_identity
from passerelle.federation.protocol.tls import TlsFiles
from passerelle.federation.queries.asking import ExchangeAsker
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.node import Node
from passerelle.screening import Inspector
from passerelle.screening.index_cache import IndexCache

__all__ = ["ALERT_GALLERIES", "FederationLink", "NodeServices", "build_services", "connect"]

log = logging.getLogger("passerelle.api")

ALERT_GALLERIES = ("alerts", "wanted")
"""The face galleries every inspection searches (1:N) when a photo is given."""


@dataclass(frozen=True, slots=True)
class FederationLink:
    """How this node reaches its partners: the client (None when not configured) and why not."""

    client: BlockingExchangeClient | None
    directory: PeerDirectory
    status: str
    """``on``, or why the partners cannot be asked (in the officer's words)."""

    @property
    def configured(self) -> bool:
        return self.client is not None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def connect(node: Node) -> FederationLink:
    """The node's federation link, when it is on and its identity and TLS files are there."""
    settings = node.settings
    directory = PeerDirectory(node.database, node.audit, clock=node.clock)
    if settings.federation != "on":
        return FederationLink(None, directory, "federation is off on this node")
    files = TlsFiles.for_home(settings.home)
    try:
        identity = load_identity(settings.home / "keys")
        files.require()
        if identity.state != settings.node:
            raise ConfigurationError(
                f"the node's identity is {identity.state}, PASSERELLE_NODE is {settings.node}"
            )
        client = BlockingExchangeClient(identity, files, clock=node.clock)
    except ConfigurationError as exc:
        log.warning("federation.not_configured: %s", exc)
        return FederationLink(None, directory, f"federation is not configured ({exc})")
    return FederationLink(client, directory, "on")


@dataclass(frozen=True, slots=True)
class NodeServices:
    """The node, its access control, its border-check service and its federation link."""

    node: Node
    access: AccessControl
    inspector: Inspector
    galleries: FaceGalleries
    federation: FederationLink | None = None

    def follow_ups(self) -> FollowUps:
        """Follow-ups on partners' hits, over this node's federation link."""
        link = self.federation or connect(self.node)
        return FollowUps(self.node, link.directory, sender=link.client)

    def close(self) -> None:
        """Close the federation client's connections and thread (when there is one)."""
        if self.federation is not None:
            self.federation.close()


def build_services(
    node: Node, *, inspector: Inspector | None = None, federation: FederationLink | None = None
) -> NodeServices:
    """Wire the services over ``node`` (an inspector or a federation link may be given, e.g.
    with test components)."""
    threshold = node.settings.face_match_threshold or MATCH_THRESHOLD
    galleries = FaceGalleries(
        node.database, node.template_vault(), node.settings.home / "galleries", threshold=threshold
    )
    link = federation or connect(node)
    if inspector is None:
        asker = ExchangeAsker(link.client, link.directory) if link.client is not None else None
        inspector = Inspector(
            node,
            galleries=galleries,
            gallery_names=ALERT_GALLERIES,
            federation=asker,
            federation_default=node.settings.federation == "on",
            federation_deadline_s=node.settings.federation_deadline_s,
            federation_missing=link.status,
            watchlist_cache=IndexCache(node.settings.home / "cache"),
        )
    return NodeServices(
        node=node,
        access=AccessControl.for_node(node),
        inspector=inspector,
        galleries=galleries,
        federation=link,
    )
