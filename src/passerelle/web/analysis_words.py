"""The analysts' pages' words for the codes they show: statuses, alert categories, the lists
a hit comes from, the dashboard's series and axes.

Each table maps a stored code to its words in English, marked for the catalogues (``N_``);
:func:`said` gives them in the reader's language, a code no table knows as it is. The
dashboard's charts get their words as one JSON object (:func:`chart_words`), built in the
reader's language, with the period's days written the reader's way (weekday and month names
from the CLDR through Babel).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from babel.dates import format_date
from markupsafe import Markup

from passerelle.i18n import N_, current_language, gettext
from passerelle.records.forgeries import (  # marked N_ there
    DETECTION_METHODS,
    FORGERY_TYPES,
    SeriesSubject,
)
from passerelle.services.hit_queue import HitWords
from passerelle.web.rendering import translate

__all__ = [
    "ALERT_CATEGORIES",
    "ALERT_STATUSES",
    "CASE_STATUSES",
    "DETECTION_METHODS",
    "DIRECTIONS",
    "FOLLOW_UP_STATUSES",
    "FORGERY_TYPES",
    "HIT_SOURCES",
    "HIT_STATUSES",
    "RESTRICTED_MATTERS",
    "SERIES",
    "SLTD_STATUSES",
    "WATCHLIST_CATEGORIES",
    "chart_words",
    "day_label",
    "hit_said",
    "numbers_said",
    "said",
]

ALERT_STATUSES: Mapping[str, str] = {
    "active": N_("active"),
    "hit": N_("hit"),
    "withdrawn": N_("withdrawn"),
    "expired": N_("expired"),
}
ALERT_CATEGORIES: Mapping[str, str] = {
    "wanted": N_("wanted (arrest)"),
    "missing_person": N_("missing person"),
    "travel_ban": N_("travel ban"),
    "surveillance": N_("discreet surveillance"),
    "stolen_document": N_("stolen document"),
    "stolen_vehicle": N_("stolen vehicle"),
    "forged_document": N_("forged document"),
}
WATCHLIST_CATEGORIES: Mapping[str, str] = {
    "wanted": N_("wanted"),
    "travel_ban": N_("travel ban"),
    "missing": N_("missing"),
    "alert": N_("alert"),
    "unknown": N_("no longer on file"),
}
HIT_STATUSES: Mapping[str, str] = {
    "pending": N_("pending"),
    "confirmed": N_("confirmed"),
    "dismissed": N_("dismissed"),
}
CASE_STATUSES: Mapping[str, str] = {"open": N_("open"), "closed": N_("closed")}
FOLLOW_UP_STATUSES: Mapping[str, str] = {
    "pending": N_("pending"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    "expired": N_("expired"),
}
HIT_SOURCES: Mapping[str, str] = {
    "sltd": N_("Stolen and lost documents"),
    "alerts": N_("Alerts"),
    "watchlist": N_("Watchlist"),
    "face": N_("Faces"),
    "fingerprint": N_("Fingerprints"),
    "chip": N_("Chips"),
}
DIRECTIONS: Mapping[str, str] = {"entry": N_("entry"), "exit": N_("exit")}
SERIES: Mapping[str, str] = {
    "entry": N_("entries"),
    "exit": N_("exits"),
    "clear": N_("cleared"),
    "refer": N_("referred"),
    "hit": N_("with a hit"),
}
"""The dashboard's daily series: crossings by direction, inspections by decision."""

SLTD_STATUSES: Mapping[str, str] = {
    "stolen": N_("stolen"),
    "lost": N_("lost"),
    "revoked": N_("revoked"),
    "invalidated": N_("invalidated"),
}
RESTRICTED_MATTERS: Mapping[str, str] = {
    "political": N_("political"),
    "military": N_("military"),
    "religious": N_("religious"),
    "racial": N_("racial"),
}

_DAY_PATTERN = "EEE d MMM"
"""A day on a chart's axis: ``Mon 7 Dec``, ``lun. 7 déc.``, ``الاثنين 7 ديسمبر``."""


def said(table: Mapping[str, str], code: str | None) -> str:
    """``code``'s words from ``table`` in the reader's language (the code itself, unknown).

    >>> said(ALERT_STATUSES, "withdrawn"), said(ALERT_STATUSES, "odd")
    ('withdrawn', 'odd')
    """
    if code is None:
        return ""
    return gettext(table[code]) if code in table else code


def hit_said(words: HitWords, source: str) -> Markup:
    """What a hit's record is, in the reader's language (the category in its words too)."""
    parameters = dict(words.parameters)
    if words.category is not None:
        table = ALERT_CATEGORIES if source == "alerts" else WATCHLIST_CATEGORIES
        parameters["category"] = said(table, words.category)
    return translate(words.text, **parameters)


def numbers_said(subject: SeriesSubject) -> Markup:
    """The numbers a forgery alert covers, in the reader's language (each number isolated)."""
    parts: list[Markup] = []
    if subject.series is not None:
        parts.append(translate(N_("series %(series)s"), series=subject.series))
    if subject.number_from is not None:
        between = N_("numbers %(first)s to %(last)s")
        parts.append(translate(between, first=subject.number_from, last=subject.number_to))
    if subject.number_pattern is not None:
        parts.append(translate(N_("numbers like %(pattern)s"), pattern=subject.number_pattern))
    return Markup(gettext(N_(", "))).join(parts)


def day_label(day: date | str, language: str) -> str:
    """A chart's day, weekday and month named in ``language``.

    >>> day_label("2026-12-07", "fr"), day_label(date(2026, 12, 7), "en")
    ('lun. 7 déc.', 'Mon 7 Dec')
    """
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return format_date(value, _DAY_PATTERN, locale=language)


def chart_words(days: Iterable[date | str]) -> dict[str, object]:
    """Every word the dashboard's charts print, in the reader's language."""
    reading = current_language()
    return {
        "days": [day_label(day, reading) for day in days],
        "series": {code: gettext(words) for code, words in SERIES.items()},
        "sources": {code: gettext(words) for code, words in HIT_SOURCES.items()},
        "categories": {code: gettext(words) for code, words in WATCHLIST_CATEGORIES.items()},
        "day": gettext("Day"),
        "count": gettext("Count"),
        "crossings": gettext("Crossings"),
        "inspections": gettext("Inspections"),
        "hits": gettext("Hits"),
        "crossing_point": gettext("Crossing point"),
        "list": gettext("List"),
        "nationality": gettext("Nationality"),
        "share": gettext("Per cent of reviewed hits"),
        "of": gettext("%(false_positives)s of %(reviewed)s"),
    }
