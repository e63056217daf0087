"""Mutual TLS on loopback with the federation CA: real handshakes, accepted and refused."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from passerelle.exc import InvalidInput
from passerelle.federation import (
    ExchangeRefused,
    TlsFiles,
    client_ssl_context,
    issue_node_certificate,
    load_certificate,
    make_node_csr,
    new_federation_ca,
    new_tls_key,
    peer_state,
    server_ssl_context,
    sign_node_csr,
    state_of_certificate,
    uvicorn_ssl_options,
)
from tests.federation.conftest import Federation, enrol


@dataclass
class ServerSide:
    peer: str | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


@contextmanager
def tls_server(context: ssl.SSLContext) -> Iterator[tuple[int, ServerSide]]:
    """A one-connection TLS server on 127.0.0.1: answers with the client's state."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    side = ServerSide()

    def serve() -> None:
        try:
            raw, _ = listener.accept()
            raw.settimeout(10)
            with context.wrap_socket(raw, server_side=True) as conn:
                side.peer = peer_state(conn.getpeercert(binary_form=True))
                conn.sendall(side.peer.encode())
        except (OSError, ExchangeRefused) as exc:
            side.error = exc
        finally:
            side.done.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], side
    finally:
        side.done.wait(10)
        listener.close()
        thread.join(10)


def talk(port: int, context: ssl.SSLContext) -> tuple[str, bytes]:
    """Connect as a client: (the server's state, what it answered)."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as conn,
    ):
        server = peer_state(conn.getpeercert(binary_form=True))
        return server, conn.recv(64)


def test_mutual_tls_handshake_names_both_states(federation: Federation) -> None:
    with tls_server(server_ssl_context(federation.nodes["BEL"])) as (port, server):
        seen, answer = talk(port, client_ssl_context(federation.nodes["MAR"]))

    assert (seen, answer) == ("BEL", b"MAR")
    assert (server.peer, server.error) == ("MAR", None)


def client_is_refused(port: int, context: ssl.SSLContext) -> bool:
    """Whether the client's handshake fails, on connect or (TLS 1.3) on its first read."""
    try:
        _, answer = talk(port, context)
    except (ssl.SSLError, ConnectionError):
        return True
    return answer == b""


def test_client_without_certificate_is_refused(federation: Federation) -> None:
    bare = ssl.create_default_context(cafile=federation.nodes["MAR"].ca)
    with tls_server(server_ssl_context(federation.nodes["BEL"])) as (port, server):
        assert client_is_refused(port, bare)

    assert server.peer is None
    assert isinstance(server.error, ssl.SSLError)
    assert "certificate" in str(server.error).lower()


def test_client_certificate_from_another_ca_is_refused(
    federation: Federation, tmp_path: Path
) -> None:
    rogue_ca = new_federation_ca("Rogue CA", now=datetime.now(UTC))
    rogue = enrol(rogue_ca, "MAR", tmp_path / "rogue")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_cert_chain(rogue.certificate, rogue.key)
    context.load_verify_locations(federation.nodes["BEL"].ca)

    with tls_server(server_ssl_context(federation.nodes["BEL"])) as (port, server):
        assert client_is_refused(port, context)

    assert server.peer is None
    assert isinstance(server.error, ssl.SSLError)
    assert "certificate verify failed" in str(server.error)


def test_server_certificate_from_another_ca_is_refused_by_the_client(
    federation: Federation, tmp_path: Path
) -> None:
    rogue = enrol(new_federation_ca("Rogue CA", now=datetime.now(UTC)), "BEL", tmp_path / "r")
    with (
        tls_server(server_ssl_context(rogue)) as (port, _),
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        talk(port, client_ssl_context(federation.nodes["MAR"]))


def test_name_constrained_ca_issues_within_its_names_and_handshakes(tmp_path: Path) -> None:
    ca = new_federation_ca("Constrained", now=datetime.now(UTC), permitted=["mar.example"])
    with pytest.raises(InvalidInput) as refused:
        enrol(ca, "MAR", tmp_path / "bad", names=("node.evil.example",))
    assert refused.value.field == "san"

    mar = enrol(ca, "MAR", tmp_path / "mar", names=("node.mar.example",))
    bel = enrol(ca, "BEL", tmp_path / "bel")
    with tls_server(server_ssl_context(bel)) as (port, server):
        assert talk(port, client_ssl_context(mar)) == ("BEL", b"MAR")
    assert server.peer == "MAR"


def test_certificate_from_a_signing_request_keeps_state_and_names(
    federation: Federation,
) -> None:
    key = new_tls_key()
    csr = make_node_csr(key, state="FRA", node_name="node-fra", names=["fra.example", "10.0.0.7"])

    certificate = sign_node_csr(federation.ca, csr, now=datetime.now(UTC))

    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert state_of_certificate(certificate) == "FRA"
    assert [str(n.value) for n in names] == ["localhost", "127.0.0.1", "fra.example", "10.0.0.7"]
    assert certificate.public_key() == key.public_key()


def test_node_certificate_serves_both_ends_and_cannot_sign_certificates(
    federation: Federation,
) -> None:
    certificate = load_certificate(federation.nodes["MAR"].certificate)
    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value

    assert {oid.dotted_string for oid in usage} == {"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"}
    assert basic.ca is False
    with pytest.raises(InvalidInput, match="outlive the CA"):
        issue_node_certificate(
            federation.ca,
            new_tls_key().public_key(),
            state="MAR",
            node_name="n",
            now=datetime.now(UTC),
            days=10 * 365,
        )


def test_peer_state_refuses_missing_or_stateless_certificates() -> None:
    key = new_tls_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "no state")])
    now = datetime.now(UTC)
    stateless = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now)
        .sign(key, hashes.SHA256())
    )
    with pytest.raises(ExchangeRefused) as missing:
        peer_state(None)
    with pytest.raises(ExchangeRefused) as unnamed:
        peer_state(stateless.public_bytes(Encoding.DER))
    assert (missing.value.code, unnamed.value.code) == ("no_client_certificate", "unknown_peer")


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


@contextmanager
def uvicorn_server(files: TlsFiles) -> Iterator[int]:
    """uvicorn serving a tiny app on 127.0.0.1 with :func:`uvicorn_ssl_options`."""
    listener = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(
        _hello, log_level="critical", lifespan="off", **uvicorn_ssl_options(files)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def test_uvicorn_with_the_ssl_options_serves_httpx_over_mutual_tls(
    federation: Federation,
) -> None:
    with uvicorn_server(federation.nodes["BEL"]) as port:
        url = f"https://localhost:{port}/"
        with httpx.Client(verify=client_ssl_context(federation.nodes["MAR"])) as client:
            response = client.get(url, timeout=10)
        bare = ssl.create_default_context(cafile=federation.nodes["MAR"].ca)
        with httpx.Client(verify=bare) as client, pytest.raises(httpx.TransportError):
            client.get(url, timeout=10)

    assert (response.status_code, response.text) == (200, "hello")
