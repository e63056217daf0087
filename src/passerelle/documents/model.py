"""The result of checking one travel document: a frozen value, never a bare dict."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from passerelle.documents.findings import Finding, FindingCode, Severity
from passerelle.documents.layouts import MrzFormat

__all__ = ["DocumentCheck"]


class DocumentCheck(NamedTuple):
    """What the MRZ of one travel document says, and what is wrong with it.

    An immutable value (a ``NamedTuple``: one is built for every document a
    reader scans, and a named tuple costs a fifth of a frozen dataclass).

    Fields are ``None`` when the MRZ could not be laid out (unknown format, bad
    line lengths) and dates are ``None`` when they are invalid or unknown; the
    ``findings`` say why. ``well_formed`` holds when no finding is an error.
    TD1 cards have two optional data fields (``optional_data_1`` on line 1 after
    any document-number overflow, ``optional_data_2`` on line 2); other formats
    have ``optional_data``.
    """

    format: MrzFormat
    well_formed: bool
    lines: tuple[str, ...]
    findings: tuple[Finding, ...]
    document_code: str | None = None
    issuing_state: str | None = None
    document_number: str | None = None
    nationality: str | None = None
    surname: str | None = None
    given_names: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    expiry_date: date | None = None
    optional_data: str | None = None
    optional_data_1: str | None = None
    optional_data_2: str | None = None
    expired: bool | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def suspicious(self) -> bool:
        """True when any forgery indicator was found."""
        return any(f.code is FindingCode.SUSPICIOUS for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of the ``doc check`` contract (docs/documents.md), keys in its order."""
        out: dict[str, object] = {
            "format": self.format.value,
            "well_formed": self.well_formed,
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "surname": self.surname,
            "given_names": self.given_names,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
        }
        if self.format is MrzFormat.TD1:
            out["optional_data_1"] = self.optional_data_1
            out["optional_data_2"] = self.optional_data_2
        else:
            out["optional_data"] = self.optional_data
        out["expired"] = self.expired
        out["findings"] = [f.as_dict() for f in self.findings]
        return out
