"""Forgery indicators: an MRZ that obeys the letter of ICAO 9303 but no genuine document.

Each indicator is a ``suspicious`` finding (severity warning) naming its field
and a reason a second-line examiner can act on. None of them proves a
forgery; each says where to look.

* check digits that all pass but a composite that fails: lines edited after
  the MRZ was generated (e.g. line 2 of another document);
* specimen documents (ICAO's Utopia, well-known specimen numbers and names);
* a birth date on or after the expiry date; an expiry further ahead than any
  document of that format is issued for;
* fillers where no genuine document has them (inside a number, before a name,
  a second ``<<`` separator);
* state combinations no issuer produces (a "stateless" issuer, a British
  nationality status on a non-British document, ``DEU`` for Germany);
* document numbers made of one repeated character or a plain counting run.
"""

from __future__ import annotations

import re
from datetime import date

from passerelle.documents.dates import DateReading
from passerelle.documents.findings import Finding, FindingCode, Severity, layout_name
from passerelle.documents.parse import ParsedFields
from passerelle.documents.states import (
    BRITISH_STATUS_CODES,
    MRZ_SPELLING,
    PERSON_STATUS_CODES,
    SPECIMEN_CODES,
)
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = ["SPECIMEN_NAMES", "SPECIMEN_NUMBERS", "forgery_indicators"]

SPECIMEN_NUMBERS = frozenset(
    {
        "L898902C3",  # ICAO 9303 Part 4 TD3 specimen
        "L898902C",
        "D23145890",  # ICAO 9303 Part 5/6 TD1, TD2 specimens
        "D23145890734",  # ICAO 9303 Part 5 long-number specimen
        "L8988901C",  # ICAO 9303 Part 7 visa specimens
        "C01X00T47",  # German passport specimen (Mustermann)
        "L01X00T47",  # German identity card specimen
        "T22000129",  # German identity card specimen
    }
)
SPECIMEN_NAMES = frozenset({"SPECIMEN", "SPECIMAN", "MUSTERMANN", "MUSTERFRAU", "SPECIMENS"})
_COUNTING_RUNS = "01234567890 9876543210"
_SPECIMEN_NAME = re.compile(r"(?:^|<)(?:" + "|".join(sorted(SPECIMEN_NAMES)) + r")(?:<|$)")
_UNUSUAL_STATES = SPECIMEN_CODES | PERSON_STATUS_CODES | BRITISH_STATUS_CODES | set(MRZ_SPELLING)


def _suspicious(field: str, template: str, **parameters: str | int | Wording) -> Finding:
    said = worded(template, **parameters)
    return Finding.worded(FindingCode.SUSPICIOUS, field, Severity.WARNING, said)


def _state_indicators(issuing_state: str, nationality: str) -> list[Finding]:
    found: list[Finding] = []
    for field, code in (("issuing_state", issuing_state), ("nationality", nationality)):
        if code in SPECIMEN_CODES:
            found.append(
                _suspicious(
                    field, N_("%(code)s (Utopia) is used only on ICAO specimens"), code=code
                )
            )
        if code in MRZ_SPELLING:
            found.append(
                _suspicious(
                    field,
                    N_(
                        "%(code)s never appears in a genuine MRZ: that state writes "
                        "%(spelling)s padded with '<'"
                    ),
                    code=code,
                    spelling=repr(MRZ_SPELLING[code]),
                )
            )
    if issuing_state in PERSON_STATUS_CODES:
        found.append(
            _suspicious(
                "issuing_state",
                N_("%(code)s describes a holder (stateless, refugee), never an issuer"),
                code=issuing_state,
            )
        )
    if issuing_state in BRITISH_STATUS_CODES:
        found.append(
            _suspicious(
                "issuing_state",
                N_("%(code)s is a British nationality status, not an issuer"),
                code=issuing_state,
            )
        )
    if nationality in BRITISH_STATUS_CODES and issuing_state not in ("GBR", *BRITISH_STATUS_CODES):
        found.append(
            _suspicious(
                "nationality",
                N_("the British status %(code)s is documented only by GBR, not %(issuer)s"),
                code=nationality,
                issuer=issuing_state,
            )
        )
    return found


def _expires_too_late(parsed: ParsedFields, expiry: date, as_of: date) -> bool:
    limit = parsed.layout.max_validity_years + 1
    years_ahead = expiry.year - as_of.year
    return years_ahead > limit or (
        years_ahead == limit and (expiry.month, expiry.day) > (as_of.month, as_of.day)
    )


def forgery_indicators(
    parsed: ParsedFields,
    *,
    issuing_state: str,
    nationality: str,
    birth: DateReading,
    expiry: DateReading,
    only_composite_failed: bool,
    as_of: date,
) -> list[Finding]:
    """Every forgery indicator of one parsed MRZ, as ``suspicious`` findings.

    One pass of cheap tests; a finding and its message are built only when an
    indicator fires (this runs on every document a reader scans).
    """
    found: list[Finding] = []
    if only_composite_failed:
        found.append(
            _suspicious(
                "composite",
                N_(
                    "every field's check digit is right but the composite is wrong: "
                    "the lines were edited after the MRZ was made"
                ),
            )
        )
    number = parsed.document_number
    if number in SPECIMEN_NUMBERS:
        found.append(
            _suspicious(
                "document_number", N_("%(number)s is a published specimen number"), number=number
            )
        )
    if not number:
        found.append(_suspicious("document_number", N_("the document number is empty")))
    elif len(number) >= 6:
        if number.count(number[0]) == len(number):
            found.append(
                _suspicious("document_number", N_("the document number repeats a single character"))
            )
        elif number in _COUNTING_RUNS:
            found.append(
                _suspicious("document_number", N_("the document number is a plain counting run"))
            )
    if "<" in number:
        found.append(
            _suspicious(
                "document_number",
                N_("a filler '<' stands inside the document number; issuers pad only at the end"),
            )
        )
    name = parsed.name_raw
    if name[0] == "<":
        if name.strip("<"):
            found.append(_suspicious("surname", N_("the name field starts with a filler")))
        else:
            found.append(_suspicious("surname", N_("the name field is empty")))
    if "<<" in name.rstrip("<").partition("<<")[2]:
        found.append(
            _suspicious("given_names", N_("a second '<<' separator stands inside the given names"))
        )
    if ("SPECIM" in name or "MUSTER" in name) and _SPECIMEN_NAME.search(name):
        found.append(_suspicious("surname", N_("the holder's name is a specimen name")))
    if issuing_state in _UNUSUAL_STATES or nationality in _UNUSUAL_STATES:
        found += _state_indicators(issuing_state, nationality)
    expires = expiry.value
    if expires is not None:
        if birth.value is not None:
            if birth.value >= expires:
                found.append(
                    _suspicious("birth_date", N_("the holder is born on or after the expiry date"))
                )
        elif birth.year is not None and birth.year > expires.year:
            found.append(_suspicious("birth_date", N_("the holder is born after the expiry date")))
        if expires.year - as_of.year >= parsed.layout.max_validity_years + 1 and _expires_too_late(
            parsed, expires, as_of
        ):
            found.append(
                _suspicious(
                    "expiry_date",
                    N_("expires %(expiry)s: no %(layout)s is issued for more than %(years)s years"),
                    expiry=expires.isoformat(),
                    layout=layout_name(parsed.layout),
                    years=parsed.layout.max_validity_years,
                )
            )
    return found
