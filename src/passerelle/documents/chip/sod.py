"""The Document Security Object, EF.SOD (ICAO Doc 9303 Part 10 §4.6.2, Part 11 §5.1).

EF.SOD is tag ``77`` around a CMS ``SignedData`` (RFC 5652) whose encapsulated content,
of type ``id-icao-mrtd-security-ldsSecurityObject`` (2.23.136.1.1.1), is::

    LDSSecurityObject ::= SEQUENCE {
        version                LDSSecurityObjectVersion,
        hashAlgorithm          DigestAlgorithmIdentifier,
        dataGroupHashValues    SEQUENCE SIZE (2..ub-DataGroups) OF DataGroupHash,
        ldsVersionInfo         LDSVersionInfo OPTIONAL }
    DataGroupHash ::= SEQUENCE {
        dataGroupNumber        DataGroupNumber,
        dataGroupHashValue     OCTET STRING }

The document signer certificate (DSC) travels in the ``certificates`` of the SignedData.
Parsing is asn1crypto's (its CMS classes, and the two above declared with its types);
:func:`read_sod` raises ``ChipDataError("sod", reason)`` for anything it cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from asn1crypto import algos, cms, core, parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from passerelle.documents.chip.errors import ChipDataError
from passerelle.documents.chip.trust import load_certificate
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "LDS_SECURITY_OBJECT",
    "DataGroupHash",
    "LdsSecurityObject",
    "SecurityObject",
    "read_sod",
    "wrap_sod",
]

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"
"""id-icao-mrtd-security-ldsSecurityObject."""
_SOD_TAG = 0x77
_APPLICATION = 1


class DataGroupHash(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("data_group_number", core.Integer),
        ("data_group_hash_value", core.OctetString),
    ]


class _DataGroupHashes(core.SequenceOf):  # type: ignore[misc]
    _child_spec = DataGroupHash


class _LdsVersionInfo(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("lds_version", core.PrintableString),
        ("unicode_version", core.PrintableString),
    ]


class LdsSecurityObject(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", _DataGroupHashes),
        ("lds_version_info", _LdsVersionInfo, {"optional": True}),
    ]


@dataclass(frozen=True, slots=True)
class SecurityObject:
    """What EF.SOD says: the data groups' hashes, and the signature over them.

    ``hashes`` maps each data group number to its hash under ``hash_algorithm``
    (asn1crypto's name: ``sha256``...). ``content`` is the encapsulated
    LDSSecurityObject as signed; ``signer`` the CMS SignerInfo; ``certificate`` the
    DSC (None when the SOD carries none).
    """

    hash_algorithm: str
    hashes: Mapping[int, bytes]
    content: bytes
    signer: cms.SignerInfo
    certificate: x509.Certificate | None
    certificate_der: bytes | None


def wrap_sod(content_info_der: bytes) -> bytes:
    """EF.SOD's bytes around a DER ContentInfo (tag ``77``, DER length)."""
    value = core.Asn1Value(
        class_=_APPLICATION, tag=_SOD_TAG - 0x60, contents=content_info_der, method=1
    )
    return bytes(value.dump())


def _unwrap(raw: bytes) -> bytes:
    if not raw:
        raise ChipDataError("sod", worded(N_("is empty")))
    try:
        class_, _method, tag, _header, contents, _trailer = parser.parse(raw, strict=True)
    except ValueError as exc:
        raise ChipDataError(
            "sod", worded(N_("is truncated or malformed: %(error)s"), error=str(exc))
        ) from exc
    if class_ == _APPLICATION and tag == _SOD_TAG - 0x60:
        return bytes(contents)
    return raw  # a bare ContentInfo, as some readers hand it over


def _certificate(signed: cms.SignedData) -> tuple[x509.Certificate | None, bytes | None]:
    certs = signed["certificates"]
    if not isinstance(certs, cms.CertificateSet) or len(certs) == 0:
        return None, None
    choice = certs[0]
    if choice.name != "certificate" or not isinstance(choice.chosen, asn1_x509.Certificate):
        raise ChipDataError("sod", worded(N_("its certificate is not an X.509 certificate")))
    der = bytes(choice.chosen.dump())
    return load_certificate(der, "dsc"), der


def read_sod(raw: bytes) -> SecurityObject:
    """Read EF.SOD (tag ``77`` or a bare ContentInfo); raise ``ChipDataError`` naming
    ``sod`` (or ``dsc``) for what cannot be read."""
    der = _unwrap(raw)
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise ChipDataError("sod", worded(N_("is not a CMS SignedData")))
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != LDS_SECURITY_OBJECT:
            raise ChipDataError(
                "sod",
                worded(
                    N_("signs %(content)s, not an LDS security object"),
                    content=str(encap["content_type"].dotted),
                ),
            )
        content = encap["content"].contents if encap["content"] else None
        if content is None:
            raise ChipDataError(
                "sod", worded(N_("carries no LDS security object (detached content)"))
            )
        content = bytes(content)
        lso = LdsSecurityObject.load(content, strict=True)
        hashes: dict[int, bytes] = {}
        for item in lso["data_group_hash_values"]:
            number = int(item["data_group_number"].native)
            hashes[number] = bytes(item["data_group_hash_value"].native)
        hash_algorithm = str(lso["hash_algorithm"]["algorithm"].native)
        signers = signed["signer_infos"]
        if len(signers) != 1:
            raise ChipDataError(
                "sod", worded(N_("has %(signers)s signers, not one"), signers=len(signers))
            )
        signer = signers[0]
        # read now, inside this try, what the checks read later (not the whole signer:
        # asn1crypto's ``native`` of it costs as much as the signature check)
        _ = signer["digest_algorithm"]["algorithm"].native, signer["signature"].native
        _ = signer["signature_algorithm"]["algorithm"].dotted, signer["signed_attrs"]
        certificate, certificate_der = _certificate(signed)
    except ChipDataError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ChipDataError(
            "sod", worded(N_("is not a readable CMS SignedData: %(error)s"), error=str(exc))
        ) from exc
    return SecurityObject(
        hash_algorithm=hash_algorithm,
        hashes=MappingProxyType(hashes),
        content=content,
        signer=signer,
        certificate=certificate,
        certificate_der=certificate_der,
    )
