"""Test nodes of a federation: their own SQLite home, identity, TLS files, and a real listener.

``make_node(folder, ca, "BEL")`` gives a migrated node with a signing key and
a certificate from ``ca``; ``listening(app, files)`` serves an ASGI app with
the federation listener's uvicorn configuration (mutual TLS) on a free
loopback port, in a thread; ``register(a, b, port)`` enrols ``b`` as a
partner of ``a``. ``make_home_node`` keeps the signing key and the audit key in
the node's home, so that ``passerelle`` commands run as subprocesses
(``home_env``) act as the same node; ``free_port`` reserves a port nobody
listens on yet (a partner that is down). ``wait_held`` waits until a node of a
``federation_demo.ThreeNodes`` holds a partner's alert in a given state;
``run_in_process`` (``passerelle.cli.in_process``) runs a ``passerelle`` command
through the same command line in this process (a
``federation_demo.processes.CommandRunner``).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn

from passerelle.cli.in_process import run_in_process as run_in_process  # the tests import it here
from passerelle.federation import FederationCA, NodeIdentity, TlsFiles, save_identity
from passerelle.federation.peers.directory import Agreement, PeerDirectory, PeerView
from passerelle.federation.queries.handlers import PartnerServices
from passerelle.federation.transport.delivery import DeliveryPolicy
from passerelle.federation.transport.inbound import HandlerTable
from passerelle.federation.transport.listener import federation_uvicorn_config
from passerelle.federation_demo import ThreeNodes
from passerelle.federation_demo.ledger import HeldAlert
from passerelle.federation_demo.steps import held_alert, wait_for
from passerelle.node import Node
from passerelle.server.ports import free_port as free_port  # the tests import it here
from passerelle.settings import Settings
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.tables import AuditPayload, AuditRecord
from passerelle.wiring import federation_handlers, partner_services
from tests.conftest import provision_node, with_biometric_key
from tests.federation.conftest import enrol

FAST_DELIVERY = DeliveryPolicy(interval=0.05, timeout=5, lease=10, base_delay=0.05, max_delay=0.2)
"""The outbox retried quickly: tests deliver in tenths of a second, not minutes."""

ADMIN = Actor(name="admin.test", kind="user", role="admin")


@dataclass
class FederatedNode:
    """One node of the test federation."""

    state: str
    node: Node
    identity: NodeIdentity
    tls: TlsFiles
    directory: PeerDirectory

    def close(self) -> None:
        self.node.close()

    def audit_records(self, action: str) -> list[dict[str, Any]]:
        """The payloads (query and result, merged) of this node's audit records for ``action``."""
        with self.node.database.read() as session:
            rows = session.query(AuditRecord, AuditPayload).join(
                AuditPayload, AuditPayload.seq == AuditRecord.seq
            )
            return [
                {"actor": record.actor, **payload.query, **payload.result}
                for record, payload in rows.filter(AuditRecord.action == action).order_by(
                    AuditRecord.seq
                )
            ]


def make_node(
    folder: Path,
    ca: FederationCA,
    state: str,
    *,
    clock: Callable[[], datetime] | None = None,
) -> FederatedNode:
    """A migrated SQLite node for ``state`` in ``folder``, with TLS files from ``ca``."""
    settings = Settings(home=folder, node=state)
    database = Database(settings.effective_database_url)
    database.upgrade()
    node = Node(
        settings=with_biometric_key(settings),
        database=database,
        audit=AuditTrail(secrets.token_bytes(32)),
    )
    if clock is not None:
        node.clock = clock
    files = enrol(ca, state, folder / "tls")
    directory = PeerDirectory(database, node.audit, clock=node.clock)
    return FederatedNode(state, node, NodeIdentity.generate(state), files, directory)


def register(
    on: FederatedNode,
    partner: FederatedNode | NodeIdentity,
    port: int,
    *,
    inbound: Iterable[str] = ("document", "person", "face"),
    outbound: Iterable[str] = ("document", "person", "face"),
    alert_categories: Iterable[str] = (),
) -> PeerView:
    """Register ``partner`` (its key, ``https://localhost:port``) on ``on``."""
    identity = partner.identity if isinstance(partner, FederatedNode) else partner
    return on.directory.add(
        identity.state,
        url=f"https://localhost:{port}",
        public_keys=[identity.peer_key.text],
        actor=ADMIN,
        agreement=Agreement.of(
            inbound_kinds=inbound, outbound_kinds=outbound, alert_categories=alert_categories
        ),
    )


def make_home_node(folder: Path, ca: FederationCA, state: str) -> FederatedNode:
    """:func:`make_node` whose signing key (``HOME/keys``) and audit key (its file) live in
    ``folder``, as ``passerelle node init`` leaves them: subprocesses act as this node."""
    made = make_node(folder, ca, state)
    settings = made.node.settings
    save_identity(made.identity, folder / "keys")
    made.node.audit = provision_node(settings)
    made.directory = PeerDirectory(made.node.database, made.node.audit, clock=made.node.clock)
    return made


def home_env(node: FederatedNode) -> dict[str, str]:
    """The environment of a ``passerelle`` subprocess acting as ``node``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
    return env | {"PASSERELLE_HOME": str(node.node.settings.home), "PASSERELLE_NODE": node.state}


@contextmanager
def listening(app: Any, files: TlsFiles, *, port: int = 0) -> Iterator[int]:
    """Serve ``app`` with the federation listener's configuration; yields the port
    (``port``, or a free one)."""
    listener = socket.create_server(("127.0.0.1", port))
    config = federation_uvicorn_config(app, files, host="127.0.0.1", port=0, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the federation listener did not start"
    try:
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


@contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a partner that hangs)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def register_partner(
    on: FederatedNode,
    partner: FederatedNode | NodeIdentity,
    port: int,
    agreement: Agreement,
) -> PeerView:
    """Register ``partner`` on ``on`` with a whole ``agreement`` (alert categories, hours...)."""
    identity = partner.identity if isinstance(partner, FederatedNode) else partner
    return on.directory.add(
        identity.state,
        url=f"https://localhost:{port}",
        public_keys=[identity.peer_key.text],
        actor=ADMIN,
        agreement=agreement,
    )


def node_handlers(partner: FederatedNode, services: PartnerServices | None = None) -> HandlerTable:
    """The handler table the composition root builds for ``partner`` (its own engines
    unless ``services`` are given)."""
    return federation_handlers(services or partner_services(partner.node))


def serve_partner(partner: FederatedNode, services: PartnerServices | None = None) -> Any:
    """``partner``'s federation listener app, with the node's whole handler table."""
    from passerelle.federation.transport.server import federation_app

    return federation_app(partner.node, partner.identity, handlers=node_handlers(partner, services))


def wait_held(
    nodes: ThreeNodes, at: str, issuer: str, want: HeldAlert, *, seconds: float = 60
) -> HeldAlert | None:
    """The alert ``issuer`` shared, as ``at`` holds it once it equals ``want`` (or as it
    stands after ``seconds``: None if ``at`` holds no such alert)."""

    def arrived() -> HeldAlert | None:
        held = held_alert(nodes, at, issuer, want.alert_id)
        return held if held == want else None

    seen, _ = wait_for(arrived, seconds=seconds)
    return seen or held_alert(nodes, at, issuer, want.alert_id)
