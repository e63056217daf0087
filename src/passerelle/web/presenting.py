"""An inspection's result in the words and colours a first-line officer reads at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.screening import InspectionRecord, InspectionResult

__all__ = ["REASON_CODES", "default_reason", "federation_words", "present", "reason_fits"]

SOURCE_LABELS = {
    "document": "Document",
    "sltd": "Stolen / lost",
    "alerts": "Alerts",
    "watchlist": "Watchlist",
    "face": "Face",
    "stay": "Stay rule",
    "federation": "Partners",
    "inspection": "Inspection",
}
LIGHT_WORDS = {
    "green": "nothing found",
    "amber": "look again",
    "red": "HIT",
    "grey": "not checked",
}
BANNERS = {
    "clear": ("CLEAR", "Every check passed. Admit unless you see a reason not to."),
    "refer": ("REFER", "Send the traveller to second-line control: see why below."),
    "hit": ("HIT", "Do not let the traveller through. Follow the action below."),
}
REASON_CODES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Admit",
        (
            ("cleared", "Checks passed"),
            ("cleared_after_second_line", "Cleared by second line"),
        ),
    ),
    (
        "Refer to second line",
        (
            ("document_doubt", "Doubt about the document"),
            ("identity_doubt", "Doubt about the holder's identity"),
            ("watchlist_candidate", "Possible watchlist match"),
            ("face_mismatch", "Face does not match the document"),
            ("stay_question", "Stay rule to verify"),
            ("hit_to_handle", "Hit to handle"),
        ),
    ),
    (
        "Refuse (Schengen Borders Code Annex V, Part B)",
        (
            ("a_no_valid_document", "A — no valid travel document"),
            ("b_false_document", "B — false, counterfeit or forged document"),
            ("c_no_valid_visa", "C — no valid visa or residence permit"),
            ("e_purpose_not_justified", "E — purpose and conditions of stay not justified"),
            ("f_stay_exceeded", "F — already stayed 90 days in the last 180"),
            ("g_insufficient_means", "G — insufficient means of subsistence"),
            ("h_alert_refusal_of_entry", "H — alert for refusal of entry"),
            ("i_threat", "I — threat to public policy or internal security"),
        ),
    ),
)
_GROUP_OF_ACTION = {"admit": 0, "refer": 1, "refuse": 2}


def reason_fits(action: str, reason_code: str) -> bool:
    """Whether ``reason_code`` is one the form offers for ``action`` (a refusal needs an
    Annex V ground, an admission a clearing reason)."""
    group = _GROUP_OF_ACTION.get(action)
    return group is not None and any(code == reason_code for code, _ in REASON_CODES[group][1])


DOCUMENT_FIELDS = (
    ("Format", "format"),
    ("Type", "document_code"),
    ("Issuing state", "issuing_state"),
    ("Number", "document_number"),
    ("Surname", "surname"),
    ("Given names", "given_names"),
    ("Nationality", "nationality"),
    ("Date of birth", "birth_date"),
    ("Sex", "sex"),
    ("Expiry", "expiry_date"),
)


FEDERATION_WORDS = {
    "not_configured": "not configured",
    "no_partner": "no partner asked",
    "nothing_to_ask": "nothing to ask",
    "unavailable": "no answer",
}


def federation_words(result: InspectionResult) -> str:
    """The partners' light in words: a hit, no partner hit, incomplete, or why not asked."""
    light = result.light("federation")
    if light == "red":
        return "HIT (partner)"
    if light == "green":
        return "no partner hit"
    codes = [f.code for f in result.findings if f.source == "federation"]
    if any(code.startswith("partner_") for code in codes):
        return "incomplete: a partner did not answer"
    for code in codes:
        if code in FEDERATION_WORDS:
            return FEDERATION_WORDS[code]
    return "not asked"


@dataclass(frozen=True, slots=True)
class Banner:
    title: str
    says: str


def default_reason(result: InspectionResult) -> str:
    """The reason the decision form offers first."""
    if result.decision == "clear":
        return "cleared"
    if result.decision == "hit":
        return "hit_to_handle"
    lights = {s.source: s.light for s in result.sources}
    if lights.get("document") == "amber":
        return "document_doubt"
    if lights.get("face") == "amber":
        return "face_mismatch"
    if lights.get("watchlist") == "amber":
        return "watchlist_candidate"
    if lights.get("stay") == "amber":
        return "stay_question"
    return "identity_doubt"


def present(record: InspectionRecord) -> dict[str, Any]:
    """The verdict page's context for a stored inspection."""
    result = record.result
    title, says = BANNERS[result.decision]
    marked = {r.reference for r in record.reviews if r.feedback == "not_same_person"}
    ranked = sorted(
        (f for f in result.findings if f.severity != "info"),
        key=lambda f: (f.severity != "hit", f.source),
    ) + [f for f in result.findings if f.severity == "info"]
    verification = result.matches.face_verification
    face = None
    if verification is not None:
        face = (
            f"Live photo {'matches' if verification.match else 'does NOT match'} the document "
            f"photo (score {verification.score:.2f})."
        )
    decided = record.officer_decision
    return {
        "result": result,
        "banner": Banner(title, says),
        "lights": [
            {
                "source": status.source,
                "label": SOURCE_LABELS[status.source],
                "colour": status.light,
                "words": (
                    federation_words(result)
                    if status.source == "federation"
                    else LIGHT_WORDS[status.light]
                ),
            }
            for status in result.sources
        ],
        "reasons": [
            {
                "label": SOURCE_LABELS.get(f.source, f.source) + ":",
                "message": f.message,
                "severity": f.severity,
                "action": f.action,
                "contact": f.contact,
            }
            for f in ranked
        ],
        "candidates": [
            {
                "id": c.id,
                "name": c.name,
                "score": c.score,
                "hit": c.hit,
                "reasons": c.reasons,
                "marked": c.id in marked,
            }
            for c in result.matches.watchlist
        ],
        "document_fields": [(label, result.document.get(key)) for label, key in DOCUMENT_FIELDS],
        "stay": result.stay,
        "face": face,
        "decided": (
            {
                "action": decided.action,
                "reason_code": decided.reason_code,
                "by": decided.by,
                "at": decided.at.strftime("%Y-%m-%d %H:%M UTC"),
            }
            if decided
            else None
        ),
        "reason_codes": REASON_CODES,
        "default_reason": default_reason(result),
    }
