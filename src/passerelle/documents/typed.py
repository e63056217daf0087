"""A document typed by hand from its visual zone, when no machine readable zone can be read.

A damaged MRZ, a document without one (many national identity cards), a reader
that fails: the officer types what the data page prints. :func:`typed_document`
checks each field as typed and refuses a bad one with ``InvalidInput`` naming
``visual_zone.<field>``; :func:`check_typed` turns the fields into the same
``DocumentCheck`` a reader gives, in the format ``typed``: no check digit to
verify (nothing was machine read), expiry judged as for an MRZ.

>>> from datetime import date
>>> typed = typed_document({"document_code": "p", "issuing_state": "mar",
...     "document_number": "ab 123 4567", "surname": "Lamrani", "given_names": "Salma",
...     "birth_date": "1990-04-21", "nationality": "MAR", "sex": "F",
...     "expiry_date": "2031-07-14"})
>>> check = check_typed(typed, as_of=date(2026, 12, 7))
>>> check.format.value, check.document_number, check.surname, check.expired
('typed', 'AB1234567', 'LAMRANI', False)
>>> typed_document({"document_code": "P", "issuing_state": "XYZ"})
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: visual_zone.issuing_state: 'XYZ' is not an ICAO 9303 state code
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from passerelle.documents.findings import Finding, FindingCode, Severity, expired_finding
from passerelle.documents.layouts import MrzFormat
from passerelle.documents.model import DocumentCheck
from passerelle.documents.states import is_known_state
from passerelle.exc import InvalidInput, shown_field_name
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = ["VISUAL_ZONE_FIELDS", "TypedDocument", "check_typed", "typed_document"]

VISUAL_ZONE_FIELDS = (
    "document_code",
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "birth_date",
    "nationality",
    "sex",
    "expiry_date",
)
"""The fields an officer types, in the order the booth's form asks for them."""

_CODE = re.compile(r"[A-Z][A-Z]?")
_NUMBER = re.compile(r"[A-Z0-9]{1,20}")
_NAME = re.compile(r"[A-Z]+(?: [A-Z]+)*")
_NAME_SPELLED = str.maketrans(
    {"ß": "SS", "Æ": "AE", "æ": "AE", "Ø": "OE", "ø": "OE", "Œ": "OE", "œ": "OE", "Þ": "TH"}
)
_MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class TypedDocument:
    """A travel document's data as an officer typed it from the data page (checked values)."""

    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str
    sex: str
    """``M``, ``F`` or ``<`` (unspecified: the page's ``X``)."""
    expiry_date: date

    def as_dict(self) -> dict[str, str | None]:
        """The fields as typed back (ISO dates): what the form shows again."""
        return {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "surname": self.surname,
            "given_names": self.given_names,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "nationality": self.nationality,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat(),
        }


def _field(name: str) -> str:
    return f"visual_zone.{name}"


def _given(fields: Mapping[str, str | None], name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def _state(fields: Mapping[str, str | None], name: str) -> str:
    code = _given(fields, name).upper()
    if not code:
        raise InvalidInput(_field(name), worded(N_("is required (the ICAO code: MAR, FRA, D...)")))
    if not is_known_state(code):
        raise InvalidInput(
            _field(name), worded(N_("%(code)s is not an ICAO 9303 state code"), code=repr(code))
        )
    return code


def _name(fields: Mapping[str, str | None], name: str, *, required: bool) -> str:
    typed = _given(fields, name)
    if not typed:
        if required:
            raise InvalidInput(
                _field(name), worded(N_("is required (as printed on the data page)"))
            )
        return ""
    if len(typed) > _MAX_NAME:
        raise InvalidInput(
            _field(name), worded(N_("is longer than %(most)s characters"), most=_MAX_NAME)
        )
    spelled = unicodedata.normalize("NFKD", typed.translate(_NAME_SPELLED))
    letters = "".join(c for c in spelled if not unicodedata.combining(c)).upper()
    words = " ".join(re.sub(r"[-‐,.]", " ", letters.replace("'", "").replace("’", "")).split())
    if not _NAME.fullmatch(words):
        raise InvalidInput(
            _field(name), worded(N_("type the name in Latin letters, as the data page prints it"))
        )
    return words


def _date(fields: Mapping[str, str | None], name: str, *, required: bool) -> date | None:
    typed = _given(fields, name)
    if not typed:
        if required:
            raise InvalidInput(_field(name), worded(N_("is required (YYYY-MM-DD)")))
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise InvalidInput(
            _field(name), worded(N_("%(typed)s is not a date (YYYY-MM-DD)"), typed=repr(typed))
        ) from None


def typed_document(fields: Mapping[str, str | None]) -> TypedDocument:
    """The document the officer typed, each field checked in the form's order; raises
    ``InvalidInput("visual_zone.<field>", reason)`` at the first bad or missing one.

    ``given_names`` and ``birth_date`` may be empty (a page without them, an unknown
    date); ``sex`` is ``M``, ``F``, or ``X`` / ``<`` / empty for unspecified."""
    unknown = sorted(set(fields) - set(VISUAL_ZONE_FIELDS))
    if unknown:
        raise InvalidInput(
            _field(shown_field_name(unknown[0])), worded(N_("is not a field of the visual zone"))
        )
    code = _given(fields, "document_code").upper()
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            _field("document_code"),
            worded(N_("one or two letters, as the page prints the type (P, PD, I)")),
        )
    state = _state(fields, "issuing_state")
    number = re.sub(r"[\s-]", "", _given(fields, "document_number")).upper()
    if not _NUMBER.fullmatch(number):
        raise InvalidInput(
            _field("document_number"),
            worded(N_("is required: 1 to 20 letters and digits, as printed")),
        )
    surname = _name(fields, "surname", required=True)
    given = _name(fields, "given_names", required=False)
    born = _date(fields, "birth_date", required=False)
    nationality = _state(fields, "nationality")
    sex = _given(fields, "sex").upper()
    if sex not in ("M", "F", "X", "<", ""):
        raise InvalidInput(_field("sex"), worded(N_("is M, F, or X (unspecified)")))
    expiry = _date(fields, "expiry_date", required=True)
    assert expiry is not None
    if born is not None and born >= expiry:
        raise InvalidInput(_field("birth_date"), worded(N_("must be before the expiry date")))
    return TypedDocument(
        code, state, number, surname, given, born, nationality, {"M": "M", "F": "F"}.get(sex, "<"),
        expiry,
    )  # fmt: skip


def check_typed(typed: TypedDocument, *, as_of: date) -> DocumentCheck:
    """The ``DocumentCheck`` of a typed document: format ``typed``, well formed (each field
    was checked as typed: there is no MRZ to break ICAO 9303), expired when its expiry is
    before ``as_of``."""
    findings: list[Finding] = []
    if typed.birth_date is None:
        unknown = worded(N_("the birth date is unknown"))
        findings.append(
            Finding.worded(FindingCode.UNKNOWN_DATE, "birth_date", Severity.INFO, unknown)
        )
    expired = typed.expiry_date < as_of
    if expired:
        findings.append(expired_finding(typed.expiry_date, as_of))
    return DocumentCheck(
        format=MrzFormat.TYPED,
        well_formed=True,
        lines=(),
        findings=tuple(findings),
        document_code=typed.document_code,
        issuing_state=typed.issuing_state,
        document_number=typed.document_number,
        nationality=typed.nationality,
        surname=typed.surname,
        given_names=typed.given_names,
        birth_date=typed.birth_date,
        sex=typed.sex,
        expiry_date=typed.expiry_date,
        expired=expired,
    )
