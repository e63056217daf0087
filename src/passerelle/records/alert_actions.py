"""What an alert asks the border to do: the action codes, their order, and each list's default.

An alert's ``action`` is free text written by its issuer ("keep the passport,
call the duty desk"); its ``action_code`` is one of a closed list that the
border check acts on: it decides what the hit does to the verdict and what the
officer's screen says. The list follows the actions the Schengen Information
System asks for on a hit (Regulation (EU) 2018/1862: arrest, art. 26;
discreet, inquiry and specific checks, art. 36-37) and the refusal of entry on
an alert for refusal of entry or stay (Regulation (EU) 2018/1861), which
Interpol's notices mirror (red: locate and arrest; blue: locate and report;
yellow: missing person; green: information).

==================  ==============================================  =====  ==========
code                the officer's words                             rank   report
==================  ==============================================  =====  ==========
``arrest``          Arrest: hold the traveller                       6     no
``refuse_crossing`` Travel ban: refuse entry or exit                  5     no
``seize``           Seize the document or object                     4     no
``specific_check``  Specific check: search and question, report      3     yes
``discreet_check``  Discreet check: observe and report, let pass     2     yes
``inform``          Information only                                 1     yes
==================  ==============================================  =====  ==========

The rank orders them: an inspection that hits several alerts asks for the
strongest (:func:`strongest`). ``report`` says whether the issuer expects a
report of the encounter (:data:`REPORTED`); the officer files it from the
verdict (``alert_reports``).

What each does to the border check's decision (``screening.rules``):
``arrest``, ``refuse_crossing`` and ``seize`` make it a ``hit``;
``specific_check`` a ``refer`` (second line searches and questions);
``discreet_check`` and ``inform`` change nothing: the traveller passes as
usual, and nothing on the screen a traveller can read says otherwise.

>>> strongest(["discreet_check", "seize", None])
'seize'
>>> default_for_alert("surveillance")
'discreet_check'
>>> ACTIONS["refuse_crossing"].label
'Travel ban: refuse entry or exit'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from passerelle.exc import InvalidInput
from passerelle.i18n import N_

__all__ = [
    "ACTIONS",
    "ACTION_CODES",
    "ALERT_DEFAULTS",
    "REPORTED",
    "SLTD_ACTION",
    "WATCHLIST_DEFAULTS",
    "ActionCode",
    "AlertAction",
    "action_code",
    "default_for_alert",
    "default_for_watchlist",
    "strongest",
]

ActionCode = Literal[
    "arrest", "refuse_crossing", "seize", "specific_check", "discreet_check", "inform"
]
Effect = Literal["hit", "refer", "report"]


@dataclass(frozen=True, slots=True)
class AlertAction:
    """One action an alert may ask for: its code, the officer's words, rank and effect."""

    code: ActionCode
    label: str
    """The officer's words for the action (marked ``N_``: a page writes them in its reader's
    language, ``gettext(action.label)``)."""
    rank: int
    """Higher is stronger: the inspection asks for the strongest of its hits."""
    report_expected: bool
    """Whether the issuer expects the officer's report of the encounter."""
    effect: Effect
    """What a hit asking for it does to the decision: ``hit``, ``refer`` or nothing
    (``report``: the finding asks for a report and leaves the decision as it is)."""
    instruction: str
    """What the officer does, in a sentence (marked ``N_``, as ``label``)."""


ACTIONS: Mapping[str, AlertAction] = {
    a.code: a
    for a in (
        AlertAction(
            "arrest",
            N_("Arrest: hold the traveller"),
            6,
            False,
            "hit",
            N_("Hold the traveller at the booth without alarming them and call the duty officer."),
        ),
        AlertAction(
            "refuse_crossing",
            N_("Travel ban: refuse entry or exit"),
            5,
            False,
            "hit",
            N_("Do not let the traveller cross; refuse with the reason of the ban."),
        ),
        AlertAction(
            "seize",
            N_("Seize the document or object"),
            4,
            False,
            "hit",
            N_("Keep the document (or object) against a receipt and refer the traveller."),
        ),
        AlertAction(
            "specific_check",
            N_("Specific check: search and question, then report"),
            3,
            True,
            "refer",
            N_(
                "Send the traveller to second line to be searched and questioned; report to the "
                "issuer."
            ),
        ),
        AlertAction(
            "discreet_check",
            N_("Discreet check: observe and report, let pass"),
            2,
            True,
            "report",
            N_(
                "Let the traveller pass as usual, do not alert them; note what you observe and "
                "report it."
            ),
        ),
        AlertAction(
            "inform",
            N_("Information only"),
            1,
            True,
            "report",
            N_("Nothing to do at the booth; the issuer may ask what was seen."),
        ),
    )
}
ACTION_CODES: frozenset[str] = frozenset(ACTIONS)
REPORTED: frozenset[str] = frozenset(code for code, a in ACTIONS.items() if a.report_expected)
"""The actions whose issuer expects a report of the encounter."""

ALERT_DEFAULTS: Mapping[str, ActionCode] = {
    "wanted": "arrest",
    "travel_ban": "refuse_crossing",
    "stolen_document": "seize",
    "stolen_vehicle": "seize",
    "missing_person": "specific_check",
    "surveillance": "discreet_check",
    "forged_document": "specific_check",
}
"""The action an alert of each category asks for when its issuer names none."""
WATCHLIST_DEFAULTS: Mapping[str, ActionCode] = {
    "wanted": "arrest",
    "travel_ban": "refuse_crossing",
    "missing": "specific_check",
    "alert": "specific_check",
}
"""The action a watchlist hit asks for, by the person's watchlist category."""
SLTD_ACTION: ActionCode = "seize"
"""A document in the stolen and lost registry is seized."""


def default_for_alert(category: str) -> ActionCode:
    """The action an alert of ``category`` asks for by default (``specific_check`` for a
    category this list does not know: a second look, never a silent pass)."""
    return ALERT_DEFAULTS.get(category, "specific_check")


def default_for_watchlist(category: str | None) -> ActionCode:
    """The action a watchlist hit on a person of ``category`` asks for.

    >>> default_for_watchlist("wanted"), default_for_watchlist(None)
    ('arrest', 'specific_check')
    """
    return WATCHLIST_DEFAULTS.get(category or "", "specific_check")


def action_code(record: Mapping[str, Any], category: str, field: str = "action_code") -> str:
    """``record[field]`` checked against the list, or the category's default when absent.

    >>> action_code({}, "wanted")
    'arrest'
    >>> action_code({"action_code": "hold"}, "wanted")
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: action_code: 'hold' is not one of arrest, discreet_check, \
inform, refuse_crossing, seize, specific_check
    """
    value = record.get(field)
    if value is None or value == "":
        return default_for_alert(category)
    if not isinstance(value, str) or value not in ACTION_CODES:
        raise InvalidInput(field, f"{value!r} is not one of {', '.join(sorted(ACTION_CODES))}")
    return value


def strongest(codes: Iterable[str | None]) -> str | None:
    """The strongest of ``codes`` by rank (unknown codes and None ignored); None if none."""
    known = [ACTIONS[code] for code in codes if code is not None and code in ACTIONS]
    return max(known, key=lambda a: a.rank).code if known else None
