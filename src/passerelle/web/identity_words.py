"""The identity-link pages' words: each MID colour's name and meaning, the kinds of record,
and the plain sentence of why a link exists.

A colour is never shown by colour alone: its tag carries its name, and the resolve form
spells out what each colour means (the EU Multiple-Identity Detector's meanings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from passerelle.i18n import N_, gettext
from passerelle.records.identity_links import IdentityLinkView
from passerelle.web.rendering import translate
from passerelle.web.wording_states import state_words_in

__all__ = [
    "COLOUR_MEANINGS",
    "COLOUR_NAMES",
    "COLOUR_TAGS",
    "RECORD_KINDS",
    "comparisons",
    "field_said",
    "why_linked",
]

COLOUR_NAMES: Mapping[str, str] = {
    "yellow": N_("yellow: to verify"),
    "red": N_("red: multiple identity"),
    "green": N_("green: different persons"),
    "white": N_("white: same person, lawfully"),
}
COLOUR_MEANINGS: Mapping[str, str] = {
    "yellow": N_("Not verified yet: an analyst must compare the two records."),
    "red": N_(
        "Red: the same person under different identities without a lawful reason "
        "(identity fraud is suspected)."
    ),
    "green": N_("Green: two different persons who happen to look alike in the records."),
    "white": N_(
        "White: the same person, who lawfully holds several documents or identities "
        "(dual nationality, a renewed passport)."
    ),
}
COLOUR_TAGS: Mapping[str, str] = {"yellow": "amber", "red": "red", "green": "green", "white": ""}
"""The page's tag style for each colour (its name is always written beside it)."""
RECORD_KINDS: Mapping[str, str] = {
    "inspection": N_("inspection"),
    "watchlist": N_("listed person"),
    "alert": N_("alert"),
    "partner_alert": N_("partner's alert"),
    "partner": N_("partner's record"),
}
_FIELDS: Mapping[str, str] = {
    "name": N_("names"),
    "names": N_("names"),
    "birth_date": N_("birth date"),
    "nationality": N_("nationality"),
    "sex": N_("sex"),
    "document": N_("document"),
    "face": N_("face"),
    "partner": N_("partner's answer"),
}


def field_said(code: str) -> str:
    """A compared field in the reader's language (the code itself when unknown)."""
    return gettext(_FIELDS[code]) if code in _FIELDS else code


def comparisons(link: IdentityLinkView) -> list[dict[str, Any]]:
    """The evidence's comparisons, strongest first, with each field in the reader's words."""
    listed = [c for c in link.evidence.get("comparisons", ()) if isinstance(c, Mapping)]
    rows = [
        {
            "field": field_said(str(c.get("field", ""))),
            "level": str(c.get("level", "")),
            "weight": float(c.get("weight") or 0.0),
        }
        for c in listed
    ]
    return sorted(rows, key=lambda row: -row["weight"])


def why_linked(link: IdentityLinkView) -> Markup:
    """Why the link exists, in one plain sentence in the reader's language."""
    if link.origin == "partner":
        band = str(link.evidence.get("score_band") or "")
        partner = state_words_in(link.partner_state) or "?"
        return translate(
            N_(
                "%(partner)s answered that it holds a record matching this person under "
                "another identity (score band %(band)s). Its data is shown only once it "
                "approves a follow-up."
            ),
            partner=partner,
            band=band,
        )
    rows = [row for row in comparisons(link) if row["weight"] > 0]
    agreeing = ", ".join(row["field"] for row in rows[:3]) or gettext(N_("no field"))
    return translate(
        N_(
            "The linkage model gives these two records a %(percent)s%% chance of being the "
            "same person; what agrees most: %(fields)s."
        ),
        percent=f"{link.probability * 100:.0f}",
        fields=agreeing,
    )
