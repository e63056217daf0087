"""Test nodes of a federation: their own SQLite home, identity, TLS files, and a real listener.

``make_node(folder, ca, "BEL")`` gives a migrated node with a signing key and
a certificate from ``ca``; ``listening(app, files)`` serves an ASGI app with
the federation listener's uvicorn configuration (mutual TLS) on a free
loopback port, in a thread; ``register(a, b, port)`` enrols ``b`` as a
partner of ``a``.
"""

from __future__ import annotations

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

from passerelle.exchange import FederationCA, NodeIdentity, TlsFiles
from passerelle.exchange.listener import federation_uvicorn_config
from passerelle.exchange.peers import Agreement, PeerDirectory, PeerView
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.models import AuditPayload, AuditRecord
from tests.exchange.conftest import enrol

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
    node = Node(settings=settings, database=database, audit=AuditTrail(secrets.token_bytes(32)))
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
) -> PeerView:
    """Register ``partner`` (its key, ``https://localhost:port``) on ``on``."""
    identity = partner.identity if isinstance(partner, FederatedNode) else partner
    return on.directory.add(
        identity.state,
        url=f"https://localhost:{port}",
        public_keys=[identity.peer_key.text],
        actor=ADMIN,
        agreement=Agreement.of(inbound_kinds=inbound, outbound_kinds=outbound),
    )


@contextmanager
def listening(app: Any, files: TlsFiles) -> Iterator[int]:
    """Serve ``app`` with the federation listener's configuration; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
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
