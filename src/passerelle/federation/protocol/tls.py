"""Mutual TLS between nodes: the files a node holds, its SSL contexts, the peer's state.

A node's TLS material lives in ``HOME/tls/``:

================  ====================================================
``node.key``      its ECDSA P-256 private key (PEM, mode 0600)
``node.pem``      its certificate, issued by the federation CA
``ca.pem``        the federation CA's certificate: the only trust anchor
``node.csr``      the request sent to the CA operator, until ``node.pem`` is in
``crl.pem``       the federation CA's revocation list (``federation crl install``)
================  ====================================================

Both contexts verify the other end against ``ca.pem`` alone (never the
system's CAs), require TLS 1.2 or later and strict X.509 checks; the server
requires a client certificate. With a ``crl.pem``, the client context also
refuses (in the handshake) a server whose certificate the CRL revokes; the
listener checks the client's in the app, where the refusal is audited.
:func:`peer_state` reads the state from the client certificate the handshake
verified.

A federation CA kept on disk is a folder with ``ca.pem`` and ``ca-key.pem``
(mode 0600); only the CA's operator (or a demo) holds the latter.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation.protocol.errors import NoClientCertificate, UnknownPeer
from passerelle.federation.protocol.pki import FederationCA, state_of_certificate
from passerelle.federation.protocol.revocation import (
    CRL_FILE,
    RevocationCheck,
    read_crl_file,
)

__all__ = [
    "CA_CERT_FILE",
    "CA_KEY_FILE",
    "TlsFiles",
    "UvicornSslOptions",
    "client_ssl_context",
    "load_certificate",
    "load_federation_ca",
    "peer_state",
    "save_federation_ca",
    "save_node_tls",
    "server_ssl_context",
    "uvicorn_ssl_options",
]

CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """Where a node's TLS key, certificate and federation CA certificate are."""

    directory: Path
    crl_file: Path | None = None
    """Where the federation CRL is read from (``PASSERELLE_FEDERATION_CRL_FILE``); the
    directory's ``crl.pem`` when None."""
    crl_required: bool = False
    """Refuse every connection and message while no CRL is installed
    (``PASSERELLE_FEDERATION_CRL_REQUIRED``) instead of revoking nothing."""

    @classmethod
    def for_home(
        cls, home: Path, *, crl_file: Path | None = None, crl_required: bool = False
    ) -> TlsFiles:
        return cls(home / "tls", crl_file=crl_file, crl_required=crl_required)

    @property
    def key(self) -> Path:
        return self.directory / "node.key"

    @property
    def certificate(self) -> Path:
        return self.directory / "node.pem"

    @property
    def ca(self) -> Path:
        return self.directory / CA_CERT_FILE

    @property
    def csr(self) -> Path:
        return self.directory / "node.csr"

    @property
    def crl(self) -> Path:
        return self.crl_file or self.directory / CRL_FILE

    def revocation(self) -> RevocationCheck:
        """The check against this node's installed federation CRL."""
        return RevocationCheck(self.crl, self.ca, required=self.crl_required)

    def require(self) -> None:
        """Raise :class:`ConfigurationError` naming the first of key, certificate, CA missing."""
        for path, what in ((self.key, "key"), (self.certificate, "certificate"), (self.ca, "CA")):
            if not path.is_file():
                raise ConfigurationError(
                    f"no TLS {what} at {path}: run `passerelle node init --ca-dir DIR`, "
                    "or install the certificate the federation CA issued"
                )


class UvicornSslOptions(TypedDict):
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``: mutual TLS."""

    ssl_certfile: str
    ssl_keyfile: str
    ssl_ca_certs: str
    ssl_cert_reqs: int


def _write(path: Path, data: bytes, *, mode: int, force: bool) -> None:
    if path.exists() and not force:
        raise InvalidInput("file", f"{path} exists (use --force to replace it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _cert_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def save_federation_ca(ca: FederationCA, directory: Path, *, force: bool = False) -> None:
    """Write ``ca.pem`` and (mode 0600) ``ca-key.pem`` into ``directory``."""
    if ca.private_key is None:
        raise InvalidInput("ca", "has no private key to save")
    paths = (directory / CA_CERT_FILE, directory / CA_KEY_FILE)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise InvalidInput("file", f"{existing[0]} exists (use --force to replace the CA)")
    try:
        _write(paths[1], _key_pem(ca.private_key), mode=0o600, force=force)
        _write(paths[0], _cert_pem(ca.certificate), mode=0o644, force=force)
    except OSError as exc:
        raise ConfigurationError(f"cannot write the federation CA in {directory}: {exc}") from exc


def load_certificate(path: Path) -> x509.Certificate:
    """The PEM certificate in ``path``; :class:`ConfigurationError` naming the file."""
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except OSError as exc:
        raise ConfigurationError(f"cannot read certificate {path}: {exc}") from exc
    except ValueError as exc:
        raise ConfigurationError(f"{path} is not a PEM certificate: {exc}") from exc


def load_federation_ca(directory: Path, *, with_key: bool = True) -> FederationCA:
    """The federation CA in ``directory`` (its key too, unless ``with_key=False``)."""
    certificate = load_certificate(directory / CA_CERT_FILE)
    if not with_key:
        return FederationCA(certificate)
    key_path = directory / CA_KEY_FILE
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except OSError as exc:
        raise ConfigurationError(f"cannot read the CA key {key_path}: {exc}") from exc
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"{key_path} is not an unencrypted PEM key: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ConfigurationError(f"{key_path} is not an ECDSA key")
    if key.public_key().public_numbers() != _ec_public(certificate).public_numbers():
        raise ConfigurationError(f"{key_path} does not match {directory / CA_CERT_FILE}")
    return FederationCA(certificate, key)


def _ec_public(certificate: x509.Certificate) -> ec.EllipticCurvePublicKey:
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ConfigurationError("the certificate's key is not ECDSA")
    return key


def save_node_tls(
    files: TlsFiles,
    *,
    key: ec.EllipticCurvePrivateKey | None = None,
    certificate: x509.Certificate | None = None,
    ca_certificate: x509.Certificate | None = None,
    csr: x509.CertificateSigningRequest | None = None,
    force: bool = False,
) -> list[Path]:
    """Write the parts given into ``files``' folder (key mode 0600); return the paths written.

    Refuses (:class:`InvalidInput` naming ``out``) to replace a file unless ``force``.
    """
    parts: list[tuple[Path, bytes, int]] = []
    if key is not None:
        parts.append((files.key, _key_pem(key), 0o600))
    if certificate is not None:
        parts.append((files.certificate, _cert_pem(certificate), 0o644))
    if ca_certificate is not None:
        parts.append((files.ca, _cert_pem(ca_certificate), 0o644))
    if csr is not None:
        parts.append((files.csr, csr.public_bytes(serialization.Encoding.PEM), 0o644))
    existing = [path for path, _, _ in parts if path.exists()]
    if existing and not force:
        raise InvalidInput("file", f"{existing[0]} exists (use --force to replace it)")
    try:
        for path, data, mode in parts:
            _write(path, data, mode=mode, force=force)
    except OSError as exc:
        raise ConfigurationError(f"cannot write TLS files in {files.directory}: {exc}") from exc
    return [path for path, _, _ in parts]


def _harden(context: ssl.SSLContext, files: TlsFiles) -> ssl.SSLContext:
    files.require()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    try:
        context.load_cert_chain(files.certificate, files.key)
        context.load_verify_locations(cafile=files.ca)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigurationError(f"cannot load the TLS files in {files.directory}: {exc}") from exc
    return context


def server_ssl_context(files: TlsFiles) -> ssl.SSLContext:
    """The server side of mutual TLS: a client certificate from the federation CA required."""
    return _harden(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), files)


def client_ssl_context(files: TlsFiles) -> ssl.SSLContext:
    """The client side: presents the node certificate, verifies the server's name and CA
    (and, with a ``crl.pem``, that the CRL does not revoke the server's certificate).

    Pass it to httpx as ``httpx.Client(verify=client_ssl_context(files))``.
    """
    context = _harden(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), files)
    context.check_hostname = True
    revocations = read_crl_file(files.crl, load_certificate(files.ca))
    if revocations is None and files.crl_required:
        raise ConfigurationError(f"no federation CRL at {files.crl}, and one is required")
    if revocations is not None:
        # OpenSSL checks the server's certificate against the CA's CRL in the handshake.
        context.load_verify_locations(cafile=files.crl)
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    return context


def uvicorn_ssl_options(files: TlsFiles) -> UvicornSslOptions:
    """uvicorn's keyword arguments for mutual TLS with the federation CA.

    >>> uvicorn_ssl_options(TlsFiles(Path("/n/tls")))["ssl_ca_certs"]
    '/n/tls/ca.pem'
    """
    return UvicornSslOptions(
        ssl_certfile=str(files.certificate),
        ssl_keyfile=str(files.key),
        ssl_ca_certs=str(files.ca),
        ssl_cert_reqs=ssl.CERT_REQUIRED,
    )


def peer_state(der: bytes | None) -> str:
    """The state code in a client certificate the TLS handshake verified (DER bytes).

    Use it on ``ssl_socket.getpeercert(binary_form=True)``. Raises
    :class:`NoClientCertificate` when there is none, :class:`UnknownPeer` when
    it names no state.
    """
    if not der:
        raise NoClientCertificate("the connection presented no client certificate")
    try:
        certificate = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise NoClientCertificate("the client certificate cannot be read") from exc
    state = state_of_certificate(certificate)
    if state is None:
        subject = certificate.subject.rfc4514_string()
        raise UnknownPeer(f"the client certificate ({subject}) names no state code in O")
    return state
