"""ICAO Doc 9303 check digits (Part 3 §4.9).

Each character has a value (``0``-``9`` → 0-9, ``A``-``Z`` → 10-35, ``<`` → 0);
values are multiplied by the repeating weights 7, 3, 1 from the left and the
check digit is the sum modulo 10.
"""

from __future__ import annotations

import string
from itertools import cycle, islice

from passerelle.exc import InvalidInput

__all__ = ["CHARACTER_VALUES", "MRZ_CHARACTERS", "WEIGHTS", "check_digit", "is_check_digit_ok"]

MRZ_CHARACTERS = frozenset(string.ascii_uppercase + string.digits + "<")
"""The only characters an MRZ may hold (ICAO 9303 Part 3 §4.3)."""

CHARACTER_VALUES: dict[str, int] = {
    **{d: int(d) for d in string.digits},
    **{c: 10 + i for i, c in enumerate(string.ascii_uppercase)},
    "<": 0,
}
WEIGHTS: tuple[int, ...] = tuple(islice(cycle((7, 3, 1)), 128))


def weighted_sum(data: str) -> int | None:
    """The weighted sum behind a check digit, or None when ``data`` holds a non-MRZ character."""
    values = CHARACTER_VALUES
    total = 0
    for char, weight in zip(data, WEIGHTS, strict=False):
        value = values.get(char)
        if value is None:
            return None
        total += value * weight
    return total


def check_digit(data: str) -> int:
    """Compute the ICAO 9303 check digit of ``data``: weights 7,3,1; ``<``=0, A..Z=10..35.

    >>> check_digit("L898902C3")
    6
    >>> check_digit("740812")
    2

    Raises ``InvalidInput`` when ``data`` holds a character an MRZ may not hold.
    """
    total = weighted_sum(data)
    if total is None:
        bad = next(c for c in data if c not in CHARACTER_VALUES)
        raise InvalidInput("data", f"{bad!r} is not an MRZ character (A-Z, 0-9, '<')")
    return total % 10


def is_check_digit_ok(data: str, digit: str) -> bool:
    """True when ``digit`` (one MRZ character) is the check digit of ``data``."""
    total = weighted_sum(data)
    return total is not None and digit.isdigit() and len(digit) == 1 and total % 10 == int(digit)
