"""Misread proposals for the fields no check digit covers: state codes and names.

A state code that is no known code, or a name holding one digit, is an error.
When replacing one character by its look-alike gives a known state code, or a
name in letters only, while every check digit still passes, an ``ocr_misread``
finding proposes it, as for check digits (``repair.py``): never applied, the
error stays, the officer rescans.
"""

from __future__ import annotations

from passerelle.documents.fields import NAME_DIGIT_LOOKALIKES, name_spans
from passerelle.documents.findings import Finding, FindingCode, OcrRepair, Severity
from passerelle.documents.parse import ParsedFields, weighted_values
from passerelle.documents.repair import LOOKALIKES, passes, propose_substitutions
from passerelle.documents.states import KNOWN_CODES, state_name, stated
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, worded

__all__ = ["field_repair_findings"]


def _letters(read: str) -> str:
    return "".join(c for c in LOOKALIKES.get(read, "") if c.isalpha())


def _every_check_passes(parsed: ParsedFields, candidate: str) -> bool:
    totals = parsed.totals(weighted_values(candidate.encode("ascii")))
    for check, total in zip(parsed.checks, totals, strict=True):
        empty = check.empty_may_be_zero and not check.read(candidate).strip("<")
        if not passes(
            total, candidate[check.digit], empty=empty, empty_may_be_zero=check.empty_may_be_zero
        ):
            return False
    return True


def _state_repairs(parsed: ParsedFields, field: str, span: slice) -> list[Finding]:
    layout = parsed.layout

    def known(candidate: str) -> bool:
        return candidate[span].rstrip("<") in KNOWN_CODES and _every_check_passes(parsed, candidate)

    repairs = propose_substitutions(
        parsed.mrz,
        range(span.start, span.stop),
        width=layout.width,
        choices=_letters,
        accept=known,
    )
    return [_state_finding(parsed, field, span, r) for r in repairs]


def _state_finding(parsed: ParsedFields, field: str, span: slice, repair: OcrRepair) -> Finding:
    offset = (repair.line - 1) * parsed.layout.width + repair.position - 1
    mrz = parsed.mrz
    code = (mrz[:offset] + repair.proposed + mrz[offset + 1 :])[span].rstrip("<")
    name = state_name(code)
    if name:
        template = N_(
            "reading %(read)s at line %(line)s position %(position)s as %(proposed)s gives the "
            "known code %(code)s (%(state)s), and every check digit still passes: probably a "
            "reader misread; rescan before acting"
        )
        return _finding(field, repair, template, code=code, state=stated(code, with_code=False))
    template = N_(
        "reading %(read)s at line %(line)s position %(position)s as %(proposed)s gives the "
        "known code %(code)s, and every check digit still passes: probably a reader misread; "
        "rescan before acting"
    )
    return _finding(field, repair, template, code=code)


def _name_repairs(parsed: ParsedFields) -> list[Finding]:
    layout, mrz = parsed.layout, parsed.mrz
    digits = [
        offset
        for span in name_spans(layout)
        for offset in range(span.start, span.stop)
        if "0" <= mrz[offset] <= "9"
    ]
    if len(digits) != 1:
        return []  # one substitution cannot explain two digits
    repairs = propose_substitutions(
        mrz,
        digits,
        width=layout.width,
        choices=lambda read: NAME_DIGIT_LOOKALIKES.get(read, ""),
        accept=lambda candidate: _every_check_passes(parsed, candidate),
    )
    return [
        _finding(
            layout.field_at(digits[0]) if layout.given_names else _name_field(parsed, digits[0]),
            r,
            N_(
                "reading %(read)s at line %(line)s position %(position)s as %(proposed)s writes "
                "the name in letters only, and every check digit still passes: probably a "
                "reader misread; rescan before acting"
            ),
        )
        for r in repairs
    ]


def _name_field(parsed: ParsedFields, offset: int) -> str:
    name = parsed.layout.name
    return "given_names" if "<<" in parsed.mrz[name.start : offset] else "surname"


def _finding(field: str, repair: OcrRepair, template: str, **more: Parameter) -> Finding:
    said = worded(
        template,
        read=repr(repair.read),
        line=repair.line,
        position=repair.position,
        proposed=repr(repair.proposed),
        **more,
    )
    return Finding.worded(FindingCode.OCR_MISREAD, field, Severity.INFO, said, repair=repair)


def field_repair_findings(parsed: ParsedFields, findings: list[Finding]) -> list[Finding]:
    """``ocr_misread`` proposals for the unknown state codes and digit-bearing names
    among ``findings``, on an MRZ whose check digits all pass."""
    unknown_states = {f.field for f in findings if f.code is FindingCode.UNKNOWN_STATE}
    found: list[Finding] = []
    layout = parsed.layout
    for field, span in (
        ("issuing_state", layout.issuing_state),
        ("nationality", layout.nationality),
    ):
        if field in unknown_states:
            found += _state_repairs(parsed, field, span)
    codes = {f.code for f in findings if f.is_error}
    if FindingCode.BAD_CHARACTER in codes and parsed.valid_characters:
        found += _name_repairs(parsed)
    return found
