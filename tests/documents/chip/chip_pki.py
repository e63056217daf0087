"""The test PKI: specimen states' CSCAs, document signers and chips, made by the tests.

Built on ``passerelle.documents.chip.specimen`` (keys generated on the spot). Keys are
cached per process: generating RSA keys costs tenths of a second each.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from types import MappingProxyType

from passerelle.documents.chip import ChipData, ChipVerification, TrustAnchors, verify_chip
from passerelle.documents.chip.specimen import DocumentSigner, SpecimenPki

__all__ = [
    "ANNA",
    "AS_OF",
    "PETER",
    "pki",
    "signer",
    "verify",
    "with_group",
]

AS_OF = date(2026, 1, 1)
ANNA = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F3004159ZE184226B<<<<<14",
)
"""ICAO's specimen passport (TD3), its expiry moved to 2030."""
PETER = (
    "P<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<<<<<<<<<",
    "D231458907UTO3407127M3001018<<<<<<<<<<<<<<02",
)


def pki(algorithm: str = "rsa-2048", hash_name: str = "sha256") -> SpecimenPki:
    """Utopia's specimen CSCA for one algorithm (made once per process)."""
    return _pki(algorithm, hash_name)


def signer(algorithm: str = "rsa-2048", hash_name: str = "sha256") -> DocumentSigner:
    """A document signer of ``pki(algorithm, hash_name)`` (made once per process)."""
    return _signer(algorithm, hash_name)


@cache
def _pki(algorithm: str, hash_name: str) -> SpecimenPki:
    return SpecimenPki.create("UT", algorithm=algorithm, hash_name=hash_name)


@cache
def _signer(algorithm: str, hash_name: str) -> DocumentSigner:
    return _pki(algorithm, hash_name).document_signer()


def verify(
    chip: ChipData,
    *,
    trust: TrustAnchors | None = None,
    printed: tuple[str, ...] = ANNA,
    state: str | None = "UTO",
    as_of: date = AS_OF,
) -> ChipVerification:
    """Passive authentication against the default PKI's CSCA and a CRL revoking nothing."""
    if trust is None:
        trust = TrustAnchors.of([pki().certificate], [pki().crl()])
    return verify_chip(chip, printed_mrz=printed, issuing_state=state, trust=trust, as_of=as_of)


def with_group(chip: ChipData, number: int, raw: bytes | None) -> ChipData:
    """``chip`` with one data group replaced (or removed, ``raw`` None), its SOD unchanged."""
    groups = dict(chip.data_groups)
    if raw is None:
        groups.pop(number, None)
    else:
        groups[number] = raw
    return ChipData(chip.sod, MappingProxyType(groups))


def at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)
