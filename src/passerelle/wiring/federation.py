"""The node's federation, wired: its link to partners and the listener's handler table.

:func:`connect` builds the link an inspection and a follow-up send through: the
node's signing identity, its TLS files and a
:class:`~passerelle.federation.transport.client.BlockingExchangeClient`, built only
when ``PASSERELLE_FEDERATION=on`` and ``HOME/keys`` and ``HOME/tls`` hold the
node's identity and certificates (and a
:class:`~passerelle.federation.hub.asking.HubFanOut` for the partners reached through
a hub, with the node's sealing key, made the first time); otherwise the node serves
without it, logs a warning saying what is missing, and an inspection that asks for the partners says
"not configured" with the same reason.

:func:`federation_handlers` is the one table of the message kinds this node
serves (queries, alerts, follow-ups, partners' audit checkpoints, key
rotations): each feature
offers its handlers and the table refuses a kind given twice. A feature that
cannot be imported stops the start with Python's own error naming the module;
there is no silent skip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from passerelle.exc import ConfigurationError
from passerelle.federation.alerts.hit_reports import hit_report_handlers
from passerelle.federation.alerts.incoming import alert_handlers
from passerelle.federation.anchors.checkpoints import anchor_handlers
from passerelle.federation.chips import chip_handlers
from passerelle.federation.followups.handlers import followup_handlers
from passerelle.federation.hub.asking import HubFanOut
from passerelle.federation.hub.router import HubRouter
from passerelle.federation.hub.sending import RoutedSender
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.peers.key_announce import key_rotation_handlers
from passerelle.federation.protocol.identity import NodeIdentity
from passerelle.federation.protocol.sealing import load_sealing_key, load_sealing_keys
from passerelle.federation.protocol.signing_key import SigningKeyFile
from passerelle.federation.protocol.tls import TlsFiles
from passerelle.federation.queries.handlers import PartnerServices, query_handlers
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.inbound import HandlerTable, handler_table
from passerelle.i18n.wording import Parameter
from passerelle.node import Node
from passerelle.screening.federation import federation_not_configured, federation_off
from passerelle.settings import Settings

__all__ = [
    "FederationLink",
    "connect",
    "federation_handlers",
    "hub_handlers",
    "node_tls_files",
    "outbox_sender",
]

log = logging.getLogger("passerelle.api")


@dataclass(frozen=True, slots=True)
class FederationLink:
    """How this node reaches its partners: the client (None when not configured) and why not."""

    client: BlockingExchangeClient | None
    directory: PeerDirectory
    status: str
    """``on``, or why the partners cannot be asked (in the officer's words)."""
    hub: HubFanOut | None = None
    """Asks the partners routed through a hub (None when the client is)."""
    why_not: Parameter = ""
    """Why the partners cannot be asked, worded for the officer's page (``i18n.wording``);
    empty when they can."""

    @property
    def configured(self) -> bool:
        return self.client is not None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def node_tls_files(settings: Settings) -> TlsFiles:
    """The node's TLS files in ``HOME/tls``, with the CRL where the settings put it."""
    return TlsFiles.for_home(
        settings.home,
        crl_file=settings.federation_crl_file,
        crl_required=settings.federation_crl_required,
    )


def connect(node: Node) -> FederationLink:
    """The node's federation link, when it is on and its identity and TLS files are there."""
    settings = node.settings
    directory = PeerDirectory(node.database, node.audit, clock=node.clock)
    if settings.federation != "on":
        off = federation_off()
        return FederationLink(None, directory, str(off), why_not=off)
    files = node_tls_files(settings)
    try:
        signing = SigningKeyFile(settings.keys_dir)  # a key rotation applies without a restart
        identity = signing.current()
        files.require()
        if identity.state != settings.node:
            raise ConfigurationError(
                f"the node's identity is {identity.state}, PASSERELLE_NODE is {settings.node}"
            )
        load_sealing_key(settings.keys_dir, identity.state)  # its errors said here
        client = BlockingExchangeClient(signing, files, clock=node.clock)
    except ConfigurationError as exc:
        log.warning("federation.not_configured: %s", exc)
        why = federation_not_configured(str(exc))
        return FederationLink(None, directory, str(why), why_not=why)
    return FederationLink(client, directory, "on", _hub_route(node, client, signing.current, files))


SignedBy = NodeIdentity | Callable[[], NodeIdentity]
"""The identity a node signs with, or where to read the one in use now (``SigningKeyFile``)."""


def _hub_route(
    node: Node, client: BlockingExchangeClient, identity: SignedBy, files: TlsFiles
) -> HubFanOut:
    """How this node asks and delivers through a hub (with its provisioned sealing key)."""
    keys_dir = node.settings.keys_dir
    state = (identity if isinstance(identity, NodeIdentity) else identity()).state
    revoked = files.revocation().revoked_key_ids
    return HubFanOut(
        client,
        identity,
        lambda: load_sealing_keys(keys_dir, state),
        clock=node.clock,
        revoked_keys=revoked,
    )


def outbox_sender(
    node: Node, client: BlockingExchangeClient, identity: SignedBy, files: TlsFiles
) -> RoutedSender:
    """The outbox's sender: each partner directly or through its hub (``hub.sending``)."""
    directory = PeerDirectory(node.database, node.audit, clock=node.clock)
    return RoutedSender(client, _hub_route(node, client, identity, files), directory)


def hub_handlers(router: HubRouter) -> HandlerTable:
    """Every message kind a hub serves to its members: ``hub.relay`` (``federation.hub``),
    members' key rotations (so that a member rotates its key without an outage at the hub
    too) and members' audit checkpoints (the hub holds copies, as any partner does)."""
    return handler_table(router.handlers(), key_rotation_handlers(), anchor_handlers())


def federation_handlers(partners: PartnerServices) -> HandlerTable:
    """Every message kind this node serves to partners, with its handler.

    ``partners`` answers the person and face queries (the node's watchlist index,
    face galleries and alert-name index); the other handlers need only the node
    their message arrives at.
    """
    return handler_table(
        query_handlers(partners),
        alert_handlers(),
        hit_report_handlers(),
        followup_handlers(),
        anchor_handlers(),
        key_rotation_handlers(),
        chip_handlers(),
    )
