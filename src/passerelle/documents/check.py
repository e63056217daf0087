"""Checking a travel document's MRZ the way a border officer's reader must.

``check_mrz`` never raises on any input string: everything wrong with the MRZ
becomes a finding (see ``findings.py``). ``read_mrz`` is the strict form for
callers that want an exception when the MRZ is not well formed.
"""

from __future__ import annotations

from datetime import date

from passerelle.documents.checksum import weighted_sum
from passerelle.documents.conventions import FILLER_COUNTED_NUMBER, NATIONAL_LAYOUTS
from passerelle.documents.dates import DateReading, read_mrz_date
from passerelle.documents.fields import (
    character_findings,
    date_findings,
    missing_expiry_findings,
    sex_findings,
    state_findings,
)
from passerelle.documents.findings import (
    Finding,
    FindingCode,
    Severity,
    expired_finding,
    field_name,
    layout_name,
)
from passerelle.documents.indicators import forgery_indicators
from passerelle.documents.layouts import LAYOUTS, Layout, MrzFormat
from passerelle.documents.misreads import field_repair_findings
from passerelle.documents.model import DocumentCheck
from passerelle.documents.parse import (
    STANDARD_CHECKS,
    DigitCheck,
    ParsedFields,
    filler_counted,
    parse_fields,
    weighted_values,
)
from passerelle.documents.repair import passes, propose_repairs
from passerelle.documents.states import KNOWN_CODES
from passerelle.documents.text import normalise_lines
from passerelle.exc import InvalidDocument
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = ["check_mrz", "read_mrz"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
_BY_SHAPE: dict[tuple[int, int], tuple[Layout, Layout]] = {
    (3, 30): (LAYOUTS[MrzFormat.TD1], LAYOUTS[MrzFormat.TD1]),
    (2, 36): (LAYOUTS[MrzFormat.TD2], LAYOUTS[MrzFormat.MRVB]),
    (2, 44): (LAYOUTS[MrzFormat.TD3], LAYOUTS[MrzFormat.MRVA]),
}
_CHECK_LABELS = {
    "document_number": "document_number",
    "birth_date": "birth_date",
    "expiry_date": "expiry_date",
    "optional_data": "personal_number",
    "composite": "composite",
}
"""The field whose name a check digit's finding gives (``findings.FIELD_NAMES``)."""
_UNVERIFIABLE = N_("the %(field)s cannot be verified: it holds characters an MRZ may not hold")
_DIGIT_WRONG = N_("the %(field)s check digit reads %(read)s but the data gives %(computed)s")
_UNEXPLAINED = {
    _UNVERIFIABLE: N_(
        "the %(field)s cannot be verified: it holds characters an MRZ may not hold; no single "
        "reader misread explains it: rescan, and if it persists examine the document"
    ),
    _DIGIT_WRONG: N_(
        "the %(field)s check digit reads %(read)s but the data gives %(computed)s; no single "
        "reader misread explains it: rescan, and if it persists examine the document"
    ),
}
_SEXES = frozenset("MF<")
_NO_DATE = DateReading(None)


def _choose_layout(lines: tuple[str, ...]) -> tuple[Layout | None, list[Finding]]:
    """The layout for these lines, or why there is none (findings)."""
    if not lines:
        said = worded(N_("no MRZ text was given"))
        return None, [Finding.worded(FindingCode.UNKNOWN_FORMAT, "mrz", E, said)]
    count, width = len(lines), len(lines[0])
    pair = _BY_SHAPE.get((count, width))
    if pair is not None and len(set(map(len, lines))) == 1:
        national = NATIONAL_LAYOUTS.get((count, width, lines[0][:5]))
        if national is not None:
            return LAYOUTS[national], []
        return (pair[1] if lines[0][0] == "V" else pair[0]), []
    widths = [len(line) for line in lines]
    near = [
        layouts
        for (lines_count, line_width), layouts in _BY_SHAPE.items()
        if lines_count == count and all(abs(w - line_width) <= 3 for w in widths)
    ]
    if len(near) != 1:
        shape = " + ".join(str(w) for w in widths)
        said = worded(
            N_(
                "%(count)s line(s) of %(widths)s characters: an MRZ has 3 lines of 30 (TD1), "
                "2 lines of 36 (TD2, MRV-B) or 2 lines of 44 (TD3, MRV-A)"
            ),
            count=len(lines),
            widths=shape,
        )
        return None, [Finding.worded(FindingCode.UNKNOWN_FORMAT, "mrz", E, said)]
    layout = near[0][1] if lines[0][:1] == "V" else near[0][0]
    return layout, [
        Finding.worded(
            FindingCode.BAD_LENGTH,
            f"line_{n}",
            E,
            worded(
                N_("line %(line)s has %(count)s characters; a %(layout)s line has %(width)s"),
                line=n,
                count=w,
                layout=layout_name(layout),
                width=layout.width,
            ),
        )
        for n, w in enumerate(widths, start=1)
        if w != layout.width
    ]


def _unexplained(said: Wording) -> Wording:
    """A check digit's finding that no single reader misread explains, saying so."""
    return Wording(_UNEXPLAINED.get(said.template, said.template), said.parameters)


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
        label = field_name(_CHECK_LABELS[check.field])
        if total is None:
            reason = worded(_UNVERIFIABLE, field=label)
        else:
            reason = worded(_DIGIT_WRONG, field=label, read=repr(digit), computed=total % 10)
        found.append(Finding.worded(FindingCode.CHECK_DIGIT, check.field, E, reason))
    return found, failed, totals


def _date_offsets(layout: Layout) -> tuple[range, range]:
    expiry = layout.expiry_date
    return (
        range(*layout.birth_date.indices(layout.size)),
        range(0) if expiry is None else range(*expiry.indices(layout.size)),
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
        if offset in expiries and layout.expiry_date is not None:
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
        Finding.worded(
            FindingCode.OCR_MISREAD,
            layout.field_at((r.line - 1) * layout.width + r.position - 1),
            I,
            worded(
                N_(
                    "reading %(read)s at line %(line)s position %(position)s as %(proposed)s "
                    "makes every check digit pass: probably a reader misread; rescan before acting"
                ),
                read=repr(r.read),
                line=r.line,
                position=r.position,
                proposed=repr(r.proposed),
            ),
            repair=r,
        )
        for r in repairs
    ]


def _number_checked_as_issued(
    parsed: ParsedFields,
    digit_findings: list[Finding],
    failed: list[str],
    totals: list[int] | None,
) -> tuple[ParsedFields, list[Finding], list[str], list[int] | None]:
    """A long document number whose check digit failed the ICAO 9303 reading: read as its
    issuers compute it (filler counted) when that passes, else the ICAO verdict stands."""
    issued = filler_counted(parsed)
    issued_findings, issued_failed, issued_totals = _check_digit_findings(issued)
    if "document_number" not in issued_failed:
        note = Finding.worded(
            FindingCode.ISSUER_PRACTICE, "document_number", I, worded(FILLER_COUNTED_NUMBER)
        )
        return issued, [note, *issued_findings], issued_failed, issued_totals
    return parsed, digit_findings, failed, totals


def _check_parsed(parsed: ParsedFields, lines: tuple[str, ...], as_of: date) -> DocumentCheck:
    layout = parsed.layout
    issuing_state = parsed.issuing_state_raw.rstrip("<")
    nationality = parsed.nationality_raw.rstrip("<")
    findings = character_findings(parsed, issuing_state)
    digit_findings, failed, totals = _check_digit_findings(parsed)
    if failed and parsed.number_overflows and "document_number" in failed:
        parsed, digit_findings, failed, totals = _number_checked_as_issued(
            parsed, digit_findings, failed, totals
        )
    findings += digit_findings
    birth = read_mrz_date(parsed.birth_raw, "birth", as_of=as_of)
    if layout.expiry_date is None:
        expiry = _NO_DATE
        findings += missing_expiry_findings(parsed)
    else:
        expiry = read_mrz_date(parsed.expiry_raw, "expiry", as_of=as_of)
    if birth.value is None:
        findings += date_findings("birth_date", birth)
    if expiry.value is None and layout.expiry_date is not None:
        findings += date_findings("expiry_date", expiry)
    if parsed.sex not in _SEXES:
        findings += sex_findings(parsed.sex)
    if issuing_state not in KNOWN_CODES:
        findings += state_findings("issuing_state", parsed.issuing_state_raw, issuing_state)
    if nationality not in KNOWN_CODES:
        findings += state_findings("nationality", parsed.nationality_raw, nationality)
    if findings and not failed and totals is not None and any(f.is_error for f in findings):
        findings += field_repair_findings(parsed, findings)
    if failed:
        repairs = _repair_findings(parsed, totals, as_of) if totals is not None else []
        if not repairs:
            for i, finding in enumerate(findings):
                if finding.code is FindingCode.CHECK_DIGIT and finding.wording is not None:
                    findings[i] = Finding.worded(
                        finding.code, finding.field, finding.severity, _unexplained(finding.wording)
                    )
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
            findings.append(expired_finding(expiry.value, as_of))
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
    """Read and check one document's MRZ (ICAO Doc 9303 TD1, TD2, TD3, MRV-A, MRV-B;
    France's national identity card of 1988-2021).

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
