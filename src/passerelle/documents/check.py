"""Checking a travel document's MRZ the way a border officer's reader must.

``check_mrz`` never raises on any input string: everything wrong with the MRZ
becomes a finding (see ``findings.py``). ``read_mrz`` is the strict form for
callers that want an exception when the MRZ is not well formed.
"""

from __future__ import annotations

import re
from datetime import date

from passerelle.documents.checksum import MRZ_CHARACTERS, weighted_sum
from passerelle.documents.dates import DateReading, read_mrz_date
from passerelle.documents.findings import Finding, FindingCode, Severity
from passerelle.documents.indicators import forgery_indicators
from passerelle.documents.layouts import LAYOUTS, Layout, MrzFormat, locate
from passerelle.documents.model import DocumentCheck
from passerelle.documents.parse import (
    STANDARD_CHECKS,
    DigitCheck,
    ParsedFields,
    parse_fields,
    weighted_values,
)
from passerelle.documents.repair import passes, propose_repairs
from passerelle.documents.states import KNOWN_CODES, is_known_state
from passerelle.documents.text import normalise_lines
from passerelle.exc import InvalidDocument

__all__ = ["check_mrz", "read_mrz"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
_BY_SHAPE: dict[tuple[int, int], tuple[Layout, Layout]] = {
    (3, 30): (LAYOUTS[MrzFormat.TD1], LAYOUTS[MrzFormat.TD1]),
    (2, 36): (LAYOUTS[MrzFormat.TD2], LAYOUTS[MrzFormat.MRVB]),
    (2, 44): (LAYOUTS[MrzFormat.TD3], LAYOUTS[MrzFormat.MRVA]),
}
_CHECK_LABELS = {
    "document_number": "document number",
    "birth_date": "birth date",
    "expiry_date": "expiry date",
    "optional_data": "personal number",
    "composite": "composite",
}
_SHAPES = "3 lines of 30 (TD1), 2 lines of 36 (TD2, MRV-B) or 2 lines of 44 (TD3, MRV-A)"
_DIGIT = re.compile("[0-9]")
_SEXES = frozenset("MF<")
_NAME_DIGIT_LOOKALIKES = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}


def _choose_layout(lines: tuple[str, ...]) -> tuple[Layout | None, list[Finding]]:
    """The layout for these lines, or why there is none (findings)."""
    if not lines:
        return None, [Finding(FindingCode.UNKNOWN_FORMAT, "mrz", E, "no MRZ text was given")]
    pair = _BY_SHAPE.get((len(lines), len(lines[0])))
    if pair is not None and len(set(map(len, lines))) == 1:
        return (pair[1] if lines[0][0] == "V" else pair[0]), []
    widths = [len(line) for line in lines]
    near = [
        layouts
        for (count, width), layouts in _BY_SHAPE.items()
        if count == len(lines) and all(abs(w - width) <= 3 for w in widths)
    ]
    if len(near) != 1:
        shape = " + ".join(str(w) for w in widths)
        return None, [
            Finding(
                FindingCode.UNKNOWN_FORMAT,
                "mrz",
                E,
                f"{len(lines)} line(s) of {shape} characters: an MRZ has {_SHAPES}",
            )
        ]
    layout = near[0][1] if lines[0][:1] == "V" else near[0][0]
    return layout, [
        Finding(
            FindingCode.BAD_LENGTH,
            f"line_{n}",
            E,
            f"line {n} has {w} characters; a {layout.description} line has {layout.width}",
        )
        for n, w in enumerate(widths, start=1)
        if w != layout.width
    ]


def _character_findings(parsed: ParsedFields) -> list[Finding]:
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
        allowed = " or ".join(layout.first_letters)
        found.append(
            Finding(
                FindingCode.BAD_CHARACTER,
                "document_code",
                E,
                f"document code {code!r}: a {layout.description} starts with {allowed}",
            )
        )
    if code[1] != "<" and not ("A" <= code[1] <= "Z"):
        found.append(
            Finding(
                FindingCode.BAD_CHARACTER,
                "document_code",
                E,
                f"document code {code!r}: its second character must be a letter or '<'",
            )
        )
    name = parsed.name_raw
    if name[-1] != "<" or _DIGIT.search(name):
        found += _name_character_findings(parsed)
    return found


def _name_character_findings(parsed: ParsedFields) -> list[Finding]:
    layout = parsed.layout
    found: list[Finding] = []
    if parsed.name_raw[-1] != "<":
        found.append(
            Finding(
                FindingCode.NAME_TRUNCATED,
                "given_names" if parsed.given_names else "surname",
                I,
                "the name fills its whole field and may be truncated: "
                "compare with the printed page",
            )
        )
    if not _DIGIT.search(parsed.name_raw):
        return found
    start = layout.name.start
    in_given = False
    for offset in range(start, layout.name.stop):
        char = parsed.mrz[offset]
        if char == "<" and parsed.mrz[offset - 1] == "<" and offset > start:
            in_given = True
        if "0" <= char <= "9":
            line, pos = locate(offset, layout.width)
            hint = _NAME_DIGIT_LOOKALIKES.get(char)
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


def _check_digit_findings(
    parsed: ParsedFields,
) -> tuple[list[Finding], list[str], list[int] | None]:
    """Findings for failed check digits, the checks that failed, and every check's sum.

    The sums (mod 10) come only when the MRZ holds nothing but MRZ characters.
    """
    mrz = parsed.mrz
    found: list[Finding] = []
    failed: list[str] = []
    totals: list[int] | None = None
    if parsed.valid_characters:
        raw = mrz.encode("ascii")
        totals = parsed.totals(weighted_values(raw))
        if [total % 10 + 48 for total in totals] == [raw[c.digit] for c in parsed.checks]:
            return found, failed, totals
        wrong: list[tuple[DigitCheck, int | None]] = [
            (check, total)
            for check, total in zip(parsed.checks, totals, strict=True)
            if total % 10 != raw[check.digit] - 48
        ]
    else:
        wrong = [(check, weighted_sum(check.read(mrz))) for check in parsed.checks]
    for check, total in wrong:
        digit = mrz[check.digit]
        if check.empty_may_be_zero and digit == "<" and not check.read(mrz).strip("<"):
            continue
        if total is not None and passes(total, digit, empty=False, empty_may_be_zero=False):
            continue
        failed.append(check.field)
        label = _CHECK_LABELS[check.field]
        if total is None:
            reason = f"the {label} cannot be verified: it holds characters an MRZ may not hold"
        else:
            reason = f"the {label} check digit reads {digit!r} but the data gives {total % 10}"
        found.append(Finding(FindingCode.CHECK_DIGIT, check.field, E, reason))
    return found, failed, totals


def _date_findings(field: str, reading: DateReading, label: str) -> list[Finding]:
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


def _state_findings(field: str, raw: str, code: str) -> list[Finding]:
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


def _sex_findings(sex: str) -> list[Finding]:
    if sex in ("M", "F", "<"):
        return []
    if sex == "X":
        reason = "'X' belongs on the printed page only; an unspecified sex is '<' in the MRZ"
    else:
        reason = f"{sex!r} is not a sex: the MRZ allows M, F or '<'"
    return [Finding(FindingCode.BAD_SEX, "sex", E, reason)]


def _date_offsets(layout: Layout) -> tuple[range, range]:
    return (
        range(*layout.birth_date.indices(layout.size)),
        range(*layout.expiry_date.indices(layout.size)),
    )


_DATE_OFFSETS = {fmt: _date_offsets(layout) for fmt, layout in LAYOUTS.items()}
_NUMERIC_OFFSETS = {
    fmt: frozenset([*births, *expiries] + [c.digit for c in STANDARD_CHECKS[fmt]])
    for fmt, (births, expiries) in _DATE_OFFSETS.items()
}


def _repair_findings(parsed: ParsedFields, totals: list[int], as_of: date) -> list[Finding]:
    layout = parsed.layout
    births, expiries = _DATE_OFFSETS[layout.format]
    numeric = _NUMERIC_OFFSETS[layout.format].union(c.digit for c in parsed.checks)

    def date_stays_real(offset: int, candidate: str) -> bool:
        if offset in births:
            return read_mrz_date(candidate[layout.birth_date], "birth", as_of=as_of).error is None
        if offset in expiries:
            expiry = candidate[layout.expiry_date]
            return read_mrz_date(expiry, "expiry", as_of=as_of).error is None
        return True

    repairs = propose_repairs(
        parsed.mrz,
        parsed.checks,
        totals,
        width=layout.width,
        numeric_offsets=numeric,
        date_is_valid=date_stays_real,
    )
    return [
        Finding(
            FindingCode.OCR_MISREAD,
            layout.field_at((r.line - 1) * layout.width + r.position - 1),
            I,
            f"reading {r.read!r} at line {r.line} position {r.position} as {r.proposed!r} makes "
            "every check digit pass: probably a reader misread; rescan before acting",
            repair=r,
        )
        for r in repairs
    ]


def _check_parsed(parsed: ParsedFields, lines: tuple[str, ...], as_of: date) -> DocumentCheck:
    layout = parsed.layout
    findings = _character_findings(parsed)
    digit_findings, failed, totals = _check_digit_findings(parsed)
    findings += digit_findings
    birth = read_mrz_date(parsed.birth_raw, "birth", as_of=as_of)
    expiry = read_mrz_date(parsed.expiry_raw, "expiry", as_of=as_of)
    if birth.value is None:
        findings += _date_findings("birth_date", birth, "birth date")
    if expiry.value is None:
        findings += _date_findings("expiry_date", expiry, "expiry date")
    if parsed.sex not in _SEXES:
        findings += _sex_findings(parsed.sex)
    issuing_state = parsed.issuing_state_raw.rstrip("<")
    nationality = parsed.nationality_raw.rstrip("<")
    if issuing_state not in KNOWN_CODES:
        findings += _state_findings("issuing_state", parsed.issuing_state_raw, issuing_state)
    if nationality not in KNOWN_CODES:
        findings += _state_findings("nationality", parsed.nationality_raw, nationality)
    if failed:
        repairs = _repair_findings(parsed, totals, as_of) if totals is not None else []
        if not repairs:
            for i, finding in enumerate(findings):
                if finding.code is FindingCode.CHECK_DIGIT:
                    findings[i] = Finding(
                        finding.code, finding.field, finding.severity,
                        finding.message + "; no single reader misread explains it: rescan, "
                        "and if it persists examine the document",
                    )  # fmt: skip
        findings += repairs
    findings += forgery_indicators(
        parsed,
        issuing_state=issuing_state,
        nationality=nationality,
        birth=birth,
        expiry=expiry,
        only_composite_failed=failed == ["composite"],
        as_of=as_of,
    )
    expired: bool | None = None
    if expiry.value is not None:
        expired = expiry.value < as_of
        if expired:
            findings.append(
                Finding(
                    FindingCode.EXPIRED,
                    "expiry_date",
                    W,
                    f"the document expired on {expiry.value.isoformat()} "
                    f"(checked as of {as_of.isoformat()})",
                )
            )
    td1 = layout.format is MrzFormat.TD1
    optional = parsed.optional_data
    return DocumentCheck(  # positional: this runs for every document scanned
        layout.format,
        not findings or not any(f.severity is E for f in findings),
        lines,
        tuple(findings),
        parsed.document_code.rstrip("<"),
        issuing_state,
        parsed.document_number,
        nationality,
        parsed.surname,
        parsed.given_names,
        birth.value,
        parsed.sex,
        expiry.value,
        None if td1 else optional[0],
        optional[0] if td1 else None,
        optional[1] if td1 else None,
        expired,
    )


def check_mrz(text: str, *, as_of: date) -> DocumentCheck:
    """Read and check one document's MRZ (ICAO Doc 9303 TD1, TD2, TD3, MRV-A, MRV-B).

    ``as_of`` is the day of the check: it decides expiry and the century of
    birth dates. Never raises for any string; problems become findings.

    >>> r = check_mrz(
    ...     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\\n"
    ...     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ...     as_of=date(2026, 1, 1),
    ... )
    >>> r.format, r.well_formed, r.document_number, r.birth_date, r.expired
    (<MrzFormat.TD3: 'TD3'>, True, 'L898902C3', datetime.date(1974, 8, 12), True)
    """
    lines = normalise_lines(text)
    layout, findings = _choose_layout(lines)
    if layout is None or findings:
        return DocumentCheck(
            format=layout.format if layout else MrzFormat.UNKNOWN,
            well_formed=False,
            lines=lines,
            findings=tuple(findings),
        )
    return _check_parsed(parse_fields("".join(lines), layout), lines, as_of)


def read_mrz(text: str, *, as_of: date) -> DocumentCheck:
    """Like ``check_mrz`` but raise ``InvalidDocument`` (field, reason) unless well formed."""
    result = check_mrz(text, as_of=as_of)
    if not result.well_formed:
        first = result.errors[0]
        raise InvalidDocument(first.field, first.message)
    return result
