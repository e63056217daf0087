"""Reading the fields of one JSON Lines record, with an error that names the field.

Bulk files come from other systems; every value is checked here and a bad one
raises ``InvalidInput(field, reason)``, which the loader turns into a rejected
line with its number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from passerelle.documents.states import KNOWN_CODES
from passerelle.exc import InvalidInput, shown_field_name
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.text import plain_text

__all__ = [
    "RESTRICTED_MATTERS",
    "document_number",
    "iso_date",
    "no_unknown_fields",
    "number_key",
    "one_of",
    "optional_text",
    "partial_date",
    "required_text",
    "restricted_matter",
    "says_nothing",
    "shareable",
    "state_code",
    "state_codes",
]


def says_nothing(text: str | None) -> bool:
    """Whether ``text`` holds no letter and no digit, in any script: blanks, zero-width
    spaces, direction marks, control characters or punctuation alone say nothing (a
    purpose of U+200B reads as empty in every record and page).

    >>> says_nothing("\u200b \u200f\t"), says_nothing("..."), says_nothing(None)
    (True, True, True)
    >>> says_nothing("تفتيش"), says_nothing("visa 42")
    (False, False)
    """
    return not text or not any(unicodedata.category(c)[0] in "LN" for c in text)


RESTRICTED_MATTERS = frozenset({"political", "military", "religious", "racial"})
"""Matters Interpol's Constitution (article 3) keeps out of police co-operation."""

_NUMBER = re.compile(r"[A-Z0-9]{1,24}")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def no_unknown_fields(record: Mapping[str, Any], allowed: Collection[str]) -> None:
    for name in record:
        if name not in allowed:
            raise InvalidInput(
                shown_field_name(name),
                worded(N_("unknown field (expected: %(value)s)"), value=", ".join(sorted(allowed))),
            )


def required_text(
    record: Mapping[str, Any], name: str, *, max_length: int = 256, multiline: bool = False
) -> str:
    """A non-blank string of at most ``max_length`` characters, stripped, holding no control
    character (line breaks and tabs pass when ``multiline``: see :mod:`records.text`)."""
    value = record.get(name)
    if value is None:
        raise InvalidInput(name, worded(N_("is required")))
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(name, worded(N_("must be a non-empty string")))
    if len(value) > max_length:
        raise InvalidInput(name, worded(N_("is longer than %(most)s characters"), most=max_length))
    return plain_text(name, value.strip(), multiline=multiline)


def optional_text(
    record: Mapping[str, Any], name: str, *, max_length: int = 256, multiline: bool = False
) -> str | None:
    if record.get(name) is None:
        return None
    return required_text(record, name, max_length=max_length, multiline=multiline)


def one_of(record: Mapping[str, Any], name: str, choices: Collection[str]) -> str:
    value = record.get(name)
    if not isinstance(value, str) or value not in choices:
        raise InvalidInput(
            name,
            worded(
                N_("%(value)s is not one of %(value2)s"),
                value=repr(value),
                value2=", ".join(sorted(choices)),
            ),
        )
    return value


def shareable(record: Mapping[str, Any]) -> bool:
    """The record's ``shareable`` flag: true when absent or null, else a JSON boolean."""
    value = record.get("shareable", True)
    if value is None:
        return True
    if not isinstance(value, bool):
        raise InvalidInput(
            "shareable", worded(N_("%(value)s must be true or false"), value=repr(value))
        )
    return value


def restricted_matter(record: Mapping[str, Any]) -> str | None:
    """The restricted matter the record concerns (:data:`RESTRICTED_MATTERS`), or None."""
    if record.get("restricted_matter") is None:
        return None
    return one_of(record, "restricted_matter", RESTRICTED_MATTERS)


def state_code(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise InvalidInput(
            name, worded(N_("is required: an ISO 3166-1 alpha-3 or ICAO state code"))
        )
    code = value.strip().upper().rstrip("<")
    if code not in KNOWN_CODES:
        raise InvalidInput(
            name,
            worded(
                N_("%(value)s is not an ISO 3166-1 alpha-3 or ICAO state code"), value=repr(value)
            ),
        )
    return code


def state_codes(record: Mapping[str, Any], name: str) -> list[str]:
    values = record.get(name, [])
    if not isinstance(values, list):
        raise InvalidInput(name, worded(N_("must be a list of state codes")))
    return [state_code({name: v}, name) for v in values]


def document_number(record: Mapping[str, Any], name: str = "document_number") -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise InvalidInput(name, worded(N_("is required: letters A-Z and digits, at most 24")))
    number = value.strip().upper()
    if not _NUMBER.fullmatch(number):
        raise InvalidInput(
            name,
            worded(N_("%(value)s must be letters A-Z and digits only, 1 to 24"), value=repr(value)),
        )
    return number


def iso_date(record: Mapping[str, Any], name: str, *, required: bool = True) -> date | None:
    value = record.get(name)
    if value is None:
        if required:
            raise InvalidInput(name, worded(N_("is required (YYYY-MM-DD)")))
        return None
    if not isinstance(value, str):
        raise InvalidInput(name, worded(N_("must be a date written YYYY-MM-DD")))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            name, worded(N_("%(value)s is not a real date (YYYY-MM-DD)"), value=repr(value))
        ) from None


def partial_date(record: Mapping[str, Any], name: str) -> tuple[str | None, int | None]:
    """A date that may be partial: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or null)."""
    value = record.get(name)
    if value is None:
        return None, None
    match = _PARTIAL_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidInput(
            name, worded(N_("%(value)s must be YYYY, YYYY-MM or YYYY-MM-DD"), value=repr(value))
        )
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InvalidInput(
            name, worded(N_("%(value)s is not a real date"), value=repr(value))
        ) from None
    if not 1850 <= int(year) <= 2200:
        raise InvalidInput(name, worded(N_("%(value)s is out of range"), value=repr(value)))
    return value, int(year)


_FOLD = str.maketrans({"O": "0", "I": "1"})


def number_key(number: str) -> str:
    """The lookup key of a document number: upper case, O read as 0 and I as 1.

    >>> number_key("ab1o2i34")
    'AB102134'
    """
    return number.strip().upper().translate(_FOLD)
