"""What a stored text may hold: no control characters, and in names nothing invisible.

Every text the node stores (an alert's action, a note, a case title, a purpose, a
user's name, a crossing point) comes through :func:`plain_text`: the C0 and C1
control characters (ESC, NUL, BEL, the line breaks U+2028/U+2029...) are refused,
naming the field and the character, because they reach terminals (ANSI sequences),
logs and partner nodes as they are. Free text meant to run over several lines
(notes, observations, a justification) keeps line feeds, carriage returns and tabs.

A name also refuses what changes how the text around it reads without showing
itself (:func:`plain_name`): the bidirectional embeddings, overrides and isolates
(U+202A-U+202E, U+2066-U+2069), the direction marks (U+200E, U+200F, U+061C) and
the zero-width characters (U+200B, U+200D, U+2060, U+FEFF). An override in a name
turns a birth date printed after it backwards. The zero-width non-joiner (U+200C)
is part of Persian spelling (``می‌خواهم``, ``محمدرضا`` written in two joined halves)
and is kept between two letters; anywhere else it hides nothing useful and is
refused. docs/names.md says why.

>>> plain_text("remarks", "Hold and call\\x1b[2J")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: remarks: holds a control character (U+001B ESCAPE) at position 14; ...
>>> plain_text("note", "seen twice\\n\\tthen left", multiline=True)
'seen twice\\n\\tthen left'
>>> plain_name("subject.names", "\\u202eilA neB")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: subject.names: holds an invisible direction control (U+202E ...
"""

from __future__ import annotations

import re
import unicodedata

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "BIDI_CONTROLS",
    "ZERO_WIDTH",
    "control_character",
    "hidden_in_name",
    "plain_name",
    "plain_text",
    "visible",
    "without_hidden",
]

_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_LINES = frozenset("\n\r\t")

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
"""Embeddings, overrides, isolates and direction marks: they reorder text, unseen."""
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Zero-width space, non-joiner, joiner, word joiner and byte-order mark."""
_ZWNJ = "\u200c"
_HIDDEN = re.compile("[" + "".join(sorted(BIDI_CONTROLS | ZERO_WIDTH)) + "]")


def _named(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if not name and ord(char) < 0x20:
        name = unicodedata.name(chr(0x2400 + ord(char)), "").removeprefix("SYMBOL FOR ")
    if not name and char == "\x7f":
        name = "DELETE"
    return f"{code} {name}" if name else code


def control_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first control character of ``text`` (its position from 1, and the character),
    or None; line feeds, carriage returns and tabs pass when ``multiline``.

    >>> control_character("a\\x00b"), control_character("a\\nb", multiline=True)
    ((2, '\\x00'), None)
    """
    if not multiline:  # one search, no iterator: a bulk load checks millions of fields
        found = _CONTROL.search(text)
        return None if found is None else (found.start() + 1, found.group())
    for match in _CONTROL.finditer(text):
        if match.group() in _LINES:
            continue
        return match.start() + 1, match.group()
    return None


def hidden_in_name(text: str) -> tuple[int, str] | None:
    """The first direction control or zero-width character of a name (its position from 1,
    and the character), or None; a zero-width non-joiner between two letters is spelling.

    >>> hidden_in_name("\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645")  # Persian
    >>> hidden_in_name("Ali\\u200c"), hidden_in_name("A\\u200bli")
    ((4, '\\u200c'), (2, '\\u200b'))
    """
    for match in _HIDDEN.finditer(text):
        at = match.start()
        if (
            match.group() == _ZWNJ
            and 0 < at < len(text) - 1
            and text[at - 1].isalpha()
            and text[at + 1].isalpha()
        ):
            continue
        return at + 1, match.group()
    return None


def plain_text(field: str, text: str, *, multiline: bool = False) -> str:
    """``text`` unchanged when it holds no control character; else ``InvalidInput`` naming
    ``field``, the character and where it is."""
    found = control_character(text, multiline=multiline)
    if found is None:
        return text
    at, char = found
    expected = worded(
        N_("only line breaks and tabs may be used")
        if multiline
        else N_("one line of visible text is expected")
    )
    raise InvalidInput(
        field,
        worded(
            N_("holds a control character (%(value)s) at position %(at)s; %(expected)s"),
            value=_named(char),
            at=at,
            expected=expected,
        ),
    )


def plain_name(field: str, text: str) -> str:
    """A name: :func:`plain_text`, and no direction control or zero-width character
    (but a zero-width non-joiner inside a word)."""
    plain_text(field, text)
    found = hidden_in_name(text)
    if found is None:
        return text
    at, char = found
    kind = worded(N_("direction control") if char in BIDI_CONTROLS else N_("zero-width character"))
    raise InvalidInput(
        field,
        worded(
            N_(
                "holds an invisible %(kind)s (%(value)s) at position %(at)s; names must be"
                " typed without direction or zero-width characters"
            ),
            kind=kind,
            value=_named(char),
            at=at,
        ),
    )


def without_hidden(text: str) -> str:
    """A name from a loaded list with its direction controls and zero-width characters
    removed (a zero-width non-joiner between two letters stays): they say nothing about the
    person, and a list copied from a word processor is full of direction marks.

    >>> without_hidden("\\u200fKarim\\u200b Haddad\\u202c"), without_hidden("a\\u200cb")
    ('Karim Haddad', 'a\\u200cb')
    """
    while (found := hidden_in_name(text)) is not None:
        at = found[0] - 1
        text = text[:at] + text[at + 1 :]
    return text


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: control characters written as escapes
    (``\\x1b``), direction controls and zero-width characters as ``<U+202E>``; nothing a
    terminal would act on, nothing that reorders the line unseen. Line feeds and tabs stay;
    a carriage return stays only before a line feed (alone, it would let the rest of a line
    be printed over its start).

    >>> visible("Ali\\x1b[31m\\u202e01-02"), visible("HIT\\rclear\\r\\n")
    ('Ali\\\\x1b[31m<U+202E>01-02', 'HIT\\\\x0dclear\\n')
    """
    if _CONTROL.search(text) is None and _HIDDEN.search(text) is None:
        return text
    shown: list[str] = []
    for char in text.replace("\r\n", "\n"):
        if char in "\n\t":
            shown.append(char)
        elif _CONTROL.fullmatch(char):
            shown.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"<U+{ord(char):04X}>")
        elif char in BIDI_CONTROLS or char in ZERO_WIDTH:
            shown.append(f"<U+{ord(char):04X}>")
        else:
            shown.append(char)
    return "".join(shown)
