"""The signatures of a chip: the SOD's CMS signature, and a certificate's issuer.

ICAO Doc 9303 Part 12 §4.4 lets issuers sign with RSA (PKCS#1 v1.5 or RSASSA-PSS) and
ECDSA (over NIST or Brainpool curves, DER signatures, or the plain ``r||s`` form of BSI
TR-03111 that some issuers use), with SHA-1 to SHA-512. The CMS rules are RFC 5652
§5.4: with signed attributes, the ``messageDigest`` attribute must equal the content's
hash and the signature covers the attributes' DER as a ``SET OF``. The arithmetic is
``cryptography``'s; an algorithm outside these raises ``ChipAlgorithmError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from passerelle.documents.chip.errors import ChipAlgorithmError, ChipDataError
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = ["HASHES", "digest", "new_hash", "verify_issued_by", "verify_signer"]

HASHES: Mapping[str, type[hashes.HashAlgorithm]] = MappingProxyType(
    {
        "sha1": hashes.SHA1,
        "sha224": hashes.SHA224,
        "sha256": hashes.SHA256,
        "sha384": hashes.SHA384,
        "sha512": hashes.SHA512,
    }
)
"""asn1crypto's digest names, and the hash each is."""

_PLAIN_ECDSA = {  # BSI TR-03111 §5.2.1 ecdsa-plain-signatures, 0.4.0.127.0.7.1.1.4.1.n
    "0.4.0.127.0.7.1.1.4.1.1": "sha1",
    "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256",
    "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
}


def new_hash(name: str, part: str) -> hashes.HashAlgorithm:
    """The hash asn1crypto calls ``name``; ``ChipAlgorithmError`` naming ``part`` if none."""
    algorithm = HASHES.get(name)
    if algorithm is None:
        raise ChipAlgorithmError(
            part,
            worded(
                N_("uses the digest algorithm %(algorithm)s, which is not verified"),
                algorithm=str(name),
            ),
        )
    return algorithm()


def digest(name: str, data: bytes, part: str) -> bytes:
    """``data``'s hash under the algorithm asn1crypto calls ``name``."""
    h = hashes.Hash(new_hash(name, part))
    h.update(data)
    return h.finalize()


def _signed_data(signer: cms.SignerInfo, content: bytes, content_type: str) -> bytes:
    """What the signature covers: the signed attributes' DER as a SET OF (after checking
    their message digest and content type), else the content itself."""
    digest_name = str(signer["digest_algorithm"]["algorithm"].native)
    attributes = signer["signed_attrs"]
    if not attributes:
        return content
    found: dict[str, object] = {}
    for attribute in attributes:
        found[str(attribute["type"].native)] = attribute["values"]
    values = found.get("message_digest")
    if values is None or len(values) != 1:  # type: ignore[arg-type]
        raise ChipDataError(
            "sod", worded(N_("its signed attributes carry no single message digest"))
        )
    if bytes(values[0].native) != digest(digest_name, content, "sod"):  # type: ignore[index]
        raise InvalidSignature("the message digest is not the content's hash")
    types = found.get("content_type")
    if types is not None and types[0].dotted != content_type:  # type: ignore[index]
        raise InvalidSignature("the signed content type is not the content's")
    return bytes(attributes.untag().dump())  # the attributes as received, tagged SET OF


def verify_signer(
    signer: cms.SignerInfo, content: bytes, content_type: str, key: object, *, part: str = "sod"
) -> None:
    """Verify one CMS SignerInfo over ``content`` with the signer's public ``key``.

    Raises ``InvalidSignature`` when it does not verify, ``ChipAlgorithmError`` for an
    algorithm or key outside ICAO 9303's, ``ChipDataError`` for unreadable attributes.
    """
    try:
        data = _signed_data(signer, content, content_type)
        signature = bytes(signer["signature"].native)
        algorithm = signer["signature_algorithm"]
        dotted = algorithm["algorithm"].dotted
        digest_name = str(signer["digest_algorithm"]["algorithm"].native)
        pss: padding.PSS | None = None
        if dotted in _PLAIN_ECDSA:
            kind = "ecdsa_plain"
            digest_name = _PLAIN_ECDSA[dotted]
        else:
            kind = algorithm.signature_algo
        if kind == "rsassa_pss":
            params = algorithm["parameters"]
            digest_name = str(params["hash_algorithm"]["algorithm"].native)
            mgf_hash = new_hash(
                str(params["mask_gen_algorithm"]["parameters"]["algorithm"].native), part
            )
            pss = padding.PSS(padding.MGF1(mgf_hash), int(params["salt_length"].native))
    except ChipDataError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ChipAlgorithmError(
            part, worded(N_("its signature algorithm cannot be read: %(error)s"), error=str(exc))
        ) from exc
    hash_ = new_hash(digest_name, part)
    if kind == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), hash_)
    elif kind == "rsassa_pss" and pss is not None and isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, pss, hash_)
    elif kind == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(hash_))
    elif kind == "ecdsa_plain" and isinstance(key, ec.EllipticCurvePublicKey):
        size = (key.curve.key_size + 7) // 8
        if len(signature) != 2 * size:
            raise InvalidSignature("a plain ECDSA signature of the wrong length")
        r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        key.verify(utils.encode_dss_signature(r, s), data, ec.ECDSA(hash_))
    else:
        raise ChipAlgorithmError(
            part,
            worded(
                N_("is signed with %(kind)s by a %(key)s: not an ICAO 9303 pairing"),
                kind=str(kind),
                key=type(key).__name__,
            ),
        )


def verify_issued_by(certificate: x509.Certificate, issuer: x509.Certificate, part: str) -> None:
    """Verify ``certificate``'s signature with ``issuer``'s key (names must chain).

    Raises ``InvalidSignature`` when it does not verify, ``ChipAlgorithmError`` for an
    algorithm ``cryptography`` does not verify.
    """
    try:
        certificate.verify_directly_issued_by(issuer)
    except (UnsupportedAlgorithm, TypeError) as exc:
        raise ChipAlgorithmError(
            part, worded(N_("its signature algorithm is not verified: %(error)s"), error=str(exc))
        ) from exc
    except ValueError as exc:
        raise InvalidSignature(str(exc)) from exc
