"""Telling a reader's misread apart from a forged number.

OCR readers confuse look-alike characters (O/0, I/1, B/8, S/5, Z/2, G/6, Q/0,
D/0). When a check digit fails, every single substitution among look-alikes
is tried, and those that make *every* check digit pass (and leave the dates
real) are proposed. They are findings for the officer, never applied: one
proposal suggests a misread and a rescan; none suggests an altered MRZ.

The search is incremental: only positions covered by every failing check digit
are candidates, and a candidate updates the weighted sums of just the checks
that cover it, so a failing document costs microseconds, not a re-parse per
candidate. Checks that do not cover a candidate keep their verdict.

No check digit covers a state code or a name. There ``propose_substitutions``
tries the look-alikes of the offending characters and keeps those the caller
accepts: a state code that becomes a known code, a name whose one digit becomes
the letter it resembles, with every check digit still passing.

Limits of the standard: a G/6 swap changes a character's value by 10, which
no 7-3-1 check digit can see; it is caught only where a digit is required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from passerelle.documents.checksum import CHARACTER_VALUES
from passerelle.documents.findings import OcrRepair
from passerelle.documents.parse import DigitCheck

__all__ = ["LOOKALIKES", "passes", "propose_repairs", "propose_substitutions"]

LOOKALIKES: dict[str, str] = {
    "O": "0", "Q": "0", "D": "0", "0": "ODQ",
    "I": "1", "1": "I",
    "B": "8", "8": "B",
    "S": "5", "5": "S",
    "Z": "2", "2": "Z",
    "G": "6", "6": "G",
}  # fmt: skip


def passes(total: int | None, digit: str, *, empty: bool, empty_may_be_zero: bool) -> bool:
    """Whether a check digit character agrees with the weighted sum of its data."""
    if empty and empty_may_be_zero and digit in "<0":
        return True
    return total is not None and "0" <= digit <= "9" and total % 10 == ord(digit) - 48


def propose_repairs(
    mrz: str,
    checks: Iterable[DigitCheck],
    totals: list[int],
    *,
    width: int,
    numeric_offsets: frozenset[int],
    date_is_valid: Callable[[int, str], bool],
) -> list[OcrRepair]:
    """Single look-alike substitutions that make every check digit of ``mrz`` pass.

    ``totals`` are the checks' weighted sums (mod 10) for an MRZ of MRZ characters
    only; ``numeric_offsets`` are positions where only digits belong (dates, check
    digits); ``date_is_valid(offset, candidate)`` re-reads the date a candidate touches.
    """
    checks = tuple(checks)
    empties = [check.empty_may_be_zero and not check.read(mrz).strip("<") for check in checks]
    failing = [
        i
        for i, check in enumerate(checks)
        if not passes(
            totals[i], mrz[check.digit], empty=empties[i], empty_may_be_zero=check.empty_may_be_zero
        )
    ]
    if not failing:
        return []
    # A repair must mend the first failing check: test that in O(1) before the rest.
    lead = checks[failing[0]]
    lead_total, lead_digit = totals[failing[0]], mrz[lead.digit]
    repairs: list[OcrRepair] = []
    for offset in sorted(frozenset.intersection(*(checks[i].coverage for i in failing))):
        read = mrz[offset]
        proposals = LOOKALIKES.get(read)
        if not proposals:
            continue
        for proposed in proposals:
            if offset in numeric_offsets and not proposed.isdigit():
                continue
            delta = CHARACTER_VALUES[proposed] - CHARACTER_VALUES[read]
            if offset == lead.digit:
                if not passes(lead_total, proposed, empty=False, empty_may_be_zero=False):
                    continue
            elif (lead_total + delta * lead.weights[offset]) % 10 != ord(lead_digit) - 48:
                continue
            if _mends_every_check(mrz, checks, totals, empties, offset, proposed, delta) and (
                date_is_valid(offset, mrz[:offset] + proposed + mrz[offset + 1 :])
            ):
                line, position = divmod(offset, width)
                repairs.append(OcrRepair(line + 1, position + 1, read, proposed))
    return repairs


def _mends_every_check(
    mrz: str,
    checks: tuple[DigitCheck, ...],
    totals: list[int],
    empties: list[bool],
    offset: int,
    proposed: str,
    delta: int,
) -> bool:
    """Whether reading ``proposed`` at ``offset`` makes every check that sees it pass."""
    for i, check in enumerate(checks):
        if offset not in check.coverage:
            continue
        is_digit = offset == check.digit
        if not passes(
            totals[i] + (0 if is_digit else delta * check.weights[offset]),
            proposed if is_digit else mrz[check.digit],
            empty=empties[i],
            empty_may_be_zero=check.empty_may_be_zero,
        ):
            return False
    return True


def propose_substitutions(
    mrz: str,
    offsets: Iterable[int],
    *,
    width: int,
    choices: Callable[[str], str],
    accept: Callable[[str], bool],
) -> list[OcrRepair]:
    """Single substitutions at ``offsets`` (among ``choices(read)``) that ``accept`` takes.

    ``accept(candidate)`` sees the whole MRZ with the one character replaced.
    """
    repairs: list[OcrRepair] = []
    for offset in offsets:
        read = mrz[offset]
        for proposed in choices(read):
            if accept(mrz[:offset] + proposed + mrz[offset + 1 :]):
                line, position = divmod(offset, width)
                repairs.append(OcrRepair(line + 1, position + 1, read, proposed))
    return repairs
