"""The words the border checks write into their findings: what an alert or a watchlist
category means, the actions the node itself asks of the officer, a state, whom to call.

Each is marked ``N_`` (its English is what the API says; a page writes it in its reader's
language) or built as a wording (:mod:`passerelle.i18n.wording`).
"""

from __future__ import annotations

from passerelle.documents.states import stated
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, Wording, worded
from passerelle.names import NameMatch

__all__ = [
    "ALERT_MEANING",
    "ENGINE_ACTIONS",
    "REFER_ACTION",
    "SLTD_HIT_ACTION",
    "SLTD_STATUS_WORDS",
    "STAY_PROOF_ACTION",
    "WATCHLIST_ACTION",
    "WATCHLIST_CATEGORIES",
    "alert_meaning",
    "category_words",
    "issuing_authority",
    "reasons_said",
    "state_words",
]

ALERT_MEANING = {
    "wanted": N_("Wanted person (arrest for surrender or extradition)"),
    "missing_person": N_("Missing person, or a person to protect"),
    "travel_ban": N_("Travel ban (refuse entry or exit)"),
    "surveillance": N_("Discreet check: report, do not alert the traveller"),
    "stolen_document": N_("Stolen document"),
    "stolen_vehicle": N_("Stolen vehicle"),
    "forged_document": N_("Known forgery of this document type"),
}
WATCHLIST_ACTION = {
    "wanted": N_(
        "Do not let the traveller through: keep them at the booth, call second line "
        "and the duty officer; do not tell them why."
    ),
    "travel_ban": N_(
        "Do not let the traveller cross: refer to second line to confirm the "
        "identity before refusing."
    ),
    "missing": N_(
        "Refer to second line; the traveller may need protection: do not alert "
        "anyone travelling with them."
    ),
    "alert": N_("Refer to second line for a closer check."),
}
WATCHLIST_CATEGORIES = {
    "wanted": N_("wanted"),
    "travel_ban": N_("travel_ban"),
    "missing": N_("missing"),
    "alert": N_("alert"),
}
"""A watchlist person's category, as the findings name it (the English is the code)."""
SLTD_HIT_ACTION = N_(
    "Keep the document (do not hand it back) and refer the traveller to second line; "
    "confirm the record with the reporting state before seizing it."
)
REFER_ACTION = N_("Refer the traveller to second line.")
STAY_PROOF_ACTION = N_(
    "See the card or document that proves it before letting the traveller through."
)
ENGINE_ACTIONS: frozenset[str] = frozenset(
    {*WATCHLIST_ACTION.values(), SLTD_HIT_ACTION, REFER_ACTION, STAY_PROOF_ACTION}
)
"""The actions the node itself writes on a finding (marked ``N_``: a page writes them in
its reader's language); any other ``action`` is the issuer's own words."""
SLTD_STATUS_WORDS = {"stolen": N_("stolen"), "lost": N_("lost"), "revoked": N_("revoked")}


def alert_meaning(category: str) -> Parameter:
    """What an alert of ``category`` is, in words (the category itself when unknown)."""
    meaning = ALERT_MEANING.get(category)
    return worded(meaning) if meaning is not None else category


def category_words(category: str) -> Parameter:
    """A watchlist category to put into a sentence (the code, translated where known)."""
    words = WATCHLIST_CATEGORIES.get(category)
    return worded(words) if words is not None else category


def reasons_said(match: NameMatch) -> Parameter:
    """A name match's reasons, ``; `` between them, to put into a finding's sentence."""
    return match.wordings if match.wordings else "; ".join(match.reasons)


def state_words(code: str) -> Parameter:
    """A state as an officer reads it: ``Morocco (MAR)`` (named in the page reader's
    language, ``i18n.wording.State``); a code that names no state as it is."""
    return stated(code) if len(code) == 3 else code


def issuing_authority(code: str) -> Wording:
    """Whom to call about a record a state issued: ``the issuing authority in Morocco (MAR)``."""
    return worded(N_("the issuing authority in %(state)s"), state=state_words(code))
