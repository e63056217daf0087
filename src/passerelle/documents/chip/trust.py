"""The certificates a node trusts to check chips: CSCAs and their revocation lists.

A Country Signing CA (CSCA, ICAO Doc 9303 Part 12 §5) issues the document signer
certificates (DSC) of its state, and a CRL of those it revoked. A node trusts the CSCAs
its operators imported (master lists, single certificates) and checks revocation with
the CRLs they imported; :class:`TrustAnchors` holds both as values, read from the trust
store by the caller. A CSCA is found for a certificate by issuer name, narrowed by the
key identifiers where both certificates carry them (a state renewing its CSCA keeps the
name and changes the key: Part 12 §5.5.1, link certificates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from passerelle.documents.chip.errors import ChipAlgorithmError, ChipDataError

__all__ = ["TrustAnchors", "certificate_country_of", "load_certificate", "load_crl"]


def load_certificate(der: bytes, part: str) -> x509.Certificate:
    """A DER (or PEM) X.509 certificate; ``ChipDataError`` naming ``part`` if unreadable."""
    try:
        if der.lstrip().startswith(b"-----BEGIN"):
            cert = x509.load_pem_x509_certificate(der)
        else:
            cert = x509.load_der_x509_certificate(der)
        # cryptography reads these lazily: read them now, so a fault is named here
        cert.public_key()
        _ = cert.subject, cert.issuer, cert.serial_number, cert.extensions
        _ = cert.not_valid_before_utc, cert.not_valid_after_utc
    except (ValueError, TypeError, x509.InvalidVersion) as exc:
        raise ChipDataError(part, f"is not a usable X.509 certificate: {exc}") from exc
    except UnsupportedAlgorithm as exc:
        raise ChipAlgorithmError(part, f"has a key the node cannot use: {exc}") from exc
    return cert


def load_crl(der: bytes, part: str) -> x509.CertificateRevocationList:
    """A DER (or PEM) CRL; ``ChipDataError`` naming ``part`` if unreadable."""
    try:
        if der.lstrip().startswith(b"-----BEGIN"):
            crl = x509.load_pem_x509_crl(der)
        else:
            crl = x509.load_der_x509_crl(der)
        _ = crl.issuer, crl.last_update_utc, crl.next_update_utc, list(crl)
        return crl
    except ValueError as exc:
        raise ChipDataError(part, f"is not an X.509 CRL: {exc}") from exc


def certificate_country_of(name: x509.Name) -> str | None:
    """The ``C`` attribute of a name (upper case), None without one."""
    values = name.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(values[0].value).upper() if values else None


def _key_id(cert: x509.Certificate) -> bytes | None:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):
        return None


def _authority_key_id(cert: x509.Certificate) -> bytes | None:
    try:
        ext = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    return ext.key_identifier


@dataclass(frozen=True, slots=True)
class TrustAnchors:
    """The CSCAs and CRLs a check trusts.

    Which CRLs each CSCA signed is worked out once per CSCA and kept with the anchors
    (a node checks thousands of chips against one set: a CRL's signature is verified
    once, not per chip).
    """

    cscas: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    _signed: dict[bytes, tuple[x509.CertificateRevocationList, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(
        cls,
        cscas: Iterable[x509.Certificate],
        crls: Iterable[x509.CertificateRevocationList] = (),
    ) -> TrustAnchors:
        return cls(tuple(cscas), tuple(crls))

    def issuers_of(self, cert: x509.Certificate) -> tuple[x509.Certificate, ...]:
        """The trusted CSCAs that may have issued ``cert``: same name, and same key
        identifier when both carry one."""
        wanted = _authority_key_id(cert)
        found = []
        for csca in self.cscas:
            if csca.subject != cert.issuer:
                continue
            have = _key_id(csca)
            if wanted is not None and have is not None and wanted != have:
                continue
            found.append(csca)
        return tuple(found)

    def crls_of(self, csca: x509.Certificate) -> tuple[x509.CertificateRevocationList, ...]:
        """The CRLs ``csca`` issued and signed (a CRL whose signature fails is left out)."""
        known = self._signed.get(csca.fingerprint(hashes.SHA256()))
        if known is None:
            known = self._signed_by(csca)
            self._signed[csca.fingerprint(hashes.SHA256())] = known
        return known

    def _signed_by(self, csca: x509.Certificate) -> tuple[x509.CertificateRevocationList, ...]:
        key = csca.public_key()
        out = []
        for crl in self.crls:
            if crl.issuer != csca.subject:
                continue
            try:
                if crl.is_signature_valid(key):  # type: ignore[arg-type]
                    out.append(crl)
            except (TypeError, ValueError):
                continue
        return tuple(out)
