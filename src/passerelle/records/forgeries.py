"""Forged-document alerts: the series of documents a forgery imitates, and how to recognise it.

A document examiner who has found a counterfeit or forged type of travel document
issues a ``forged_document`` alert (``records.alerts``) whose subject is the
series of documents it concerns, as Interpol's Dial-Doc and the EU's iFADO
describe them to partners: the issuing state, the document type (the MRZ's
document code), which numbers (a series prefix, a range, a pattern, or several
of them, all of which must hold), what kind of fraud it is, how it was detected,
and the indicators an officer looks for::

    {"kind": "document_series",
     "issuing_state": "MAR", "document_code": "P",
     "series": "AB",                               (numbers starting with it)
     "number_from": "AB1000000", "number_to": "AB1099999",
     "number_pattern": "AB10#####",                (# a digit, @ a letter,
                                                    ? any character, * any run)
     "forgery_type": "counterfeit",                (FORGERY_TYPES)
     "detected_by": ["uv", "magnification"],       (DETECTION_METHODS)
     "indicators": "The UV pattern on the data page is missing..."}

A document matches when its issuing state is the alert's, its document code
starts with the alert's (``P`` covers ``P``, ``PO``, ``PD``; ``PD`` only
``PD``), and its number meets every criterion given. A range compares numbers of
its bounds' length, character by character (digits before letters). Numbers are
compared as printed (upper case, ``<`` fillers dropped), not folded: a range is
the issuer's own numbering.

Reference images travel with the alert (beside it in the federation message):
at most :data:`MAX_IMAGES` PNG or JPEG images, each at most
:data:`MAX_IMAGE_BYTES`, together at most :data:`MAX_IMAGES_BYTES`, so that a
signed ``alert.issue`` stays under the envelope's 1 MiB. The format is read from
the bytes (the declared ``media_type`` must agree).

>>> subject = parse_series_subject({"subject.kind": "document_series",
...     "subject.issuing_state": "mar", "subject.document_code": "P",
...     "subject.number_from": "AB1000000", "subject.number_to": "AB1099999",
...     "subject.forgery_type": "counterfeit", "subject.detected_by": ["uv"],
...     "subject.indicators": "No UV fibres on the data page."})
>>> series_matches(subject, "MAR", "P", "AB1000042"), series_matches(subject, "MAR", "P",
...     "AB1100000")
(True, False)
>>> series_key("MAR", "PO")
'series:MAR:P'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.fields import no_unknown_fields, optional_text, required_text, state_code

__all__ = [
    "DETECTION_METHODS",
    "FORGERY_CATEGORY",
    "FORGERY_TYPES",
    "MAX_IMAGES",
    "MAX_IMAGES_BYTES",
    "MAX_IMAGE_BYTES",
    "SERIES_KIND",
    "ReferenceImage",
    "SeriesSubject",
    "describe_numbers",
    "parse_reference_images",
    "parse_series_subject",
    "reference_images_from_json",
    "series_from_json",
    "series_key",
    "series_matches",
]

FORGERY_CATEGORY = "forged_document"
SERIES_KIND = "document_series"
FORGERY_TYPES: Mapping[str, str] = {
    "counterfeit": N_("counterfeit (an unauthorised reproduction of the genuine document)"),
    "forged": N_("forged (a genuine document altered)"),
    "pseudo": N_("pseudo-document (a fantasy document no authority issues)"),
    "stolen_blank": N_("stolen blank (a genuine blank filled in without authority)"),
}
"""What kind of fraud, after the PRADO glossary's terms; value: the officer's words."""
DETECTION_METHODS: Mapping[str, str] = {
    "visual": N_("visible light"),
    "uv": N_("UV light"),
    "ir": N_("infrared"),
    "transmitted_light": N_("transmitted light"),
    "magnification": N_("magnification"),
    "tactile": N_("touch"),
    "mrz": N_("the MRZ"),
    "chip": N_("the chip"),
    "other": N_("other means"),
}
"""How the forgery was detected (and how an officer can detect it); value: the words."""
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 256 * 1024
MAX_IMAGES_BYTES = 512 * 1024
_MAX_INDICATORS = 4000
_MAX_CAPTION = 200
_CODE = re.compile(r"[A-Z]{1,2}")
_NUMBER = re.compile(r"[A-Z0-9]{1,24}")
_PATTERN = re.compile(r"[A-Z0-9#@?*]{1,24}")
_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
_SUBJECT_FIELDS = frozenset(
    f"subject.{name}"
    for name in (
        "kind",
        "issuing_state",
        "document_code",
        "series",
        "number_from",
        "number_to",
        "number_pattern",
        "forgery_type",
        "detected_by",
        "indicators",
    )
)


@dataclass(frozen=True, slots=True)
class SeriesSubject:
    """A series of travel documents a forgery imitates, and how to recognise the forgery."""

    kind: ClassVar[str] = SERIES_KIND
    issuing_state: str
    document_code: str
    forgery_type: str
    detected_by: tuple[str, ...]
    indicators: str
    series: str | None = None
    number_from: str | None = None
    number_to: str | None = None
    number_pattern: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "issuing_state": self.issuing_state,
            "document_code": self.document_code,
            "series": self.series,
            "number_from": self.number_from,
            "number_to": self.number_to,
            "number_pattern": self.number_pattern,
            "forgery_type": self.forgery_type,
            "detected_by": list(self.detected_by),
            "indicators": self.indicators,
        }


def series_key(issuing_state: str, document_code: str) -> str:
    """The subject key a series alert is filed (and looked up) under: state and the
    document code's first letter (the document type, ICAO 9303)."""
    return f"series:{issuing_state.strip().rstrip('<').upper()}:{document_code.strip()[:1].upper()}"


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    parts = {"#": "[0-9]", "@": "[A-Z]", "?": "[A-Z0-9]", "*": "[A-Z0-9]*"}
    return re.compile("".join(parts.get(c, re.escape(c)) for c in pattern))


def series_matches(subject: SeriesSubject, issuing_state: str, code: str, number: str) -> bool:
    """Whether a document (state, MRZ document code, number) is in the alert's series.

    >>> s = SeriesSubject("MAR", "P", "counterfeit", ("uv",), "x", number_pattern="AB##7*")
    >>> series_matches(s, "MAR", "PO", "AB127"), series_matches(s, "MAR", "I", "AB127")
    (True, False)
    """
    state = issuing_state.strip().rstrip("<").upper()
    code = code.strip().rstrip("<").upper()
    number = number.strip().rstrip("<").upper()
    if state != subject.issuing_state or not code.startswith(subject.document_code):
        return False
    if not number:
        return False
    if subject.series is not None and not number.startswith(subject.series):
        return False
    if subject.number_from is not None and subject.number_to is not None:
        if len(number) != len(subject.number_from):
            return False
        if not subject.number_from <= number <= subject.number_to:
            return False
    if subject.number_pattern is not None:
        return _pattern_regex(subject.number_pattern).fullmatch(number) is not None
    return True


def describe_numbers(subject: SeriesSubject) -> str:
    """The numbers an alert covers, in words.

    >>> describe_numbers(SeriesSubject("MAR", "P", "forged", ("uv",), "x", series="AB",
    ...     number_from="AB100", number_to="AB199"))
    'series AB, numbers AB100 to AB199'
    """
    parts = []
    if subject.series is not None:
        parts.append(f"series {subject.series}")
    if subject.number_from is not None:
        parts.append(f"numbers {subject.number_from} to {subject.number_to}")
    if subject.number_pattern is not None:
        parts.append(f"numbers like {subject.number_pattern}")
    return ", ".join(parts)


def _number(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _NUMBER.fullmatch(value.strip().upper()):
        raise InvalidInput(
            name, worded(N_("%(value)s must be 1 to 24 letters A-Z and digits"), value=repr(value))
        )
    return value.strip().upper()


def _pattern(record: Mapping[str, Any]) -> str | None:
    name = "subject.number_pattern"
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _PATTERN.fullmatch(value.strip().upper()):
        raise InvalidInput(
            name,
            worded(
                N_(
                    "%(value)s must be 1 to 24 letters, digits and wildcards (# a digit, @ a"
                    " letter, ? any character, * any run)"
                ),
                value=repr(value),
            ),
        )
    pattern = value.strip().upper()
    if sum(c.isalnum() for c in pattern) < 2:
        raise InvalidInput(
            name, worded(N_("%(value)s must fix at least two letters or digits"), value=repr(value))
        )
    return pattern


def _detected_by(record: Mapping[str, Any]) -> tuple[str, ...]:
    name = "subject.detected_by"
    value = record.get(name)
    if not isinstance(value, list) or not value:
        raise InvalidInput(
            name,
            worded(
                N_("must be a non-empty list of: %(value)s"),
                value=", ".join(sorted(DETECTION_METHODS)),
            ),
        )
    methods: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in DETECTION_METHODS:
            raise InvalidInput(
                name,
                worded(
                    N_("%(item)s is not one of %(value)s"),
                    item=repr(item),
                    value=", ".join(sorted(DETECTION_METHODS)),
                ),
            )
        if item not in methods:
            methods.append(item)
    return tuple(methods)


def parse_series_subject(record: Mapping[str, Any]) -> SeriesSubject:
    """The subject of a ``forged_document`` alert from its fields (named ``subject.<name>``);
    raises ``InvalidInput`` naming the field."""
    no_unknown_fields(record, _SUBJECT_FIELDS)
    code = record.get("subject.document_code")
    if not isinstance(code, str) or not _CODE.fullmatch(code.strip().upper()):
        raise InvalidInput(
            "subject.document_code",
            worded(N_("%(code)s must be the MRZ document code: 1 or 2 letters"), code=repr(code)),
        )
    number_from = _number(record, "subject.number_from")
    number_to = _number(record, "subject.number_to")
    if (number_from is None) != (number_to is None):
        missing = "subject.number_to" if number_to is None else "subject.number_from"
        raise InvalidInput(missing, worded(N_("is required with the other end of the range")))
    if number_from is not None and number_to is not None:
        if len(number_from) != len(number_to):
            raise InvalidInput(
                "subject.number_to",
                worded(
                    N_("%(number_to)s must be as long as number_from"), number_to=repr(number_to)
                ),
            )
        if number_to < number_from:
            raise InvalidInput(
                "subject.number_to",
                worded(
                    N_("%(number_to)s is before %(number_from)s"),
                    number_to=repr(number_to),
                    number_from=repr(number_from),
                ),
            )
    series = _number(record, "subject.series")
    pattern = _pattern(record)
    if series is None and number_from is None and pattern is None:
        raise InvalidInput(
            "subject.series",
            worded(
                N_(
                    "give the numbers the forgery concerns: a series, a range (number_from,"
                    " number_to) or a number_pattern"
                )
            ),
        )
    forgery_type = record.get("subject.forgery_type")
    if not isinstance(forgery_type, str) or forgery_type not in FORGERY_TYPES:
        raise InvalidInput(
            "subject.forgery_type",
            worded(
                N_("%(forgery_type)s is not one of %(value)s"),
                forgery_type=repr(forgery_type),
                value=", ".join(sorted(FORGERY_TYPES)),
            ),
        )
    return SeriesSubject(
        issuing_state=state_code(record, "subject.issuing_state"),
        document_code=code.strip().upper(),
        forgery_type=forgery_type,
        detected_by=_detected_by(record),
        indicators=required_text(
            record, "subject.indicators", max_length=_MAX_INDICATORS, multiline=True
        ),
        series=series,
        number_from=number_from,
        number_to=number_to,
        number_pattern=pattern,
    )


def series_from_json(data: Mapping[str, Any]) -> SeriesSubject:
    """A stored series subject back as a value (trusted: validated when issued)."""
    return SeriesSubject(
        issuing_state=data["issuing_state"],
        document_code=data["document_code"],
        forgery_type=data["forgery_type"],
        detected_by=tuple(data["detected_by"]),
        indicators=data["indicators"],
        series=data.get("series"),
        number_from=data.get("number_from"),
        number_to=data.get("number_to"),
        number_pattern=data.get("number_pattern"),
    )


@dataclass(frozen=True, slots=True)
class ReferenceImage:
    """An image of the forgery (or of the genuine document, for comparison)."""

    media_type: str
    data: bytes
    caption: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "media_type": self.media_type,
            "data": base64.b64encode(self.data).decode("ascii"),
            "caption": self.caption,
        }


def _image(value: Any, field: str) -> ReferenceImage:
    if not isinstance(value, Mapping):
        raise InvalidInput(
            field, worded(N_("must be an object: media_type, data (base64), caption"))
        )
    record = {f"{field}.{name}": item for name, item in value.items()}
    no_unknown_fields(record, {f"{field}.media_type", f"{field}.data", f"{field}.caption"})
    media_type = record.get(f"{field}.media_type")
    if not isinstance(media_type, str) or media_type not in _SIGNATURES:
        raise InvalidInput(
            f"{field}.media_type",
            worded(
                N_("%(media_type)s is not one of image/jpeg, image/png"),
                media_type=repr(media_type),
            ),
        )
    encoded = record.get(f"{field}.data")
    if not isinstance(encoded, str) or not encoded:
        raise InvalidInput(f"{field}.data", worded(N_("is required: the image, base64")))
    if len(encoded) > (MAX_IMAGE_BYTES * 4) // 3 + 4:
        raise InvalidInput(
            f"{field}.data",
            worded(N_("is larger than %(value)s KiB"), value=MAX_IMAGE_BYTES // 1024),
        )
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{field}.data", worded(N_("is not base64"))) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            f"{field}.data",
            worded(N_("is larger than %(value)s KiB"), value=MAX_IMAGE_BYTES // 1024),
        )
    if not data.startswith(_SIGNATURES[media_type]):
        raise InvalidInput(
            f"{field}.data",
            worded(N_("is not a %(value)s image"), value=media_type.removeprefix("image/")),
        )
    caption = optional_text(record, f"{field}.caption", max_length=_MAX_CAPTION)
    return ReferenceImage(media_type, data, caption)


def parse_reference_images(
    value: Any, field: str = "reference_images"
) -> tuple[ReferenceImage, ...]:
    """An alert's reference images from their JSON list (null or absent: none); raises
    ``InvalidInput`` naming the field (``reference_images[1].data``)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidInput(field, worded(N_("must be a list of images")))
    if len(value) > MAX_IMAGES:
        raise InvalidInput(
            field, worded(N_("holds more than %(max_images)s images"), max_images=MAX_IMAGES)
        )
    images = tuple(_image(item, f"{field}[{number}]") for number, item in enumerate(value))
    if sum(len(image.data) for image in images) > MAX_IMAGES_BYTES:
        raise InvalidInput(
            field,
            worded(N_("are larger than %(value)s KiB together"), value=MAX_IMAGES_BYTES // 1024),
        )
    return images


def reference_images_from_json(
    value: Sequence[Mapping[str, Any]] | None,
) -> tuple[ReferenceImage, ...]:
    """Stored reference images back as values (trusted: validated when issued or received)."""
    return tuple(
        ReferenceImage(item["media_type"], base64.b64decode(item["data"]), item.get("caption"))
        for item in value or ()
    )
