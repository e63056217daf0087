"""CSCA master lists (ICAO Doc 9303 Part 12 §9): the CSCAs a state vouches for.

A master list is a CMS ``SignedData`` whose content, of type ``id-icao-cscaMasterList``
(2.23.136.1.1.2), is::

    CscaMasterList ::= SEQUENCE {
        version    CscaMasterListVersion,   -- v0
        certList   SET OF Certificate }

signed by a Master List Signer whose certificate its state's CSCA issued. A node
imports a list only when that signer verifies, and its issuer is a CSCA the node
already trusts or the one the operator names (obtained out of band): a list cannot
vouch for itself. :func:`read_master_list` verifies and returns the certificates; any
fault raises ``ChipDataError`` (part ``masterlist`` or ``masterlist.certificates[i]``),
so a malformed list yields nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature

from passerelle.documents.chip.errors import ChipDataError
from passerelle.documents.chip.signatures import verify_issued_by, verify_signer
from passerelle.documents.chip.trust import TrustAnchors, load_certificate

__all__ = ["CSCA_MASTER_LIST", "CscaMasterList", "MasterList", "read_master_list"]

CSCA_MASTER_LIST = "2.23.136.1.1.2"
"""id-icao-cscaMasterList."""
MAX_MASTER_LIST_BYTES = 16 * 1024 * 1024
_PART = "masterlist"


class _Certificates(core.SetOf):  # type: ignore[misc]
    _child_spec = asn1_x509.Certificate


class CscaMasterList(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("version", core.Integer),
        ("cert_list", _Certificates),
    ]


@dataclass(frozen=True, slots=True)
class MasterList:
    """A verified master list: who signed it, which CSCA vouched for the signer, and
    the CSCAs it lists (each with its DER)."""

    signer: x509.Certificate
    signer_issuer: x509.Certificate
    cscas: tuple[tuple[x509.Certificate, bytes], ...]


def _signer_certificate(signed: cms.SignedData) -> x509.Certificate:
    certs = signed["certificates"]
    if not isinstance(certs, cms.CertificateSet) or len(certs) == 0:
        raise ChipDataError(_PART, "carries no master list signer certificate")
    return load_certificate(certs[0].chosen.dump(), f"{_PART}.signer")


def read_master_list(
    raw: bytes, trusted: TrustAnchors, *, anchors: Iterable[x509.Certificate] = ()
) -> MasterList:
    """Verify a master list and return its CSCAs.

    The signer's issuer must be among ``trusted``'s CSCAs or ``anchors``. Raises
    ``ChipDataError`` naming the part for a list that cannot be read, does not verify,
    or whose signer is not trusted.
    """
    if len(raw) > MAX_MASTER_LIST_BYTES:
        raise ChipDataError(_PART, f"is over {MAX_MASTER_LIST_BYTES // 2**20} MiB")
    try:
        info = cms.ContentInfo.load(raw, strict=True)
        if info["content_type"].native != "signed_data":
            raise ChipDataError(_PART, "is not a CMS SignedData")
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != CSCA_MASTER_LIST:
            raise ChipDataError(_PART, f"signs {encap['content_type'].dotted}, not a master list")
        content = bytes(encap["content"].contents)
        signers = signed["signer_infos"]
        if len(signers) != 1:
            raise ChipDataError(_PART, f"has {len(signers)} signers, not one")
        signer_info = signers[0]
        listed = CscaMasterList.load(content, strict=True)
        ders = [bytes(cert.dump()) for cert in listed["cert_list"]]
    except ChipDataError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ChipDataError(_PART, f"is not a readable CMS SignedData: {exc}") from exc
    signer = _signer_certificate(signed)
    try:
        verify_signer(signer_info, content, CSCA_MASTER_LIST, signer.public_key(), part=_PART)
    except InvalidSignature as exc:
        raise ChipDataError(_PART, "its signature does not verify") from exc
    issuer = _trusted_issuer(signer, trusted, tuple(anchors))
    cscas = tuple(
        (load_certificate(der, f"{_PART}.certificates[{i}]"), der) for i, der in enumerate(ders)
    )
    return MasterList(signer, issuer, cscas)


def _trusted_issuer(
    signer: x509.Certificate, trusted: TrustAnchors, anchors: tuple[x509.Certificate, ...]
) -> x509.Certificate:
    candidates = (*trusted.issuers_of(signer), *TrustAnchors.of(anchors).issuers_of(signer))
    for candidate in candidates:
        try:
            verify_issued_by(signer, candidate, f"{_PART}.signer")
        except InvalidSignature:
            continue
        return candidate
    raise ChipDataError(
        f"{_PART}.signer",
        f"is not issued by a trusted CSCA ({signer.issuer.rfc4514_string()})",
    )
