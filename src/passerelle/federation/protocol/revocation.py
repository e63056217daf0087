"""The federation's certificate revocation list (X.509 CRL, RFC 5280), signed by its CA.

The CA's operator revokes a node's TLS certificate (by serial number) and, as
the federation's messages are signed with Ed25519 keys apart from TLS, a
node's signing key (by key id). Both go in one CRL the federation CA signs:

* the certificate serials as ordinary CRL entries, with their reason code;
* the revoked signing key ids in a non-critical CRL extension of this
  federation's (:data:`REVOKED_KEY_IDS_OID`), a DER UTF8String of the key ids
  separated by commas (TLS stacks ignore it; a node reads it).

Each CRL carries a number (the CRL number extension) one above the one it
replaces: a node installs only a CRL whose signature verifies with its
federation CA and whose number is not below the one it holds, so an older
list cannot bring a revoked certificate back. The CRL's *next update* is the
CA's own expiry: revocation never lapses, and an unreachable CA operator never
makes every handshake fail.

The files: ``crl.pem`` beside ``ca.pem`` in the CA's folder (the operator's
master copy) and in each node's ``HOME/tls/`` (the copy the node checks).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ObjectIdentifier

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation.protocol.errors import RevocationUnknown, Revoked
from passerelle.federation.protocol.pki import FederationCA

__all__ = [
    "CRL_FILE",
    "REASONS",
    "REVOKED_KEY_IDS_OID",
    "RevocationCheck",
    "RevocationList",
    "crl_pem",
    "install_crl",
    "issue_crl",
    "read_crl",
    "read_crl_file",
    "revoke",
]

CRL_FILE = "crl.pem"
REVOKED_KEY_IDS_OID = ObjectIdentifier("1.3.6.1.4.1.61717.16.5.1")
"""The CRL extension listing revoked Ed25519 signing key ids (a private arc of this project)."""

REASONS: dict[str, x509.ReasonFlags] = {
    "superseded": x509.ReasonFlags.superseded,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "ca_compromise": x509.ReasonFlags.ca_compromise,
    "affiliation_changed": x509.ReasonFlags.affiliation_changed,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
    "unspecified": x509.ReasonFlags.unspecified,
}
"""Reasons an operator may give (RFC 5280 reason codes), by the name the CLI takes."""

_KEY_ID_CHARS = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class RevocationList:
    """A CRL whose signature verified with the federation CA, as a node uses it."""

    crl: x509.CertificateRevocationList
    number: int
    serials: frozenset[int]
    key_ids: frozenset[str]

    def certificate_revoked(self, certificate: x509.Certificate) -> bool:
        return certificate.serial_number in self.serials

    def key_revoked(self, key_id: str) -> bool:
        return key_id in self.key_ids


def _der_utf8(text: str) -> bytes:
    data = text.encode("utf-8")
    size = len(data)
    if size < 0x80:
        length = bytes([size])
    else:
        raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return b"\x0c" + length + data


def _read_der_utf8(der: bytes) -> str:
    if len(der) < 2 or der[0] != 0x0C:
        raise ValueError("not a DER UTF8String")
    first = der[1]
    if first < 0x80:
        start, size = 2, first
    else:
        count = first & 0x7F
        start, size = 2 + count, int.from_bytes(der[2 : 2 + count], "big")
    if start + size != len(der):
        raise ValueError("the UTF8String's length does not match")
    return der[start:].decode("utf-8")


def _check_key_id(key_id: str) -> str:
    text = key_id.strip().lower()
    if len(text) != 32 or not set(text) <= _KEY_ID_CHARS:
        raise InvalidInput("key_id", f"{key_id!r} is not a key id (32 hexadecimal digits)")
    return text


def issue_crl(
    ca: FederationCA,
    *,
    number: int,
    revoked: Iterable[tuple[int, x509.ReasonFlags, datetime]] = (),
    key_ids: Iterable[str] = (),
    now: datetime,
) -> x509.CertificateRevocationList:
    """A CRL numbered ``number``, signed by ``ca``: ``revoked`` (serial, reason, when) and
    the revoked signing ``key_ids``."""
    if ca.private_key is None:
        raise InvalidInput("ca", f"the private key of {ca.name!r} is not on this host")
    ca_key = ca.certificate.public_key()
    assert isinstance(ca_key, ec.EllipticCurvePublicKey)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(max(ca.certificate.not_valid_after_utc, now))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key), critical=False)
    )
    ids = sorted({_check_key_id(k) for k in key_ids})
    if ids:
        extension = x509.UnrecognizedExtension(REVOKED_KEY_IDS_OID, _der_utf8(",".join(ids)))
        builder = builder.add_extension(extension, critical=False)
    for serial, reason, when in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(when)
            .add_extension(x509.CRLReason(reason), critical=False)
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(ca.private_key, hashes.SHA256())


def read_crl(data: bytes, ca_certificate: x509.Certificate) -> RevocationList:
    """The CRL in ``data`` (PEM) if the federation CA signed it; else :class:`InvalidInput`."""
    try:
        crl = x509.load_pem_x509_crl(data)
    except ValueError as exc:
        raise InvalidInput("crl", f"is not a PEM certificate revocation list: {exc}") from exc
    public_key = ca_certificate.public_key()
    if crl.issuer != ca_certificate.subject or not isinstance(
        public_key, ec.EllipticCurvePublicKey
    ):
        raise InvalidInput("crl", "was not issued by this federation's CA")
    if not crl.is_signature_valid(public_key):
        raise InvalidInput("crl", "its signature does not verify with the federation CA")
    try:
        number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound as exc:
        raise InvalidInput("crl", "carries no CRL number") from exc
    key_ids: frozenset[str] = frozenset()
    try:
        extension = crl.extensions.get_extension_for_oid(REVOKED_KEY_IDS_OID).value
    except x509.ExtensionNotFound:
        pass
    else:
        assert isinstance(extension, x509.UnrecognizedExtension)
        try:
            text = _read_der_utf8(extension.value)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput("crl", f"its revoked key ids cannot be read: {exc}") from exc
        key_ids = frozenset(_check_key_id(k) for k in text.split(",") if k)
    return RevocationList(crl, number, frozenset(r.serial_number for r in crl), key_ids)


def read_crl_file(path: Path, ca_certificate: x509.Certificate) -> RevocationList | None:
    """The verified CRL in ``path``, None when there is no such file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigurationError(f"cannot read the CRL {path}: {exc}") from exc
    try:
        return read_crl(data, ca_certificate)
    except InvalidInput as exc:
        raise ConfigurationError(f"{path}: {exc.reason}") from exc


def crl_pem(crl: x509.CertificateRevocationList) -> bytes:
    return crl.public_bytes(serialization.Encoding.PEM)


def revoke(
    ca: FederationCA,
    current: RevocationList | None,
    *,
    serials: Iterable[int] = (),
    key_ids: Iterable[str] = (),
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified,
    now: datetime,
) -> x509.CertificateRevocationList:
    """The CRL after ``current`` (None: the first), adding ``serials`` and ``key_ids``."""
    entries = [
        (r.serial_number, _reason_of(r), r.revocation_date_utc)
        for r in (current.crl if current else ())
    ]
    held = {serial for serial, _, _ in entries}
    entries += [(s, reason, now) for s in dict.fromkeys(serials) if s not in held]
    ids = set(current.key_ids if current else ()) | {_check_key_id(k) for k in key_ids}
    number = current.number + 1 if current else 1
    return issue_crl(ca, number=number, revoked=entries, key_ids=ids, now=now)


def _reason_of(entry: x509.RevokedCertificate) -> x509.ReasonFlags:
    try:
        return entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    except x509.ExtensionNotFound:
        return x509.ReasonFlags.unspecified


def install_crl(path: Path, data: bytes, ca_certificate: x509.Certificate) -> RevocationList:
    """Write the CRL ``data`` at ``path`` if the CA signed it and it is not older than the
    one there; :class:`InvalidInput` naming ``crl`` otherwise."""
    new = read_crl(data, ca_certificate)
    held = read_crl_file(path, ca_certificate) if path.exists() else None
    if held is not None and new.number < held.number:
        raise InvalidInput(
            "crl", f"is number {new.number}, older than the installed number {held.number}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(crl_pem(new.crl))
    os.replace(temporary, path)
    return new


class RevocationCheck:
    """A node's check against the CRL installed at ``crl_path``, read again when it changes.

    No file: nothing is revoked (a federation that has not issued a CRL yet), or,
    when ``required``, a :class:`ConfigurationError` on every check. A file that is
    unreadable or not signed by the CA at ``ca_path`` is a :class:`ConfigurationError`
    on every check: the node refuses rather than accept a certificate it cannot check.
    """

    def __init__(self, crl_path: Path, ca_path: Path, *, required: bool = False) -> None:
        self.crl_path, self.ca_path = crl_path, ca_path
        self.required = required
        self._seen: tuple[int, int] | None = None
        self._list: RevocationList | None = None
        self._lock = threading.Lock()

    def current(self) -> RevocationList | None:
        try:
            status = self.crl_path.stat()
        except FileNotFoundError:
            if self.required:
                raise ConfigurationError(
                    f"no federation CRL at {self.crl_path}, and one is required"
                ) from None
            return None
        except OSError as exc:
            raise ConfigurationError(f"cannot read the CRL {self.crl_path}: {exc}") from exc
        seen = (status.st_mtime_ns, status.st_size)
        with self._lock:
            if seen != self._seen:
                ca_certificate = _load_ca(self.ca_path)
                self._list = read_crl_file(self.crl_path, ca_certificate)
                self._seen = seen
            return self._list

    def _checked_list(self) -> RevocationList | None:
        try:
            return self.current()
        except ConfigurationError as exc:
            raise RevocationUnknown(str(exc)) from exc

    def check_certificate(self, der: bytes) -> None:
        """Raise :class:`Revoked` if the certificate (DER) is on the CRL,
        :class:`RevocationUnknown` if no usable CRL says (one required, or unreadable)."""
        revocations = self._checked_list()
        if revocations is None:
            return
        certificate = x509.load_der_x509_certificate(der)
        if revocations.certificate_revoked(certificate):
            raise Revoked(
                f"the TLS certificate {certificate.serial_number:x} "
                f"({certificate.subject.rfc4514_string()}) is revoked "
                f"(federation CRL number {revocations.number})"
            )

    def revoked_key_ids(self) -> frozenset[str]:
        revocations = self._checked_list()
        return revocations.key_ids if revocations is not None else frozenset()


def _load_ca(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read the federation CA {path}: {exc}") from exc
