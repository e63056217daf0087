"""The ``fingerprint`` query: its body, strictly parsed, and its score bands.

A partner asks whether one or several fingers are in this node's fingerprint
galleries. The body carries ISO/IEC 19794-2:2005 minutiae records, never an
image, each with its finger position and the extractor that made it (a record
cannot say; ``biometrics.fingerprint.templates``)::

    fingerprint {"fingers": [                                 (1 to 10)
                   {"position": 2,                            (ISO/ANSI 0 unknown, 1-10)
                    "template": "<base64 of the ISO/IEC 19794-2:2005 record>",
                    "extractor": "nbis-mindtct", "extractor_version": "0.1.3"}],
                 "gallery": "wanted",                         (optional: every shared one)
                 "purpose": "..."}                            (optional, audited)

Any other field is refused, and every error is an ``InvalidInput`` naming the
field (``fingers[1].template``...). Two fingers at one known position are
refused, and so is a record whose own finger position disagrees with the one
given. Minutiae of another extractor, or of another release series of this
node's, are refused with :class:`ExtractorMismatch` (code ``extractor_mismatch``,
on ``fingers[i].extractor``): BOZORTH3 scores on them would mean nothing.

Score bands
-----------
A finger's BOZORTH3 score ``s`` against the gallery's search threshold ``t``
(``biometrics.fingerprint.gallery.SEARCH_THRESHOLD``, 64: one above the
highest of 114,240 non-mated scores of the calibration run)::

    high    s ≥ 2t          (128)
    medium  s ≥ 1.5t        (96)
    low     s ≥ t           (64)

Below ``t`` a finger is no hit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from passerelle.biometrics.fingerprint import MIN_MINUTIAE, FingerprintTemplate
from passerelle.biometrics.fingerprint.templates import comparable_tags
from passerelle.exc import InvalidInput
from passerelle.federation.queries.bodies import ScoreBand
from passerelle.records.fields import no_unknown_fields
from passerelle.records.text import plain_text

__all__ = [
    "MAX_FINGERS",
    "ExtractorMismatch",
    "FingerprintQuery",
    "QueriedFinger",
    "fingerprint_band",
    "parse_fingerprint_query",
]

MAX_FINGERS = 10
_MAX_RECORD_BYTES = 8192
_MAX_TAG = 32
_MAX_PURPOSE = 500
_FINGER_FIELDS = frozenset({"position", "template", "extractor", "extractor_version"})


class ExtractorMismatch(InvalidInput):
    """The minutiae were extracted by another extractor, or another release series of it."""

    code: ClassVar[str] = "extractor_mismatch"


@dataclass(frozen=True, slots=True)
class QueriedFinger:
    """One finger asked about: its position, its template, and what the audit keeps of it."""

    position: int
    template: FingerprintTemplate
    template_sha256: str
    """SHA-256 of the ISO record's bytes as received: what the audit keeps of the finger."""


@dataclass(frozen=True, slots=True)
class FingerprintQuery:
    """Are these fingers (minutiae templates, never images) in a gallery of this node?"""

    fingers: tuple[QueriedFinger, ...]
    gallery: str | None = None
    purpose: str | None = None


def fingerprint_band(score: int, threshold: int) -> ScoreBand | None:
    """The band of a BOZORTH3 score against the search ``threshold``; None below it.

    >>> [fingerprint_band(s, 64) for s in (200, 100, 64, 63)]
    ['high', 'medium', 'low', None]
    """
    if score < threshold:
        return None
    if score >= 2 * threshold:
        return "high"
    return "medium" if 2 * score >= 3 * threshold else "low"


def _text(body: Mapping[str, object], name: str, field: str, *, max_length: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "is required: a non-empty string")
    if len(value) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    return plain_text(field, value.strip())


def _position(finger: Mapping[str, object], field: str) -> int:
    value = finger.get("position")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInput(field, "is required: an ISO finger position, 0 (unknown) to 10")
    return value


def _record(finger: Mapping[str, object], field: str) -> bytes:
    value = finger.get("template")
    if not isinstance(value, str) or not value:
        raise InvalidInput(field, "is required: base64 of an ISO/IEC 19794-2:2005 record")
    if len(value) > 2 * _MAX_RECORD_BYTES:
        raise InvalidInput(field, f"is longer than a record of {_MAX_RECORD_BYTES} bytes")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(field, "is not valid base64") from None
    if len(raw) > _MAX_RECORD_BYTES:
        raise InvalidInput(field, f"holds {len(raw)} bytes; at most {_MAX_RECORD_BYTES} are read")
    return raw


def _finger(value: object, at: int) -> QueriedFinger:
    name = f"fingers[{at}]"
    if not isinstance(value, Mapping):
        raise InvalidInput(name, "must be an object with position, template and extractor")
    unknown = sorted(str(key) for key in value if key not in _FINGER_FIELDS)
    if unknown:
        raise InvalidInput(f"{name}.{unknown[0]}", "is not a field of a queried finger")
    position = _position(value, f"{name}.position")
    extractor = _text(value, "extractor", f"{name}.extractor", max_length=_MAX_TAG)
    release = _text(value, "extractor_version", f"{name}.extractor_version", max_length=_MAX_TAG)
    if not comparable_tags(extractor, release):
        raise ExtractorMismatch(
            f"{name}.extractor",
            f"{extractor} {release} minutiae are not compared with this node's: "
            "another extractor's minutiae give meaningless scores",
        )
    raw = _record(value, f"{name}.template")
    try:
        template = FingerprintTemplate.from_iso(raw, extractor=extractor, extractor_version=release)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}.template", exc.reason) from None
    recorded = template.record().finger_position
    if recorded not in (0, position):
        raise InvalidInput(
            f"{name}.position", f"is {position} but the record is of finger position {recorded}"
        )
    if template.minutiae_count < MIN_MINUTIAE:
        raise InvalidInput(
            f"{name}.template",
            f"holds {template.minutiae_count} minutiae; {MIN_MINUTIAE} are needed to compare",
        )
    return QueriedFinger(position, template, hashlib.sha256(raw).hexdigest())


def parse_fingerprint_query(body: Mapping[str, object]) -> FingerprintQuery:
    """A fingerprint query from its body; ``InvalidInput`` naming the first bad field, and
    :class:`ExtractorMismatch` for another extractor's minutiae."""
    if not isinstance(body, Mapping):
        raise InvalidInput("body", "must be a JSON object")
    no_unknown_fields(body, {"fingers", "gallery", "purpose"})
    fingers = body.get("fingers")
    if not isinstance(fingers, list) or not fingers:
        raise InvalidInput("fingers", "is required: a non-empty list of fingers")
    if len(fingers) > MAX_FINGERS:
        raise InvalidInput("fingers", f"holds more than {MAX_FINGERS} fingers")
    parsed = tuple(_finger(value, at) for at, value in enumerate(fingers))
    known = [finger.position for finger in parsed if finger.position]
    if len(known) != len(set(known)):
        raise InvalidInput("fingers", "names one finger position twice")
    gallery = None
    if body.get("gallery") is not None:
        gallery = _text(body, "gallery", "gallery", max_length=64)
    purpose = None
    if body.get("purpose") is not None:
        purpose = _text(body, "purpose", "purpose", max_length=_MAX_PURPOSE)
    return FingerprintQuery(parsed, gallery, purpose)
