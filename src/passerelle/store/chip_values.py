"""The values of the chip trust store: a CSCA as listed, a change, and the checks of a
certificate offered as a CSCA (``store.chip_trust``, ``federation.chips``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from passerelle.documents.chip import ChipDataError
from passerelle.documents.chip.signatures import verify_issued_by

__all__ = ["CscaView", "TrustChange", "fingerprint", "require_csca", "signed_by"]


@dataclass(frozen=True, slots=True)
class CscaView:
    """A trusted CSCA as listed: country, subject, validity, SHA-256 fingerprint."""

    fingerprint: str
    country: str
    subject: str
    not_before: datetime
    not_after: datetime
    added_in: int

    def as_dict(self) -> dict[str, object]:
        return {
            "fingerprint": self.fingerprint,
            "country": self.country,
            "subject": self.subject,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "added_in": self.added_in,
        }


@dataclass(frozen=True, slots=True)
class TrustChange:
    """One change of the store: its version, what it added and removed."""

    version: int
    kind: str
    added: int
    removed: int
    skipped: int = 0
    """Certificates of the file already in force (a master list imported again)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "kind": self.kind,
            "added": self.added,
            "removed": self.removed,
            "skipped": self.skipped,
        }


def fingerprint(der: bytes) -> str:
    """A certificate's SHA-256 fingerprint (hex)."""
    return hashlib.sha256(der).hexdigest()


def signed_by(crl: x509.CertificateRevocationList, csca: x509.Certificate) -> bool:
    try:
        return crl.is_signature_valid(csca.public_key())  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def require_csca(cert: x509.Certificate, part: str = "csca") -> None:
    """Raise ``ChipDataError(part, ...)`` unless ``cert`` is a self-signed CA certificate."""
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise ChipDataError(part, "is not a CA certificate (basic constraints)")
    if cert.subject != cert.issuer:
        raise ChipDataError(part, "is not self-signed: import a master list instead")
    try:
        verify_issued_by(cert, cert, part)
    except InvalidSignature as exc:
        raise ChipDataError(part, "its self-signature does not verify") from exc
