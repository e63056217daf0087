"""Findings about single fields: characters, document code, names, dates, states, sex.

``check.py`` calls these on a parsed MRZ; each returns the findings of its field,
empty when the field is right. None of them looks at check digits.
"""

from __future__ import annotations

import re

from passerelle.documents.checksum import MRZ_CHARACTERS
from passerelle.documents.conventions import NATIONAL_DOCUMENT_CODES
from passerelle.documents.dates import DateReading
from passerelle.documents.findings import Finding, FindingCode, Severity
from passerelle.documents.layouts import Layout, locate
from passerelle.documents.parse import ParsedFields
from passerelle.documents.states import is_known_state, state_name

__all__ = [
    "NAME_DIGIT_LOOKALIKES",
    "character_findings",
    "date_findings",
    "missing_expiry_findings",
    "name_spans",
    "sex_findings",
    "state_findings",
]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
_DIGIT = re.compile("[0-9]")
_FIRST_ISSUE_YEAR = 1988
"""France's national card of this layout was issued from 1988 to 2021: '88-'99 are 19xx."""
NAME_DIGIT_LOOKALIKES = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
"""The letter a reader most likely took for each digit found in a name."""


def name_spans(layout: Layout) -> tuple[slice, ...]:
    """The spans of the MRZ that hold the holder's name."""
    return (layout.name,) if layout.given_names is None else (layout.name, layout.given_names)


def character_findings(parsed: ParsedFields, issuing_state: str) -> list[Finding]:
    """Characters an MRZ may not hold, the document code, and the name's letters."""
    layout, mrz = parsed.layout, parsed.mrz
    found: list[Finding] = []
    if not parsed.valid_characters:
        for offset, char in enumerate(mrz):
            if char not in MRZ_CHARACTERS:
                line, pos = locate(offset, layout.width)
                found.append(
                    Finding(
                        FindingCode.BAD_CHARACTER,
                        layout.field_at(offset),
                        E,
                        f"line {line} position {pos} holds {char!r}; an MRZ holds only "
                        "A-Z, 0-9 and '<'",
                    )
                )
    code = parsed.document_code
    if code[0] not in layout.first_letters:
        found.append(_document_code_finding(layout, code, issuing_state))
    if code[1] != "<" and not ("A" <= code[1] <= "Z"):
        found.append(
            Finding(
                FindingCode.BAD_CHARACTER,
                "document_code",
                E,
                f"document code {code!r}: its second character must be a letter or '<'",
            )
        )
    if layout.given_names is None:
        name = parsed.name_raw
        if name[-1] != "<" or _DIGIT.search(name):
            found += _name_character_findings(parsed, (layout.name,))
        return found
    spans = name_spans(layout)
    if any(mrz[span][-1] != "<" or _DIGIT.search(mrz[span]) for span in spans):
        found += _name_character_findings(parsed, spans)
    return found


def _document_code_finding(layout: Layout, code: str, issuing_state: str) -> Finding:
    allowed = " or ".join(layout.first_letters)
    national, documents = NATIONAL_DOCUMENT_CODES.get((layout.format, issuing_state), ("", ""))
    if code[0] in national:
        issuer = state_name(issuing_state) or issuing_state
        return Finding(
            FindingCode.ISSUER_PRACTICE,
            "document_code",
            W,
            f"document code {code!r}: ICAO 9303 lists {allowed} for the "
            f"{layout.format.value} size, but {issuer} ({issuing_state}) writes {code[0]!r} "
            f"on {documents} in this size; compare with the printed page",
        )
    return Finding(
        FindingCode.BAD_CHARACTER,
        "document_code",
        E,
        f"document code {code!r}: a {layout.description} starts with {allowed}",
    )


def _name_character_findings(parsed: ParsedFields, spans: tuple[slice, ...]) -> list[Finding]:
    layout, mrz = parsed.layout, parsed.mrz
    found: list[Finding] = []
    if any(mrz[span][-1] != "<" for span in spans):
        found.append(
            Finding(
                FindingCode.NAME_TRUNCATED,
                "given_names" if parsed.given_names else "surname",
                I,
                "the name fills its whole field and may be truncated: "
                "compare with the printed page",
            )
        )
    for index, span in enumerate(spans):
        if not _DIGIT.search(mrz[span]):
            continue
        start = span.start
        in_given = index > 0
        for offset in range(start, span.stop):
            char = mrz[offset]
            if char == "<" and mrz[offset - 1] == "<" and offset > start:
                in_given = True
            if "0" <= char <= "9":
                line, pos = locate(offset, layout.width)
                hint = NAME_DIGIT_LOOKALIKES.get(char)
                guess = f"; probably {hint!r} misread" if hint else ""
                found.append(
                    Finding(
                        FindingCode.BAD_CHARACTER,
                        "given_names" if in_given else "surname",
                        E,
                        f"line {line} position {pos} holds the digit {char!r} in the name, "
                        f"which is written in letters only{guess}",
                    )
                )
    return found


def date_findings(field: str, reading: DateReading, label: str) -> list[Finding]:
    if reading.error:
        return [Finding(FindingCode.INVALID_DATE, field, E, f"the {label} {reading.error}")]
    if reading.unknown:
        known = f"; the year is {reading.year}" if reading.year else ""
        return [
            Finding(
                FindingCode.UNKNOWN_DATE,
                field,
                I,
                f"the {label}'s {reading.unknown} "
                f"{'is' if reading.unknown != 'day and month' else 'are'} unknown{known}",
            )
        ]
    return []


def state_findings(field: str, raw: str, code: str) -> list[Finding]:
    if is_known_state(code):
        return []
    return [
        Finding(
            FindingCode.UNKNOWN_STATE,
            field,
            E,
            f"{raw!r} is neither an ISO 3166-1 alpha-3 code nor an ICAO 9303 code",
        )
    ]


def sex_findings(sex: str) -> list[Finding]:
    if sex in ("M", "F", "<"):
        return []
    if sex == "X":
        reason = "'X' belongs on the printed page only; an unspecified sex is '<' in the MRZ"
    else:
        reason = f"{sex!r} is not a sex: the MRZ allows M, F or '<'"
    return [Finding(FindingCode.BAD_SEX, "sex", E, reason)]


def missing_expiry_findings(parsed: ParsedFields) -> list[Finding]:
    """What to tell the examiner of a layout whose MRZ holds no expiry date.

    France's 1988-2021 card: its number opens with the year and month of issue; the
    card was valid 10 years, 15 when issued to an adult from 2004 (décret 2013-1188).
    """
    number = parsed.document_number
    issued = ""
    if len(number) >= 4 and number[:4].isdigit() and 1 <= int(number[2:4]) <= 12:
        century = 1900 if int(number[:2]) >= _FIRST_ISSUE_YEAR % 100 else 2000
        issued = f"its number says it was issued in {century + int(number[:2])}-{number[2:4]}; "
    return [
        Finding(
            FindingCode.UNKNOWN_DATE,
            "expiry_date",
            I,
            f"a {parsed.layout.description} holds no expiry date in its MRZ: {issued}"
            "read the expiry printed on the card (10 years from issue, 15 for an adult's "
            "card issued from 2004)",
        )
    ]
