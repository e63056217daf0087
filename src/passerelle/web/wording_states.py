"""Issuing states and nationalities named in the page reader's language.

The engines name a state in English (``Morocco (MAR)``, ``documents.states``) and keep it
in their wordings as a :class:`~passerelle.i18n.wording.State`: its code and English name.
A page names it in its reader's language: an ISO 3166-1 state from the Unicode CLDR's
territory names that Babel carries, through its two-letter code (``documents.alpha2``:
``MAR`` -> ``MA`` -> "Maroc", "المغرب"); ICAO's own codes (``D``, ``GBD``, ``UNO``, ``XXA``...)
through the catalogue, where ``documents.states`` marks their names. English pages keep the
English the API and the CLI write, so that every face of the node names a state the same way.

>>> state_name_in("MAR", "fr"), state_name_in("XXA", "en"), state_name_in("ZZZ", "fr")
('Maroc', 'Stateless person', None)
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from passerelle.documents.alpha2 import ISO_ALPHA2
from passerelle.documents.states import ICAO_SPECIFIC, state_name
from passerelle.i18n import current_language, gettext, use_language
from passerelle.i18n.catalogues import SOURCE_LANGUAGE
from passerelle.i18n.wording import State

__all__ = ["state_name_in", "state_named", "state_words_in"]

_ALSO_ISO = {"D": "DEU"}
"""ICAO codes that stand for an ISO state (Germany writes ``D<<``)."""


@lru_cache(maxsize=8)
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def state_name_in(code: str, language: str) -> str | None:
    """The name of the state (or organisation, or person status) ``code`` in ``language``;
    None for a code that is not one (``documents.states.is_known_state``)."""
    english = state_name(code)
    if english is None or language == SOURCE_LANGUAGE:
        return english
    alpha2 = ISO_ALPHA2.get(_ALSO_ISO.get(code, code))
    if alpha2 is not None:
        return _territories(language).get(alpha2, english)
    with use_language(language):
        return gettext(ICAO_SPECIFIC[code])


def state_named(state: State) -> str:
    """A state a sentence puts in, in the reader's language (``Maroc (MAR)``)."""
    return state.written(state_name_in(state.code, current_language()) or state.name)


def state_words_in(code: str | None) -> str | None:
    """A state code as a page shows it next to its name, in the reader's language
    (``Maroc (MAR)``); the code alone when it names no state; None for no code."""
    if not code:
        return None
    name = state_name_in(code, current_language())
    return f"{name} ({code})" if name is not None else code
