"""Telling a reader's misread apart from a forged number.

OCR readers confuse look-alike characters (O/0, I/1, B/8, S/5, Z/2, G/6, Q/0,
D/0). When a check digit fails, every single substitution among look-alikes
is tried, and those that make *every* check digit pass (and leave the dates
real) are proposed. They are findings for the officer, never applied: one
proposal suggests a misread and a rescan; none suggests an altered MRZ.

The search is incremental (one weighted-sum update per check and candidate),
so a failing document costs microseconds, not a re-parse per candidate.

Limits of the standard: a G/6 swap changes a character's value by 10, which
no 7-3-1 check digit can see; it is caught only where a digit is required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from passerelle.documents.checksum import CHARACTER_VALUES, WEIGHTS, weighted_sum
from passerelle.documents.findings import OcrRepair
from passerelle.documents.parse import DigitCheck

__all__ = ["LOOKALIKES", "passes", "propose_repairs"]

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
    *,
    width: int,
    numeric_offsets: frozenset[int],
    date_is_valid: Callable[[str], bool],
) -> list[OcrRepair]:
    """Single look-alike substitutions that make every check digit of ``mrz`` pass.

    ``numeric_offsets`` are positions where only digits belong (dates, check
    digits); ``date_is_valid`` re-reads the dates of a candidate MRZ.
    """
    checks = tuple(checks)
    totals: list[int] = []
    weights: list[dict[int, int]] = []
    empties: list[bool] = []
    for check in checks:
        data = "".join(mrz[span] for span in check.data)
        total = weighted_sum(data)
        if total is None:
            return []
        totals.append(total)
        weights.append({off: WEIGHTS[i] for i, off in enumerate(check.offsets())})
        empties.append(not data.strip("<"))
    failing = [
        i
        for i, check in enumerate(checks)
        if not passes(
            totals[i], mrz[check.digit], empty=empties[i], empty_may_be_zero=check.empty_may_be_zero
        )
    ]
    if not failing:
        return []
    candidates = set(weights[failing[0]]) | {checks[failing[0]].digit}
    for i in failing[1:]:
        candidates &= set(weights[i]) | {checks[i].digit}
    repairs: list[OcrRepair] = []
    for offset in sorted(candidates):
        read = mrz[offset]
        for proposed in LOOKALIKES.get(read, ""):
            if offset in numeric_offsets and not proposed.isdigit():
                continue
            delta = CHARACTER_VALUES[proposed] - CHARACTER_VALUES[read]
            if all(
                passes(
                    totals[i] + delta * weights[i].get(offset, 0),
                    proposed if offset == check.digit else mrz[check.digit],
                    empty=empties[i],
                    empty_may_be_zero=check.empty_may_be_zero,
                )
                for i, check in enumerate(checks)
            ) and date_is_valid(mrz[:offset] + proposed + mrz[offset + 1 :]):
                line, position = divmod(offset, width)
                repairs.append(OcrRepair(line + 1, position + 1, read, proposed))
    return repairs
