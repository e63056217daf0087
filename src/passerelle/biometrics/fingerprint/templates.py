"""Fingerprint templates: the ISO record plus who made it.

Minutiae from two extractors are not comparable: each places minutiae,
measures their direction and judges their quality its own way, and a matcher
tuned on one gives meaningless scores on the other. An ISO/IEC 19794-2:2005
record does not say which extractor wrote it, so a ``FingerprintTemplate``
carries that beside the bytes (as a CBEFF header would), and the matcher
refuses templates it cannot vouch for: another extractor, or another release
series of the NBIS bindings (``0.1.x`` templates compare with ``0.1.y`` ones).

>>> from passerelle.biometrics.fingerprint.iso import encode_record, MinutiaeRecord
>>> data = encode_record(MinutiaeRecord(width=320, height=400, minutiae=()))
>>> other = FingerprintTemplate.from_iso(data, extractor="vendor-x", extractor_version="4.2")
>>> try:
...     require_comparable(other)
... except InvalidInput as refused:
...     print(refused.field)
template.extractor
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from importlib.metadata import version

from passerelle.biometrics.fingerprint.iso import MinutiaeRecord, decode_record
from passerelle.exc import InvalidInput

__all__ = [
    "EXTRACTOR",
    "EXTRACTOR_VERSION",
    "FingerprintTemplate",
    "comparable_tags",
    "require_comparable",
]

EXTRACTOR = "nbis-mindtct"
"""NIST MINDTCT minutiae, as the nbis-py bindings run it."""
EXTRACTOR_VERSION = version("nbis-py")
"""The nbis-py release in use; templates carry the one that made them."""
_MAGIC = b"PFT1"
_HEADER = struct.Struct("<4sBBB")  # magic, extractor length, version length, quality (255: none)


@dataclass(frozen=True, slots=True)
class FingerprintTemplate:
    """One finger's minutiae as an ISO/IEC 19794-2:2005 record, tagged with its extractor."""

    iso: bytes
    minutiae_count: int
    quality: int | None
    """NFIQ 2 score (0-100, higher is better); None when not assessed."""
    extractor: str = EXTRACTOR
    extractor_version: str = EXTRACTOR_VERSION

    @classmethod
    def from_iso(
        cls, data: bytes, *, extractor: str, extractor_version: str
    ) -> FingerprintTemplate:
        """Read a template received as ISO bytes; say who extracted it (the record cannot).

        Raises ``InvalidInput("template", reason)`` if the bytes are not a
        well-formed record.
        """
        record = decode_record(data)
        quality = record.finger_quality or None
        return cls(bytes(data), len(record.minutiae), quality, extractor, extractor_version)

    def to_iso(self) -> bytes:
        """The ISO/IEC 19794-2:2005 record, as sent to another node."""
        return self.iso

    def to_bytes(self) -> bytes:
        """The template as this node stores it: a short header with its tags, then ISO bytes."""
        extractor, release = self.extractor.encode(), self.extractor_version.encode()
        quality = 255 if self.quality is None else self.quality
        header = _HEADER.pack(_MAGIC, len(extractor), len(release), quality)
        return header + extractor + release + self.iso

    @classmethod
    def from_bytes(cls, data: bytes) -> FingerprintTemplate:
        """Read :meth:`to_bytes`' form; ``InvalidInput("template", reason)`` if it is not one."""
        if len(data) < _HEADER.size or data[:4] != _MAGIC:
            raise InvalidInput("template", "is not a stored Passerelle fingerprint template")
        _, extractor_length, release_length, quality = _HEADER.unpack_from(data)
        at = _HEADER.size + extractor_length + release_length
        extractor = data[_HEADER.size : _HEADER.size + extractor_length].decode()
        release = data[_HEADER.size + extractor_length : at].decode()
        template = cls.from_iso(data[at:], extractor=extractor, extractor_version=release)
        stored_quality = None if quality == 255 else quality
        if template.quality != stored_quality:
            template = cls(
                template.iso, template.minutiae_count, stored_quality, extractor, release
            )
        return template

    def record(self) -> MinutiaeRecord:
        """The decoded record: image size, finger quality, minutiae."""
        return decode_record(self.iso)

    @property
    def comparable(self) -> bool:
        """True if this node's matcher may compare it (same extractor and release series)."""
        return comparable_tags(self.extractor, self.extractor_version)


def comparable_tags(extractor: str, extractor_version: str) -> bool:
    """Whether templates with these tags compare with this node's (same extractor and series)."""
    return extractor == EXTRACTOR and _series(extractor_version) == _series(EXTRACTOR_VERSION)


def require_comparable(template: FingerprintTemplate, field: str = "template") -> None:
    """Raise ``InvalidInput`` unless ``template`` came from this node's extractor."""
    if not isinstance(template, FingerprintTemplate):
        raise InvalidInput(field, f"expected a FingerprintTemplate, got {type(template).__name__}")
    if template.comparable:
        return
    reason = f"made by {template.extractor} {template.extractor_version}; "
    if template.extractor == EXTRACTOR:
        reason += f"this node compares {EXTRACTOR} {_series(EXTRACTOR_VERSION)}.x templates only"
    else:
        reason += f"only {EXTRACTOR} templates can be compared here"
    raise InvalidInput(f"{field}.extractor", reason)


def _series(release: str) -> str:
    """'0.1.3' -> '0.1': the part of a release that may change how minutiae are extracted."""
    return ".".join(release.split(".")[:2])
