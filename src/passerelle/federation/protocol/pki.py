"""The federation CA and the nodes' TLS certificates (X.509, RFC 5280; ECDSA P-256).

The federation CA is the one trust anchor of node-to-node TLS: a node accepts
a client, and trusts a server, only with a certificate this CA issued. It is
self-signed, may issue node certificates only (basic constraints ``CA``,
path length 0) and, when created with ``permitted`` names, carries critical
name constraints limiting the host names and addresses its certificates may
name (loopback is always permitted: every node certificate names it).

A node certificate names its state in the subject's organisation (``O=MAR``)
and the node in the common name; its subject alternative names are
``localhost``, ``127.0.0.1`` and the names given; it serves both ends of
mutual TLS (extended key usage ``serverAuth`` and ``clientAuth``). Keys are
ECDSA P-256: every TLS stack in the federation handshakes with it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.identity import parse_state

__all__ = [
    "DEFAULT_CA_DAYS",
    "DEFAULT_NODE_DAYS",
    "FederationCA",
    "issue_node_certificate",
    "make_node_csr",
    "new_federation_ca",
    "new_tls_key",
    "sign_node_csr",
    "state_of_certificate",
]

DEFAULT_CA_DAYS = 5 * 365
DEFAULT_NODE_DAYS = 365
_BACKDATE = timedelta(minutes=5)
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*")
_LOOPBACK_NAMES = ("localhost", "127.0.0.1")
SanName = x509.DNSName | x509.IPAddress


def new_tls_key() -> ec.EllipticCurvePrivateKey:
    """A new ECDSA P-256 private key for TLS."""
    return ec.generate_private_key(ec.SECP256R1())


def _read_name(value: str, *, field: str, networks: bool = False) -> SanName:
    """A DNS name or an IP address (or network, for name constraints), checked."""
    text = value.strip().lower()
    try:
        if networks and "/" in text:
            return x509.IPAddress(ipaddress.ip_network(text))
        return x509.IPAddress(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not _HOST.fullmatch(text):
        raise InvalidInput(field, f"{value!r} is not a host name or an IP address")
    return x509.DNSName(text)


def _permits(constraints: x509.NameConstraints, name: SanName) -> bool:
    permitted = constraints.permitted_subtrees or []
    if isinstance(name, x509.DNSName):
        domains = [p.value for p in permitted if isinstance(p, x509.DNSName)]
        if not domains:
            return True
        return any(name.value == d or name.value.endswith("." + d) for d in domains)
    networks = [p.value for p in permitted if isinstance(p, x509.IPAddress)]
    if not networks:
        return True
    return any(
        isinstance(n, ipaddress.IPv4Network | ipaddress.IPv6Network) and name.value in n
        for n in networks
    )


@dataclass(frozen=True, slots=True)
class FederationCA:
    """The federation CA's certificate, and its private key where this host holds it."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()

    def name_constraints(self) -> x509.NameConstraints | None:
        try:
            return self.certificate.extensions.get_extension_for_class(x509.NameConstraints).value
        except x509.ExtensionNotFound:
            return None


def new_federation_ca(
    name: str, *, now: datetime, days: int = DEFAULT_CA_DAYS, permitted: Sequence[str] = ()
) -> FederationCA:
    """A new self-signed federation CA named ``name``, valid ``days`` from ``now``.

    ``permitted`` host names, domains or IP networks (``10.0.0.0/8``) become
    critical name constraints, loopback added; none given, none are set.
    """
    if not name.strip():
        raise InvalidInput("name", "is empty")
    if days < 1:
        raise InvalidInput("days", f"must be at least 1, not {days}")
    key = new_tls_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Passerelle federation"),
            x509.NameAttribute(NameOID.COMMON_NAME, name.strip()),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if permitted:
        subtrees: list[x509.GeneralName] = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_network("127.0.0.0/8")),
        ]
        for item in permitted:
            read = _read_name(item, field="permitted", networks=True)
            if isinstance(read, x509.IPAddress) and not isinstance(
                read.value, ipaddress.IPv4Network | ipaddress.IPv6Network
            ):
                read = x509.IPAddress(ipaddress.ip_network(read.value))
            if read not in subtrees:
                subtrees.append(read)
        builder = builder.add_extension(
            x509.NameConstraints(permitted_subtrees=subtrees, excluded_subtrees=None),
            critical=True,
        )
    return FederationCA(builder.sign(key, hashes.SHA256()), key)


def _node_subject(state: str, node_name: str) -> x509.Name:
    if not node_name.strip():
        raise InvalidInput("name", "is empty")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, parse_state(state)),
            x509.NameAttribute(NameOID.COMMON_NAME, node_name.strip()),
        ]
    )


def _alt_names(names: Sequence[str]) -> list[SanName]:
    read: list[SanName] = []
    for value in (*_LOOPBACK_NAMES, *names):
        name = _read_name(value, field="san")
        if name not in read:
            read.append(name)
    return read


def make_node_csr(
    key: ec.EllipticCurvePrivateKey, *, state: str, node_name: str, names: Sequence[str] = ()
) -> x509.CertificateSigningRequest:
    """A certificate signing request for a node, to send to the federation CA's operator."""
    return (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_node_subject(state, node_name))
        .add_extension(x509.SubjectAlternativeName(_alt_names(names)), critical=False)
        .sign(key, hashes.SHA256())
    )


def issue_node_certificate(
    ca: FederationCA,
    public_key: ec.EllipticCurvePublicKey,
    *,
    state: str,
    node_name: str,
    names: Sequence[str] = (),
    now: datetime,
    days: int = DEFAULT_NODE_DAYS,
) -> x509.Certificate:
    """A node's TLS certificate (server and client) for ``state``, signed by the CA.

    Refuses (:class:`InvalidInput`) a name outside the CA's name constraints,
    and validity beyond the CA's own.
    """
    if ca.private_key is None:
        raise InvalidInput("ca", f"the private key of {ca.name!r} is not on this host")
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise InvalidInput("public_key", "must be an ECDSA P-256 key")
    if days < 1:
        raise InvalidInput("days", f"must be at least 1, not {days}")
    alt_names = _alt_names(names)
    constraints = ca.name_constraints()
    for name in alt_names:
        if constraints is not None and not _permits(constraints, name):
            raise InvalidInput("san", f"{name.value} is outside the CA's permitted names")
    not_after = now + timedelta(days=days)
    ca_until = ca.certificate.not_valid_after_utc
    if not_after > ca_until:
        raise InvalidInput(
            "days", f"the certificate would outlive the CA (until {ca_until:%Y-%m-%d})"
        )
    ca_key = ca.certificate.public_key()
    assert isinstance(ca_key, ec.EllipticCurvePublicKey)
    return (
        x509.CertificateBuilder()
        .subject_name(_node_subject(state, node_name))
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key), critical=False)
        .sign(ca.private_key, hashes.SHA256())
    )


def sign_node_csr(
    ca: FederationCA,
    csr: x509.CertificateSigningRequest,
    *,
    now: datetime,
    days: int = DEFAULT_NODE_DAYS,
) -> x509.Certificate:
    """Issue the certificate a node asked for in ``csr`` (its state, name and extra names)."""
    if not csr.is_signature_valid:
        raise InvalidInput("csr", "its signature does not verify")
    public_key = csr.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise InvalidInput("csr", "the key must be ECDSA P-256")
    state = csr.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    common = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if len(state) != 1 or len(common) != 1:
        raise InvalidInput("csr", "the subject must hold one O (the state code) and one CN")
    try:
        requested = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        requested = x509.SubjectAlternativeName([])
    extra = [str(n.value) for n in requested if isinstance(n, x509.DNSName | x509.IPAddress)]
    return issue_node_certificate(
        ca,
        public_key,
        state=parse_state(str(state[0].value), field="csr.O"),
        node_name=str(common[0].value),
        names=extra,
        now=now,
        days=days,
    )


def state_of_certificate(certificate: x509.Certificate) -> str | None:
    """The state code a node certificate names (its one ``O``), or None if it names none."""
    values = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if len(values) != 1:
        return None
    code = str(values[0].value)
    try:
        return code if parse_state(code) == code else None
    except InvalidInput:
        return None
