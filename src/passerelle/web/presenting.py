"""An inspection's result in the words and colours a first-line officer reads at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.records.catalogues import DEFAULT_REASONS, DecisionReasons, Situation
from passerelle.screening import InspectionRecord, InspectionResult
from passerelle.web.presenting_stay import stay_light_words, stay_not_applied
from passerelle.web.verdict_actions import action_banner
from passerelle.web.wording import candidate_reasons, chip_reason, finding_action, finding_text

__all__ = ["chip_line", "default_reason", "federation_words", "present", "situation"]

SOURCE_LABELS = {
    "document": "Document",
    "sltd": "Stolen / lost",
    "alerts": "Alerts",
    "watchlist": "Watchlist",
    "face": "Face",
    "fingerprint": "Fingerprint",
    "stay": "Stay rule",
    "federation": "Partners",
    "chip": "Chip",
    "inspection": "Inspection",
}
LIGHT_WORDS = {
    "green": "nothing found",
    "blue": "see note",
    "amber": "look again",
    "red": "HIT",
    "grey": "not checked",
}
BANNERS = {
    "clear": ("CLEAR", "Every check passed. Admit unless you see a reason not to."),
    "refer": ("REFER", "Send the traveller to second-line control: see why below."),
    "hit": ("HIT", "Do not let the traveller through. Follow the action below."),
}
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
DONE_WORDS = {"admit": "Admitted", "refer": "Referred", "refuse": "Refused"}
"""The officer's decision once taken, as the verdict shows it ("Refused — <reason>")."""


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


def chip_line(result: InspectionResult) -> str | None:
    """The chip in one line: who vouches for it, or why it is not trusted (None: no chip
    was read)."""
    found = [f for f in result.findings if f.source == "chip"]
    if not found:
        return None
    for finding in found:
        if finding.code == "chip_verified":
            return finding_text(finding)
    why = [chip_reason(f) for f in found if f.severity in ("hit", "refer")]
    return "Chip NOT verified: " + " ".join(why)


@dataclass(frozen=True, slots=True)
class Banner:
    title: str
    says: str


_REFERRAL_SOURCES: tuple[Situation, ...] = ("document", "face", "watchlist", "stay")
"""The sources whose amber light names a referral's reason, first found first."""


def situation(result: InspectionResult) -> Situation:
    """What the verdict calls for: ``clear``, ``hit``, or the source that asked for a second
    look (the document, then the face, the watchlist, the stay rule; ``other``)."""
    if result.decision == "clear":
        return "clear"
    if result.decision == "hit":
        return "hit"
    lights: dict[str, str] = {s.source: s.light for s in result.sources}
    if lights.get("chip") == "amber" and lights.get("document") != "amber":
        return "document"  # the chip is the document's: its reasons are the document's
    for source in _REFERRAL_SOURCES:
        if lights.get(source) == "amber":
            return source
    return "other"


def default_reason(result: InspectionResult, reasons: DecisionReasons = DEFAULT_REASONS) -> str:
    """The reason the decision form offers first: the catalogue's reason for the verdict's
    :func:`situation`."""
    return reasons.preselected(situation(result))


def present(record: InspectionRecord, reasons: DecisionReasons = DEFAULT_REASONS) -> dict[str, Any]:
    """The verdict page's context for a stored inspection, offering the node's decision
    ``reasons`` (``reason_codes``: ``(action, heading, [(code, label)...])`` per action, which
    the form's ``<optgroup data-action>`` carries for the booth's keys)."""
    result = record.result
    title, says = action_banner(result) or BANNERS[result.decision]
    marked = {r.reference for r in record.reviews if r.feedback == "not_same_person"}
    ranked = sorted(
        (f for f in result.findings if f.severity in ("hit", "refer")),
        key=lambda f: (f.severity != "hit", f.source),
    ) + [f for f in result.findings if f.severity == "info"]  # a report asked: its own note
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
                    else (status.source == "stay" and stay_light_words(result))
                    or LIGHT_WORDS[status.light]
                ),
            }
            for status in result.sources
        ],
        "reasons": [
            {
                "label": SOURCE_LABELS.get(f.source, f.source) + ":",
                "message": finding_text(f),
                "severity": f.severity,
                "action": finding_action(f.action),
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
                "reasons": candidate_reasons(c),
                "marked": c.id in marked,
            }
            for c in result.matches.watchlist
        ],
        "document_fields": [(label, result.document.get(key)) for label, key in DOCUMENT_FIELDS],
        "stay": result.stay,
        "stay_not_applied": stay_not_applied(result),
        "face": face,
        "chip": chip_line(result),
        "decided": (
            {
                "action": decided.action,
                "reason_code": decided.reason_code,
                "reason_label": reasons.label_of(decided.reason_code),
                "done": DONE_WORDS.get(decided.action, decided.action.capitalize()),
                "by": decided.by,
                "at": decided.at.strftime("%Y-%m-%d %H:%M UTC"),
            }
            if decided
            else None
        ),
        "reason_codes": [
            (group.action, group.label, [(reason.code, reason.label) for reason in group.reasons])
            for group in reasons.groups
        ],
        "default_reason": default_reason(result, reasons),
    }
