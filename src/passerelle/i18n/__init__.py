"""The node's languages: Arabic, French and English pages from gettext catalogues.

:mod:`passerelle.i18n.languages` says which languages there are and picks a reader's;
:mod:`passerelle.i18n.catalogues` holds the translations and the language being written;
:mod:`passerelle.i18n.messages` keeps the catalogues in step with the sources
(``make messages``) and finds what is missing (a test fails on it). docs/languages.md tells a
translator how to work.
"""

from passerelle.i18n.catalogues import (
    N_,
    current_language,
    gettext,
    ngettext,
    set_language,
    translations,
    use_language,
)
from passerelle.i18n.languages import LANGUAGES, Language, language, negotiate, parse_language

__all__ = [
    "LANGUAGES",
    "N_",
    "Language",
    "current_language",
    "gettext",
    "language",
    "negotiate",
    "ngettext",
    "parse_language",
    "set_language",
    "translations",
    "use_language",
]
