"""A watchlist person as a file line or a request gives it: read, checked and hashed.

Names are kept NFC-normalised with runs of white space folded to one space, so
an Arabic name typed with a combining hamza and one typed precomposed are the
same name. Each entry carries the SHA-256 of its canonical JSON, which loads
compare to tell a repeat from a change.

Watchlist files from registries are overwhelmingly clean: a line already in
canonical form is read by a short path of set and type tests (a few
microseconds), and anything unusual by the detailed checks, which name the
first bad field.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import orjson

from passerelle.documents.states import KNOWN_CODES
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.fields import (
    RESTRICTED_MATTERS,
    iso_date,
    no_unknown_fields,
    partial_date,
    restricted_matter,
    shareable,
    state_code,
    state_codes,
)
from passerelle.records.text import hidden_in_name, without_hidden

__all__ = [
    "WATCHLIST_CATEGORIES",
    "WatchlistEntry",
    "normalise_name",
    "read_entry",
    "read_entry_cleaned",
]

WATCHLIST_CATEGORIES = frozenset({"wanted", "travel_ban", "missing", "alert"})
SEXES = frozenset({"M", "F"})
FIELDS = frozenset(
    (
        "id",
        "names",
        "birth_date",
        "nationalities",
        "sex",
        "category",
        "issued_by",
        "valid_until",
        "shareable",
        "restricted_matter",
    )
)
_REQUIRED = frozenset(("id", "names", "category", "issued_by"))
MAX_ID = 64
MAX_NAME = 256

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # Unicode Cc and Cs


def normalise_name(name: str) -> str:
    """A name as stored: NFC (Unicode canonical composition), white space folded.

    >>> normalise_name("  Mohamed\\tBen  Ali ")
    'Mohamed Ben Ali'
    >>> normalise_name("\\u0627\\u0654") == "\\u0623"  # alef + combining hamza -> أ
    True
    """
    return " ".join(unicodedata.normalize("NFC", name).split())


class WatchlistEntry(NamedTuple):
    """One watchlist person, validated (a named tuple: a load makes one per line).

    Build it with :func:`read_entry` (or ``WatchlistRegistry.parse``), which fills
    ``content_hash``.
    """

    id: str
    names: tuple[str, ...]
    birth_date: str | None
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the issuer knows it, or None."""
    birth_year: int | None
    nationalities: tuple[str, ...]
    sex: str | None
    category: str
    issued_by: str
    valid_until: date | None
    shareable: bool
    """False keeps the person home: never disclosed to a partner, whatever the agreement."""
    restricted_matter: str | None
    """A political, military, religious or racial matter: never disclosed to a partner."""
    content_hash: str
    """SHA-256 of the canonical JSON (sorted keys, no blanks, UTF-8 as is)."""

    def canonical(self) -> dict[str, Any]:
        """The entry as its contract's JSON object (the form that is hashed)."""
        return _canonical(
            self.id,
            self.names,
            self.birth_date,
            self.nationalities,
            self.sex,
            self.category,
            self.issued_by,
            self.valid_until,
            self.shareable,
            self.restricted_matter,
        )


def _canonical(
    person_id: str,
    names: tuple[str, ...],
    birth_date: str | None,
    nationalities: tuple[str, ...],
    sex: str | None,
    category: str,
    issued_by: str,
    valid_until: date | None,
    shareable: bool,
    restricted_matter: str | None,
) -> dict[str, Any]:
    canonical: dict[str, Any] = {
        "id": person_id,
        "names": list(names),
        "birth_date": birth_date,
        "nationalities": list(nationalities),
        "sex": sex,
        "category": category,
        "issued_by": issued_by,
        "valid_until": valid_until.isoformat() if valid_until else None,
    }
    # The sharing fields appear only when they say something: an entry shared as
    # usual keeps the hash it had before they existed, so reloading an old file
    # changes nothing.
    if not shareable:
        canonical["shareable"] = False
    if restricted_matter is not None:
        canonical["restricted_matter"] = restricted_matter
    return canonical


def _entry(
    person_id: str,
    names: tuple[str, ...],
    birth_date: str | None,
    birth_year: int | None,
    nationalities: tuple[str, ...],
    sex: str | None,
    category: str,
    issued_by: str,
    valid_until: date | None,
    valid_until_text: str | None = None,
    shareable: bool = True,
    restricted_matter: str | None = None,
) -> WatchlistEntry:
    """The entry with its content hash (``valid_until_text``: the date as ISO text, if known)."""
    if valid_until is not None and valid_until_text is None:
        valid_until_text = valid_until.isoformat()
    canonical: dict[str, Any] = {  # the canonical JSON object, its keys in sorted order
        "birth_date": birth_date,
        "category": category,
        "id": person_id,
        "issued_by": issued_by,
        "names": names,
        "nationalities": nationalities,
    }
    if restricted_matter is not None:
        canonical["restricted_matter"] = restricted_matter
    canonical["sex"] = sex
    if not shareable:
        canonical["shareable"] = False
    canonical["valid_until"] = valid_until_text
    digest = hashlib.sha256(orjson.dumps(canonical)).hexdigest()
    return _new_entry(
        WatchlistEntry,
        (
            person_id,
            names,
            birth_date,
            birth_year,
            nationalities,
            sex,
            category,
            issued_by,
            valid_until,
            shareable,
            restricted_matter,
            digest,
        ),
    )


_new_entry = tuple.__new__  # a named tuple's own constructor is a Python function: slower


def read_entry(record: Mapping[str, Any]) -> WatchlistEntry:
    """One person from a JSON object; ``InvalidInput(field, reason)`` names the first bad field."""
    entry = _read_ordinary(record)
    return entry if entry is not None else _read_with_reasons(record)


def read_entry_cleaned(record: Mapping[str, Any]) -> tuple[WatchlistEntry, bool]:
    """:func:`read_entry`, and whether direction controls or zero-width characters were
    removed from its names (``records.text.without_hidden``; the load reports how many).

    >>> entry, cleaned = read_entry_cleaned({"id": "W-1", "names": ["\\u202eKarim Haddad"],
    ...     "category": "wanted", "issued_by": "MAR"})
    >>> entry.names, cleaned
    (('Karim Haddad',), True)
    """
    entry = _read_ordinary(record)  # a name with such a character is never ordinary
    if entry is not None:
        return entry, False
    entry = _read_with_reasons(record)
    names = record["names"]
    return entry, any(isinstance(n, str) and hidden_in_name(n) for n in names)


# -- the short path: a line already in canonical form ------------------------------------

_CACHE_LIMIT = 100_000  # dates repeat: a file spans a few tens of thousands of days


@lru_cache(maxsize=_CACHE_LIMIT)
def _ordinary_birth_date(value: str) -> tuple[str, int] | None:
    try:
        text, year = partial_date({"birth_date": value}, "birth_date")
    except InvalidInput:
        return None
    assert text is not None
    assert year is not None
    return text, year


@lru_cache(maxsize=_CACHE_LIMIT)
def _ordinary_day(value: str) -> date | None:
    if len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _read_ordinary(record: Mapping[str, Any]) -> WatchlistEntry | None:
    """The entry of a line already in canonical form, or None to check it in detail.

    Every test here is a cheap set, type or ``str`` method test; an unhashable value
    where a code or a choice belongs ends in ``TypeError``, also None.
    """
    keys = record.keys()
    if not (keys <= FIELDS and keys >= _REQUIRED):
        return None
    get = record.get
    person_id, names, category, issued_by = (
        record["id"],
        record["names"],
        record["category"],
        record["issued_by"],
    )
    try:
        if not (
            type(person_id) is str
            and 0 < len(person_id) <= MAX_ID
            and person_id.isascii()
            and person_id.isprintable()
            and person_id[0] != " "
            and person_id[-1] != " "
            and category in WATCHLIST_CATEGORIES
            and issued_by in KNOWN_CODES
            and type(names) is list
            and names
        ):
            return None
        for name in names:
            if not (
                type(name) is str
                and 0 < len(name) <= MAX_NAME
                and name.isprintable()  # no control, format, surrogate, or space but " "
                and name[0] != " "
                and name[-1] != " "
                and "  " not in name
                and (name.isascii() or unicodedata.is_normalized("NFC", name))
            ):
                return None
        if len(names) > 1 and len(set(names)) != len(names):
            return None
        birth_date = birth_year = None
        if (written := get("birth_date")) is not None:
            known = _ordinary_birth_date(written) if type(written) is str else None
            if known is None:
                return None
            birth_date, birth_year = known
        nationalities = get("nationalities")
        if nationalities is None:
            nationalities = ()
        elif not (
            type(nationalities) is list
            and KNOWN_CODES.issuperset(nationalities)
            and (len(nationalities) == 1 or len(set(nationalities)) == len(nationalities))
        ):
            return None
        sex = get("sex")
        if sex is not None and sex not in SEXES:
            return None
        valid_until = None
        if (valid_until_text := get("valid_until")) is not None:
            valid_until = _ordinary_day(valid_until_text) if type(valid_until_text) is str else None
            if valid_until is None:
                return None
        shared = get("shareable")
        if shared is None:
            shared = True
        elif type(shared) is not bool:
            return None
        matter = get("restricted_matter")
        if matter is not None and matter not in RESTRICTED_MATTERS:
            return None
    except TypeError:  # an unhashable value (a list, an object) where a code belongs
        return None
    return _entry(
        person_id,
        tuple(names),
        birth_date,
        birth_year,
        tuple(nationalities),
        sex,
        category,
        issued_by,
        valid_until,
        valid_until_text,
        shared,
        matter,
    )


# -- the detailed checks: anything unusual, with the reason --------------------------------


def _has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _person_id(record: Mapping[str, Any]) -> str:
    value = record.get("id")
    if value is None:
        raise InvalidInput("id", worded(N_("is required")))
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("id", worded(N_("must be a non-empty string")))
    value = value.strip()
    if len(value) > MAX_ID:
        raise InvalidInput("id", worded(N_("is longer than %(most)s characters"), most=MAX_ID))
    if _has_control(value):
        raise InvalidInput("id", worded(N_("must not contain control characters")))
    return value


def _names(record: Mapping[str, Any]) -> tuple[str, ...]:
    values = record.get("names")
    if not isinstance(values, list) or not values:
        raise InvalidInput("names", worded(N_("must be a list of at least one name")))
    names: list[str] = []
    for position, value in enumerate(values, start=1):
        if not isinstance(value, str):
            raise InvalidInput(
                "names", worded(N_("name %(position)s must be a string"), position=position)
            )
        name = normalise_name(without_hidden(value))  # counted by read_entry_cleaned
        if not name:
            raise InvalidInput("names", worded(N_("name %(position)s is empty"), position=position))
        if len(name) > MAX_NAME:
            raise InvalidInput(
                "names",
                worded(
                    N_("name %(position)s is longer than %(max_name)s characters"),
                    position=position,
                    max_name=MAX_NAME,
                ),
            )
        if _has_control(name):
            raise InvalidInput(
                "names",
                worded(N_("name %(position)s contains control characters"), position=position),
            )
        if name not in names:
            names.append(name)
    return tuple(names)


def _choice(record: Mapping[str, Any], name: str, choices: frozenset[str]) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or value not in choices:
        raise InvalidInput(
            name,
            worded(
                N_("%(value)s is not one of %(value2)s"),
                value=repr(value),
                value2=", ".join(sorted(choices)),
            ),
        )
    return value


def _read_with_reasons(record: Mapping[str, Any]) -> WatchlistEntry:
    no_unknown_fields(record, FIELDS)
    person_id = _person_id(record)
    names = _names(record)
    birth_date, birth_year = partial_date(record, "birth_date")
    nationalities: list[str] = []
    if record.get("nationalities") is not None:
        for code in state_codes(record, "nationalities"):
            if code not in nationalities:
                nationalities.append(code)
    category = _choice(record, "category", WATCHLIST_CATEGORIES)
    if category is None:
        raise InvalidInput(
            "category",
            worded(N_("is required: %(value)s"), value=", ".join(sorted(WATCHLIST_CATEGORIES))),
        )
    return _entry(
        person_id,
        names,
        birth_date,
        birth_year,
        tuple(nationalities),
        _choice(record, "sex", SEXES),
        category,
        state_code(record, "issued_by"),
        iso_date(record, "valid_until", required=False),
        shareable=shareable(record),
        restricted_matter=restricted_matter(record),
    )
