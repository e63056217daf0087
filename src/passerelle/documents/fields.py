"""Findings about single fields: characters, document code, names, dates, states, sex.

``check.py`` calls these on a parsed MRZ; each returns the findings of its field,
empty when the field is right. None of them looks at check digits.
"""

from __future__ import annotations

import re

from passerelle.documents.checksum import MRZ_CHARACTERS
from passerelle.documents.conventions import NATIONAL_DOCUMENT_CODES
from passerelle.documents.dates import DateReading
from passerelle.documents.findings import (
    Finding,
    FindingCode,
    Severity,
    field_name,
    layout_name,
)
from passerelle.documents.layouts import Layout, locate
from passerelle.documents.parse import ParsedFields
from passerelle.documents.states import is_known_state, stated
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

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
                said = worded(
                    N_(
                        "line %(line)s position %(position)s holds %(character)s; an MRZ holds "
                        "only A-Z, 0-9 and '<'"
                    ),
                    line=line,
                    position=pos,
                    character=repr(char),
                )
                found.append(
                    Finding.worded(FindingCode.BAD_CHARACTER, layout.field_at(offset), E, said)
                )
    code = parsed.document_code
    if code[0] not in layout.first_letters:
        found.append(_document_code_finding(layout, code, issuing_state))
    if code[1] != "<" and not ("A" <= code[1] <= "Z"):
        said = worded(
            N_("document code %(code)s: its second character must be a letter or '<'"),
            code=repr(code),
        )
        found.append(Finding.worded(FindingCode.BAD_CHARACTER, "document_code", E, said))
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
        issuer = stated(issuing_state, with_code=False)
        said = worded(
            N_(
                "document code %(code)s: ICAO 9303 lists %(allowed)s for the %(size)s size, but "
                "%(issuer)s (%(state)s) writes %(letter)s on %(documents)s in this size; "
                "compare with the printed page"
            ),
            code=repr(code),
            allowed=allowed,
            size=layout.format.value,
            issuer=issuer,
            state=issuing_state,
            letter=repr(code[0]),
            documents=worded(documents),
        )
        return Finding.worded(FindingCode.ISSUER_PRACTICE, "document_code", W, said)
    said = worded(
        N_("document code %(code)s: a %(layout)s starts with %(allowed)s"),
        code=repr(code),
        layout=layout_name(layout),
        allowed=allowed,
    )
    return Finding.worded(FindingCode.BAD_CHARACTER, "document_code", E, said)


def _name_character_findings(parsed: ParsedFields, spans: tuple[slice, ...]) -> list[Finding]:
    layout, mrz = parsed.layout, parsed.mrz
    found: list[Finding] = []
    if any(mrz[span][-1] != "<" for span in spans):
        found.append(
            Finding.worded(
                FindingCode.NAME_TRUNCATED,
                "given_names" if parsed.given_names else "surname",
                I,
                worded(
                    N_(
                        "the name fills its whole field and may be truncated: "
                        "compare with the printed page"
                    )
                ),
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
                said = worded(
                    N_(
                        "line %(line)s position %(position)s holds the digit %(digit)s in the "
                        "name, which is written in letters only; probably %(letter)s misread"
                    )
                    if hint
                    else N_(
                        "line %(line)s position %(position)s holds the digit %(digit)s in the "
                        "name, which is written in letters only"
                    ),
                    line=line,
                    position=pos,
                    digit=repr(char),
                    **({"letter": repr(hint)} if hint else {}),
                )
                field = "given_names" if in_given else "surname"
                found.append(Finding.worded(FindingCode.BAD_CHARACTER, field, E, said))
    return found


_UNKNOWN = {
    ("date", False): N_("the %(field)s's date is unknown"),
    ("date", True): N_("the %(field)s's date is unknown; the year is %(year)s"),
    ("day and month", False): N_("the %(field)s's day and month are unknown"),
    ("day and month", True): N_("the %(field)s's day and month are unknown; the year is %(year)s"),
    ("day", False): N_("the %(field)s's day is unknown"),
    ("day", True): N_("the %(field)s's day is unknown; the year is %(year)s"),
}
"""What is unknown of a date written with fillers, and whether its year is known."""


def date_findings(field: str, reading: DateReading) -> list[Finding]:
    """Why a date field gives no date: not a date (error), or parts unknown (info)."""
    name = field_name(field)
    said = reading.reason(name)
    if said is not None:
        return [Finding.worded(FindingCode.INVALID_DATE, field, E, said)]
    if reading.unknown:
        year = {"year": reading.year} if reading.year else {}
        template = _UNKNOWN[reading.unknown, bool(reading.year)]
        return [
            Finding.worded(FindingCode.UNKNOWN_DATE, field, I, worded(template, field=name, **year))
        ]
    return []


def state_findings(field: str, raw: str, code: str) -> list[Finding]:
    if is_known_state(code):
        return []
    said = worded(
        N_("%(code)s is neither an ISO 3166-1 alpha-3 code nor an ICAO 9303 code"), code=repr(raw)
    )
    return [Finding.worded(FindingCode.UNKNOWN_STATE, field, E, said)]


def sex_findings(sex: str) -> list[Finding]:
    if sex in ("M", "F", "<"):
        return []
    if sex == "X":
        said = worded(
            N_("'X' belongs on the printed page only; an unspecified sex is '<' in the MRZ")
        )
    else:
        said = worded(N_("%(sex)s is not a sex: the MRZ allows M, F or '<'"), sex=repr(sex))
    return [Finding.worded(FindingCode.BAD_SEX, "sex", E, said)]


def missing_expiry_findings(parsed: ParsedFields) -> list[Finding]:
    """What to tell the examiner of a layout whose MRZ holds no expiry date.

    France's 1988-2021 card: its number opens with the year and month of issue; the
    card was valid 10 years, 15 when issued to an adult from 2004 (décret 2013-1188).
    """
    number = parsed.document_number
    layout = layout_name(parsed.layout)
    if len(number) >= 4 and number[:4].isdigit() and 1 <= int(number[2:4]) <= 12:
        century = 1900 if int(number[:2]) >= _FIRST_ISSUE_YEAR % 100 else 2000
        said = worded(
            N_(
                "a %(layout)s holds no expiry date in its MRZ: its number says it was issued "
                "in %(issued)s; read the expiry printed on the card (10 years from issue, 15 "
                "for an adult's card issued from 2004)"
            ),
            layout=layout,
            issued=f"{century + int(number[:2])}-{number[2:4]}",
        )
    else:
        said = worded(
            N_(
                "a %(layout)s holds no expiry date in its MRZ: read the expiry printed on the "
                "card (10 years from issue, 15 for an adult's card issued from 2004)"
            ),
            layout=layout,
        )
    return [Finding.worded(FindingCode.UNKNOWN_DATE, "expiry_date", I, said)]
