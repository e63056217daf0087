"""ICAO Doc 9303 check digits (Part 3 §4.9).

Each character has a value (``0``-``9`` → 0-9, ``A``-``Z`` → 10-35, ``<`` → 0);
values are multiplied by the repeating weights 7, 3, 1 from the left and the
check digit is the sum modulo 10.
"""

from __future__ import annotations

import string
from itertools import cycle, islice

from passerelle.exc import InvalidInput

__all__ = [
    "CHARACTER_VALUES",
    "MRZ_CHARACTERS",
    "WEIGHTED_VALUES",
    "WEIGHTS",
    "check_digit",
    "is_check_digit_ok",
    "weighted_sum",
]

MRZ_CHARACTERS = frozenset(string.ascii_uppercase + string.digits + "<")
"""The only characters an MRZ may hold (ICAO 9303 Part 3 §4.3)."""

CHARACTER_VALUES: dict[str, int] = {
    **{d: int(d) for d in string.digits},
    **{c: 10 + i for i, c in enumerate(string.ascii_uppercase)},
    "<": 0,
}
WEIGHTS: tuple[int, ...] = tuple(islice(cycle((7, 3, 1)), 128))


def _weighted_table(weight: int) -> bytes:
    table = bytearray(256)
    for char, value in CHARACTER_VALUES.items():
        table[ord(char)] = value * weight % 10
    return bytes(table)


WEIGHTED_VALUES = (_weighted_table(7), _weighted_table(3), _weighted_table(1))
"""``bytes.translate`` tables: MRZ byte → its value times 7, 3 or 1, modulo 10."""


def weighted_sum(data: str) -> int | None:
    """A number congruent (mod 10) to the 7-3-1 weighted sum of ``data``; None for non-MRZ text.

    Each character's weighted value is looked up modulo 10 through ``bytes.translate``
    and summed in C, one pass per weight: the MRZ hot path computes five of these
    per document.
    """
    if not MRZ_CHARACTERS.issuperset(data):
        return None
    raw = data.encode("ascii")
    t7, t3, t1 = WEIGHTED_VALUES
    return (
        sum(raw[0::3].translate(t7)) + sum(raw[1::3].translate(t3)) + sum(raw[2::3].translate(t1))
    )


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
