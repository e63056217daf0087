"""The comparison columns of one identity record, from the project's name engine.

Each name is read by :func:`passerelle.names.parse_name`, so that Arabic-script and
Latin spellings of one name meet: محمد, Mohamed, Mohammed and Muhammad share the
skeleton ``mhmd``. A record gets:

==============  ==========================================================================
``name_latin``  its parts' Latin readings, sorted (``ali mohamed``): for the spelling levels
``name_key``    its parts' skeletons, sorted (``l mhmd``): the same across scripts
``given_key``   the first part's skeleton (names are written given name first)
``family_key``  the last part's skeleton
==============  ==========================================================================

Sorting makes the key independent of the order the name was written in (an MRZ
writes the surname first). A birth date is kept as ``YYYY-MM-DD`` when whole, its
year in ``birth_year`` always; anything else (``1985-03``, ``85``) keeps only what
it says for sure.

>>> name_features("محمد علي") == name_features("Mohamed Ali")._replace(name_latin="ali mohamed")
True
>>> name_features("ALI<<MOHAMMED").name_key
'l mhmd'
>>> birth_parts("1985-03-02"), birth_parts("1985"), birth_parts("bad")
(('1985-03-02', 1985), (None, 1985), (None, None))
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from passerelle.names import parse_name

__all__ = ["NameFeatures", "birth_parts", "name_features"]

_WHOLE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")


class NameFeatures(NamedTuple):
    """The name columns of one record (all None when the name has no part)."""

    name_latin: str | None
    name_key: str | None
    given_key: str | None
    family_key: str | None


_NO_NAME = NameFeatures(None, None, None, None)


@lru_cache(maxsize=200_000)
def name_features(name: str) -> NameFeatures:
    """The comparison columns of one written name (cached: names repeat)."""
    try:
        parts = parse_name(name)
    except ValueError:
        return _NO_NAME
    parts = tuple(part for part in parts if part.skeleton)
    if not parts:
        return _NO_NAME
    latin = " ".join(sorted(part.latin or part.skeleton for part in parts))
    key = " ".join(sorted(part.skeleton for part in parts))
    return NameFeatures(latin, key, parts[0].skeleton, parts[-1].skeleton)


def birth_parts(value: str | None) -> tuple[str | None, int | None]:
    """A birth date as ``(whole ISO date or None, year or None)``."""
    if not value:
        return None, None
    whole = _WHOLE_DATE.fullmatch(value.strip())
    if whole:
        return whole.group(0), int(whole.group(1))
    year = _YEAR.match(value.strip())
    return None, int(year.group(1)) if year else None
