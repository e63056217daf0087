"""What a document check found, in words an officer understands.

A finding names its ``code`` (stable, for machines), the ``field`` it concerns,
a ``severity`` and a ``message``. Severities:

``error``
    the MRZ breaks ICAO Doc 9303 (layout, character set, check digits, dates,
    state codes, sex): the document is not well formed.
``warning``
    the MRZ is well formed but something needs the officer's attention
    (an expired document, a forgery indicator: code ``suspicious``; a document
    code an issuer uses beyond ICAO's list: code ``issuer_practice``).
``info``
    context for the examiner (an unknown birth date, a truncated name, a
    probable reader misread with the correction that would explain it, an
    issuer's practice the check followed where ICAO 9303 is silent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

if TYPE_CHECKING:
    from passerelle.documents.layouts import Layout

__all__ = [
    "FIELD_NAMES",
    "Finding",
    "FindingCode",
    "OcrRepair",
    "Severity",
    "expired_finding",
    "field_name",
    "layout_name",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FindingCode(StrEnum):
    BAD_LENGTH = "bad_length"
    BAD_CHARACTER = "bad_character"
    UNKNOWN_FORMAT = "unknown_format"
    CHECK_DIGIT = "check_digit"
    INVALID_DATE = "invalid_date"
    UNKNOWN_DATE = "unknown_date"
    UNKNOWN_STATE = "unknown_state"
    EXPIRED = "expired"
    BAD_SEX = "bad_sex"
    NAME_TRUNCATED = "name_truncated"
    OCR_MISREAD = "ocr_misread"
    SUSPICIOUS = "suspicious"
    ISSUER_PRACTICE = "issuer_practice"


@dataclass(frozen=True, slots=True)
class OcrRepair:
    """One character that, read otherwise, makes every check of the MRZ pass.

    ``line`` and ``position`` are 1-based, as ICAO 9303 numbers them.
    """

    line: int
    position: int
    read: str
    proposed: str

    def as_dict(self) -> dict[str, int | str]:
        return {
            "line": self.line,
            "position": self.position,
            "read": self.read,
            "proposed": self.proposed,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a document check found: which field, how serious, and why.

    ``wording`` is the message as its sentence's template and parameters, to be written in
    the reader's language (``message`` is its English, as the API and the CLI give it).
    """

    code: FindingCode
    field: str
    severity: Severity
    message: str
    repair: OcrRepair | None = None
    wording: Wording | None = None

    @classmethod
    def worded(
        cls,
        code: FindingCode,
        field: str,
        severity: Severity,
        wording: Wording,
        repair: OcrRepair | None = None,
    ) -> Finding:
        """The finding that says ``wording`` (its English the ``message``)."""
        return cls(code, field, severity, wording.english, repair, wording)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code.value,
            "field": self.field,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.repair is not None:
            out["repair"] = self.repair.as_dict()
        return out


FIELD_NAMES: dict[str, str] = {
    "mrz": N_("mrz"),
    "document_code": N_("document code"),
    "issuing_state": N_("issuing state"),
    "document_number": N_("document number"),
    "nationality": N_("nationality"),
    "surname": N_("surname"),
    "given_names": N_("given names"),
    "birth_date": N_("birth date"),
    "sex": N_("sex"),
    "expiry_date": N_("expiry date"),
    "optional_data": N_("optional data"),
    "optional_data_1": N_("optional data 1"),
    "optional_data_2": N_("optional data 2"),
    "personal_number": N_("personal number"),
    "composite": N_("composite"),
    "line_1": N_("line 1"),
    "line_2": N_("line 2"),
    "line_3": N_("line 3"),
}
"""A document's fields as an officer names them (the English is the field with spaces)."""


def field_name(field: str) -> Wording | str:
    """The name of ``field`` to put into a sentence: a wording when the catalogues hold it,
    else the field with spaces (``date_of_issue`` -> ``date of issue``)."""
    name = FIELD_NAMES.get(field)
    return worded(name) if name is not None else field.replace("_", " ")


def layout_name(layout: Layout) -> Wording:
    """The kind of document a layout is, to put into a sentence (``passport (TD3, 2×44)``)."""
    return worded(layout.description)


def expired_finding(expiry: date, as_of: date) -> Finding:
    """The document expired before the day of the check (a warning: refer)."""
    return Finding.worded(
        FindingCode.EXPIRED,
        "expiry_date",
        Severity.WARNING,
        worded(
            N_("the document expired on %(expiry)s (checked as of %(as_of)s)"),
            expiry=expiry.isoformat(),
            as_of=as_of.isoformat(),
        ),
    )
