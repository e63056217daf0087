"""Where a border officer works: a crossing point and a booth of it, as typed and as stored.

A crossing point code is stored upper case (``TNG-MED``), as inspections store
it; a booth label is a short name of a booth at that point (``B3``, ``CAR 2``),
stored upper case with its blanks folded, so that ``b3`` and ``B3`` are one booth.

>>> booth_label(" car  2 ")
'CAR 2'
>>> booth_label("  ") is None
True
>>> point_code(" tng-med ")
'TNG-MED'
"""

from __future__ import annotations

import re

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = ["MAX_BOOTH", "MAX_POINT", "booth_label", "point_code"]

MAX_BOOTH = 32
"""The longest booth label (characters)."""
MAX_POINT = 64
"""The longest crossing point code (characters), as inspections take it."""

_BOOTH = re.compile(r"[A-Z0-9][A-Z0-9 ._-]*")
_POINT = re.compile(r"[A-Z0-9][A-Z0-9._-]*")


def booth_label(text: str | None, *, field: str = "booth") -> str | None:
    """The booth label ``text`` names (upper case, blanks folded); ``None`` when blank.

    Refused (``InvalidInput`` naming ``field``): over :data:`MAX_BOOTH` characters, or
    anything but letters A-Z, digits, blanks and ``. _ -`` (beginning with a letter or digit).
    """
    label = " ".join((text or "").split()).upper()
    if not label:
        return None
    if len(label) > MAX_BOOTH:
        raise InvalidInput(field, worded(N_("is longer than %(most)s characters"), most=MAX_BOOTH))
    if not _BOOTH.fullmatch(label):
        raise InvalidInput(
            field,
            worded(
                N_(
                    "must be letters A-Z, digits, blanks or . _ - (beginning with a letter or"
                    " digit)"
                )
            ),
        )
    return label


def point_code(text: str | None, *, field: str = "crossing_point") -> str | None:
    """The crossing point code ``text`` names (upper case); ``None`` when blank.

    Refused (``InvalidInput`` naming ``field``): over :data:`MAX_POINT` characters, or
    anything but letters A-Z, digits and ``. _ -``.
    """
    code = (text or "").strip().upper()
    if not code:
        return None
    if len(code) > MAX_POINT:
        raise InvalidInput(field, worded(N_("is longer than %(most)s characters"), most=MAX_POINT))
    if not _POINT.fullmatch(code):
        raise InvalidInput(
            field,
            worded(N_("must be letters A-Z, digits or . _ - (beginning with a letter or digit)")),
        )
    return code
