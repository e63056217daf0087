"""A specimen issuer: CSCAs, document signers, chips, CRLs and master lists.

What a state's PKI and personalisation do (ICAO Doc 9303 Parts 10 and 12), for the
node's tests, benchmarks and demonstration world, never for real documents: keys are
generated on the spot and returned to the caller. The algorithms are the ones issuers
use: RSA with PKCS#1 v1.5 or PSS, ECDSA over NIST P-256/384/521 and Brainpool
P256r1/P384r1/P512r1, SHA-256/384/512. Everything is built with ``cryptography``
(keys, certificates, CRLs, signatures) and ``asn1crypto`` (the CMS structures).

>>> pki = SpecimenPki.create("UT", algorithm="ecdsa-p256")
>>> signer = pki.document_signer()
>>> chip = signer.chip(("P<UTOERIKSSON<<ANNA<MARIA" + "<" * 19,
...                     "L898902C36UTO7408122F1204159ZE184226B<<<<<10"))
>>> sorted(chip.data_groups)
[1, 2]
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from passerelle.documents.chip.lds import DATA_GROUP_TAGS
from passerelle.documents.chip.masterlist import CSCA_MASTER_LIST, CscaMasterList
from passerelle.documents.chip.model import ChipData
from passerelle.documents.chip.signatures import HASHES, digest
from passerelle.documents.chip.sod import LDS_SECURITY_OBJECT, LdsSecurityObject, wrap_sod

__all__ = [
    "ALGORITHMS",
    "DocumentSigner",
    "SpecimenPki",
    "data_group",
    "face_dg2",
    "master_list",
    "mrz_dg1",
    "signed_data",
]

ALGORITHMS: Mapping[str, tuple[str, object]] = MappingProxyType(
    {
        "rsa-2048": ("pkcs1", 2048),
        "rsa-3072": ("pkcs1", 3072),
        "rsa-pss-2048": ("pss", 2048),
        "ecdsa-p256": ("ecdsa", ec.SECP256R1()),
        "ecdsa-p384": ("ecdsa", ec.SECP384R1()),
        "ecdsa-p521": ("ecdsa", ec.SECP521R1()),
        "ecdsa-brainpool256": ("ecdsa", ec.BrainpoolP256R1()),
        "ecdsa-brainpool384": ("ecdsa", ec.BrainpoolP384R1()),
        "ecdsa-brainpool512": ("ecdsa", ec.BrainpoolP512R1()),
    }
)
"""The specimen key kinds: a signature scheme and an RSA size or a curve."""

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _new_key(algorithm: str) -> PrivateKey:
    _scheme, size = ALGORITHMS[algorithm]
    if isinstance(size, int):
        return rsa.generate_private_key(public_exponent=65537, key_size=size)
    assert isinstance(size, ec.EllipticCurve)
    return ec.generate_private_key(size)


def _scheme(algorithm: str) -> str:
    return str(ALGORITHMS[algorithm][0])


def _sign_raw(key: PrivateKey, scheme: str, hash_name: str, data: bytes) -> bytes:
    hash_ = HASHES[hash_name]()
    if isinstance(key, rsa.RSAPrivateKey):
        if scheme == "pss":
            pss = padding.PSS(padding.MGF1(hash_), hash_.digest_size)
            return key.sign(data, pss, hash_)
        return key.sign(data, padding.PKCS1v15(), hash_)
    return key.sign(data, ec.ECDSA(hash_))


def _signature_algorithm(key: PrivateKey, scheme: str, hash_name: str) -> dict[str, object]:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {"algorithm": f"{hash_name}_ecdsa"}
    if scheme == "pss":
        size = HASHES[hash_name]().digest_size
        params = algos.RSASSAPSSParams(
            {
                "hash_algorithm": {"algorithm": hash_name},
                "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": hash_name}},
                "salt_length": size,
            }
        )
        return {"algorithm": "rsassa_pss", "parameters": params}
    return {"algorithm": f"{hash_name}_rsa"}


def _certificate_hash(name: str) -> hashes.SHA256 | hashes.SHA384 | hashes.SHA512:
    if name == "sha384":
        return hashes.SHA384()
    return hashes.SHA512() if name == "sha512" else hashes.SHA256()


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Specimen State"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    subject: x509.Name,
    key: PrivateKey,
    issuer: x509.Name,
    issuer_key: PrivateKey,
    *,
    ca: bool,
    not_before: datetime,
    not_after: datetime,
    scheme: str,
    hash_name: str,
    serial: int | None = None,
    key_ids: bool = True,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), True)
    )
    if key_ids:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    hash_ = _certificate_hash(hash_name)
    if isinstance(issuer_key, rsa.RSAPrivateKey) and scheme == "pss":
        pss = padding.PSS(padding.MGF1(hash_), hash_.digest_size)
        return builder.sign(issuer_key, hash_, rsa_padding=pss)
    return builder.sign(issuer_key, hash_)


def signed_data(
    content: bytes,
    content_type: str,
    certificate: x509.Certificate,
    key: PrivateKey,
    *,
    scheme: str,
    hash_name: str,
) -> bytes:
    """A DER CMS ContentInfo (SignedData, RFC 5652) over ``content``, with signed
    attributes and the signer's certificate."""
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": [content_type]}),
            cms.CMSAttribute(
                {"type": "message_digest", "values": [digest(hash_name, content, "content")]}
            ),
        ]
    )
    signature = _sign_raw(key, scheme, hash_name, attributes.dump())
    signer = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": {
                        "issuer": cert.issuer,
                        "serial_number": cert.serial_number,
                    }
                }
            ),
            "digest_algorithm": {"algorithm": hash_name},
            "signed_attrs": attributes,
            "signature_algorithm": _signature_algorithm(key, scheme, hash_name),
            "signature": signature,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": hash_name}],
            "encap_content_info": {"content_type": content_type, "content": content},
            "certificates": [cert],
            "signer_infos": [signer],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


def data_group(number: int, contents: bytes) -> bytes:
    """A data group's file: its tag (``DATA_GROUP_TAGS``) around ``contents`` (DER length)."""
    return _tlv(1, 1, DATA_GROUP_TAGS[number] - 0x60, contents)


def _tlv(class_: int, method: int, tag: int, contents: bytes) -> bytes:
    return bytes(core.Asn1Value(class_=class_, method=method, tag=tag, contents=contents).dump())


def mrz_dg1(lines: Iterable[str]) -> bytes:
    """DG1 holding the MRZ lines (tag ``5F1F``)."""
    return data_group(1, _tlv(1, 0, 0x1F, "".join(lines).encode("ascii")))


def _specimen_face() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 160), (200, 190, 170))
    ImageDraw.Draw(image).ellipse((25, 25, 95, 125), fill=(230, 200, 170))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def face_dg2(image: bytes | None = None, *, width: int = 120, height: int = 160) -> bytes:
    """DG2 holding one ISO/IEC 19794-5 facial record around ``image`` (JPEG or JPEG 2000;
    default a drawn specimen JPEG)."""
    image = _specimen_face() if image is None else image
    facial_info = (
        b"\x00\x00\x00\x00"  # block length, filled below
        + b"\x00\x00"  # no feature points
        + b"\x00" * 14  # gender, eyes, hair, features, expression, pose
    )
    image_info = b"\x01\x01" + width.to_bytes(2, "big") + height.to_bytes(2, "big") + b"\x00" * 6
    block = len(facial_info) + len(image_info) + len(image)
    facial_info = block.to_bytes(4, "big") + facial_info[4:]
    record = b"FAC\x00" + b"010\x00" + (14 + block).to_bytes(4, "big") + b"\x00\x01"
    record += facial_info + image_info + image
    header = _tlv(2, 1, 1, _tlv(2, 0, 0, b"\x01\x01"))  # A1 { 80 01 01 }: header version
    template = _tlv(1, 1, 0x60, header + _tlv(1, 0, 0x2E, record))
    group = _tlv(1, 1, 0x61, _tlv(0, 0, 2, b"\x01") + template)
    return data_group(2, group)


@dataclass(frozen=True)
class DocumentSigner:
    """A DSC and its key, under ``csca``."""

    certificate: x509.Certificate
    key: PrivateKey
    scheme: str
    hash_name: str

    def sign_sod(self, data_groups: Mapping[int, bytes], *, hash_name: str | None = None) -> bytes:
        """EF.SOD over the data groups' hashes."""
        hash_name = hash_name or self.hash_name
        lso = LdsSecurityObject(
            {
                "version": 0,
                "hash_algorithm": {"algorithm": hash_name},
                "data_group_hash_values": [
                    {"data_group_number": n, "data_group_hash_value": digest(hash_name, raw, "dg")}
                    for n, raw in sorted(data_groups.items())
                ],
            }
        )
        return wrap_sod(
            signed_data(
                lso.dump(),
                LDS_SECURITY_OBJECT,
                self.certificate,
                self.key,
                scheme=self.scheme,
                hash_name=self.hash_name,
            )
        )

    def chip(
        self,
        mrz_lines: Iterable[str],
        *,
        face: bytes | None = None,
        extra: Mapping[int, bytes] | None = None,
    ) -> ChipData:
        """A personalised chip: DG1 (the MRZ), DG2 (the face), any ``extra`` groups."""
        groups = {1: mrz_dg1(mrz_lines), 2: face_dg2(face), **(extra or {})}
        return ChipData(self.sign_sod(groups), MappingProxyType(groups))


@dataclass(frozen=True)
class SpecimenPki:
    """One state's specimen CSCA, able to issue document signers and CRLs."""

    country: str
    certificate: x509.Certificate
    key: PrivateKey
    algorithm: str
    hash_name: str
    revoked: list[int] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        country: str,
        *,
        algorithm: str = "rsa-2048",
        hash_name: str = "sha256",
        not_before: datetime = _EPOCH,
        years: int = 15,
        common_name: str | None = None,
    ) -> SpecimenPki:
        key = _new_key(algorithm)
        name = _name(country, common_name or f"CSCA {country}")
        cert = _certificate(
            name, key, name, key, ca=True, not_before=not_before,
            not_after=not_before + timedelta(days=365 * years),
            scheme=_scheme(algorithm), hash_name=hash_name,
        )  # fmt: skip
        return cls(country, cert, key, algorithm, hash_name)

    def document_signer(
        self,
        *,
        algorithm: str | None = None,
        hash_name: str | None = None,
        not_before: datetime = _EPOCH,
        years: int = 11,
        country: str | None = None,
        key_ids: bool = True,
    ) -> DocumentSigner:
        """A DSC this CSCA issues (``country`` other than the CSCA's: a forged one;
        ``key_ids`` False leaves out the key identifiers, as some older DSCs do)."""
        algorithm = algorithm or self.algorithm
        hash_name = hash_name or self.hash_name
        key = _new_key(algorithm)
        cert = _certificate(
            _name(country or self.country, "Document Signer"), key,
            self.certificate.subject, self.key, ca=False, not_before=not_before,
            not_after=not_before + timedelta(days=365 * years),
            scheme=_scheme(self.algorithm), hash_name=self.hash_name, key_ids=key_ids,
        )  # fmt: skip
        return DocumentSigner(cert, key, _scheme(algorithm), hash_name)

    def signer_of_master_list(self) -> DocumentSigner:
        """A master list signer certificate this CSCA issues."""
        return self.document_signer()

    def crl(
        self,
        revoked: Iterable[x509.Certificate] = (),
        *,
        this_update: datetime = _EPOCH,
        days: int = 3650,
    ) -> x509.CertificateRevocationList:
        """A CRL revoking ``revoked``, next update ``days`` after ``this_update``."""
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(this_update)
            .next_update(this_update + timedelta(days=days))
        )
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(cert.serial_number)
                .revocation_date(this_update)
                .build()
            )
        hash_ = _certificate_hash(self.hash_name)
        if isinstance(self.key, rsa.RSAPrivateKey) and _scheme(self.algorithm) == "pss":
            pss = padding.PSS(padding.MGF1(hash_), hash_.digest_size)
            return builder.sign(self.key, hash_, rsa_padding=pss)
        return builder.sign(self.key, hash_)


def master_list(cscas: Iterable[x509.Certificate], signer: DocumentSigner) -> bytes:
    """A CSCA master list (ICAO 9303 Part 12 §9) of ``cscas``, signed by ``signer``."""
    certs = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in cscas]
    content = CscaMasterList({"version": 0, "cert_list": certs}).dump()
    return signed_data(
        content,
        CSCA_MASTER_LIST,
        signer.certificate,
        signer.key,
        scheme=signer.scheme,
        hash_name=signer.hash_name,
    )
