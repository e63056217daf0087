"""The federation listener's TLS layer: uvicorn with mutual TLS that tells the app who connected.

uvicorn verifies a client certificate but does not hand it to the ASGI app.
:class:`ClientCertificateProtocol` (uvicorn's h11 protocol) reads the peer
certificate of each TLS connection once the handshake is done and puts it in
every request's scope, as the ASGI TLS extension::

    scope["extensions"]["tls"] = {"client_cert_der": b"...", "client_cert_chain": ["-----BEGIN..."]}

Why ``CERT_OPTIONAL`` rather than ``CERT_REQUIRED``: with a required
certificate, OpenSSL drops a connection that presents none during the
handshake, before any HTTP, so the node can neither answer why nor audit the
attempt. With ``CERT_OPTIONAL`` a certificate that *is* presented must still
chain to the federation CA (one from another CA fails the handshake), and a
connection without one reaches the app, which refuses it
(``no_client_certificate``, 401) and audits it. Nothing is served without a
verified certificate: the app refuses before reading the body.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Mapping
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from passerelle.federation.protocol.tls import TlsFiles, server_ssl_context

__all__ = [
    "GRACEFUL_SHUTDOWN_S",
    "ClientCertificateProtocol",
    "client_certificate",
    "federation_server_context",
    "federation_uvicorn_config",
]


GRACEFUL_SHUTDOWN_S = 5
"""Seconds a stopping listener waits for requests in flight before it closes what is left."""


def federation_server_context(files: TlsFiles) -> ssl.SSLContext:
    """The listener's SSL context: a certificate from the federation CA, checked if presented."""
    context = server_ssl_context(files)
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def _peer_certificate(transport: asyncio.BaseTransport) -> bytes | None:
    ssl_object = transport.get_extra_info("ssl_object")
    if ssl_object is None:
        return None
    der = ssl_object.getpeercert(binary_form=True)
    return der if isinstance(der, bytes) and der else None


class ClientCertificateProtocol(H11Protocol):
    """uvicorn's h11 protocol, adding the verified client certificate to each request's scope."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        der = _peer_certificate(transport)
        tls: dict[str, Any] = {
            "client_cert_der": der,
            "client_cert_chain": [ssl.DER_cert_to_PEM_cert(der)] if der else [],
        }
        inner = self.app

        async def app_with_tls(scope: Any, receive: Any, send: Any) -> None:
            extensions = scope.setdefault("extensions", {})
            extensions["tls"] = tls
            await inner(scope, receive, send)

        self.app = app_with_tls


def client_certificate(scope: Mapping[str, Any]) -> bytes | None:
    """The DER client certificate :class:`ClientCertificateProtocol` put in ``scope``, if any."""
    tls = (scope.get("extensions") or {}).get("tls") or {}
    der = tls.get("client_cert_der")
    return der if isinstance(der, bytes) and der else None


def federation_uvicorn_config(
    app: Any,
    files: TlsFiles,
    *,
    host: str = "0.0.0.0",
    port: int = 8443,
    log_level: str = "info",
) -> uvicorn.Config:
    """uvicorn's configuration for the federation listener (mutual TLS, one process).

    Run it with ``uvicorn.Server(config).run()`` (or ``.run(sockets=[...])``).
    """
    context = federation_server_context(files)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=ClientCertificateProtocol,
        ssl_context_factory=lambda _config, _default: context,
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        log_level=log_level,
        timeout_keep_alive=30,
        # A partner's client keeps idle keep-alive connections and never answers the TLS
        # close_notify sent on shutdown: without a limit, stopping waits for each of them
        # (asyncio's ssl_shutdown_timeout, 30 s) and a SIGTERM'd listener hangs that long.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
