"""The languages the pages speak, their writing direction, and choosing one for a reader.

English is the language the sources are written in (it needs no catalogue); Arabic and
French are the working languages of the first member states' officers. A reader's
language is, in order: the one stored on their account, the one they chose on the login
page (a cookie), the browser's preference (``Accept-Language``), the node's default.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGUAGES", "Language", "language", "negotiate", "parse_language"]


@dataclass(frozen=True, slots=True)
class Language:
    """A language the pages are written in: its code (BCP 47), its own name, its direction."""

    code: str
    name: str
    """The language's name in itself, as a reader looks for it in a list."""
    direction: str
    """``rtl`` or ``ltr``: the pages' base direction (``<html dir>``)."""


LANGUAGES: tuple[Language, ...] = (
    Language("ar", "العربية", "rtl"),
    Language("fr", "Français", "ltr"),
    Language("en", "English", "ltr"),
)
_BY_CODE = {item.code: item for item in LANGUAGES}


def language(code: str) -> Language:
    """The language with this code (``KeyError`` for one the node does not speak)."""
    return _BY_CODE[code]


def parse_language(text: str | None) -> str | None:
    """A language code the node speaks, from a tag such as ``fr-MA`` or ``AR``; None if not.

    >>> parse_language("fr-MA"), parse_language(" AR "), parse_language("de"), parse_language(None)
    ('fr', 'ar', None, None)
    """
    if not text:
        return None
    primary = text.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in _BY_CODE else None


def negotiate(accept_language: str | None) -> str | None:
    """The language a browser prefers most among those the node speaks (``Accept-Language``).

    >>> negotiate("de-DE,de;q=0.9,fr;q=0.8,ar;q=0.7")
    'fr'
    >>> negotiate("ar-MA;q=0.9, en;q=0.95"), negotiate("*"), negotiate("nl;q=abc")
    ('en', None, None)
    """
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:32]):
        tag, _, parameters = part.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = parse_language(tag)
        if code is not None and 0.0 < weight <= 1.0:
            ranked.append((-weight, index, code))
    return min(ranked)[2] if ranked else None
