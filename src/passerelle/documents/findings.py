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
from enum import StrEnum

__all__ = ["Finding", "FindingCode", "OcrRepair", "Severity"]


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
    """One thing a document check found: which field, how serious, and why."""

    code: FindingCode
    field: str
    severity: Severity
    message: str
    repair: OcrRepair | None = None

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
