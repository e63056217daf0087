"""The translations of the pages: gettext catalogues per language, read once, and the
language of the page being written.

Catalogues live in ``passerelle/locale/<language>/LC_MESSAGES/<area>.po`` (one per area of
the node, ``locale/areas.toml``), compiled to ``.mo`` at install (``make``); a catalogue
whose ``.mo`` is missing or older than its ``.po`` is compiled in memory instead, so a
checkout that changed a translation shows it without a build step.

The language of the page being written is a context variable: the web layer sets it for a
request (:func:`use_language`), and :func:`gettext` reads it, so code that builds words for a
page (the menu, a verdict's banner) translates without carrying the language around.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "LOCALE_FOLDER",
    "N_",
    "current_language",
    "gettext",
    "ngettext",
    "set_language",
    "translations",
    "use_language",
]

LOCALE_FOLDER = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
"""The language the sources are written in: its text is its own translation."""

_CURRENT: ContextVar[str] = ContextVar("passerelle_language", default=SOURCE_LANGUAGE)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark ``message`` for the catalogues without translating it now (it is translated where
    it is shown, in the reader's language: ``gettext(message)``)."""
    return message


def current_language() -> str:
    """The language of the page being written (English outside a request)."""
    return _CURRENT.get()


@contextmanager
def use_language(code: str) -> Iterator[None]:
    """Write in ``code`` inside the block (the previous language back after it)."""
    token = _CURRENT.set(code)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def set_language(code: str) -> None:
    """Write in ``code`` from now on in this context (a request's own context)."""
    _CURRENT.set(code)


def _read(po_file: Path) -> Translations:
    mo_file = po_file.with_suffix(".mo")
    if mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
        with mo_file.open("rb") as compiled:
            return Translations(compiled, domain=po_file.stem)
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=po_file.parent.parent.name, domain=po_file.stem)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=po_file.stem)


@lru_cache(maxsize=8)
def translations(code: str) -> NullTranslations:
    """Every catalogue of language ``code`` merged (English, or none found: the sources)."""
    folder = LOCALE_FOLDER / code / "LC_MESSAGES"
    merged: Translations | None = None
    for po_file in sorted(folder.glob("*.po")) if code != SOURCE_LANGUAGE else []:
        loaded = _read(po_file)
        if merged is None:
            merged = loaded
        else:
            merged.merge(loaded)
    return merged if merged is not None else NullTranslations()


def gettext(message: str) -> str:
    """``message`` in the current language (itself where no translation is known)."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for ``count`` in the current language (Arabic has six)."""
    return translations(current_language()).ngettext(singular, plural, count)
