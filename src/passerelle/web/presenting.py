"""An inspection's result in the words and colours a first-line officer reads at a glance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from passerelle.i18n import N_, current_language, gettext
from passerelle.records.catalogues import (
    DEFAULT_REASONS,
    DecisionReasons,
    Situation,
    label_for_reader,
)
from passerelle.screening import InspectionRecord, InspectionResult
from passerelle.web.presenting_stay import stay_light_words, stay_not_applied
from passerelle.web.verdict_actions import action_banner
from passerelle.web.wording import (
    candidate_reasons,
    chip_reason,
    finding_action,
    finding_contact,
    finding_text,
)
from passerelle.web.wording_states import state_words_in

__all__ = [
    "ReaderWords",
    "chip_line",
    "default_reason",
    "federation_words",
    "present",
    "reason_words",
    "situation",
]


class ReaderWords(Mapping[str, str]):
    """Words marked for the catalogues (``N_``), read in the language of the page being
    written: ``SOURCE_LABELS["sltd"]`` is "Stolen / lost" on an English page, "Volé / perdu"
    on a French one."""

    def __init__(self, words: Mapping[str, str]) -> None:
        self._words = dict(words)

    def __getitem__(self, key: str) -> str:
        return gettext(self._words[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


SOURCE_LABELS = ReaderWords(
    {
        "document": N_("Document"),
        "sltd": N_("Stolen / lost"),
        "alerts": N_("Alerts"),
        "watchlist": N_("Watchlist"),
        "face": N_("Face"),
        "fingerprint": N_("Fingerprint"),
        "stay": N_("Stay rule"),
        "federation": N_("Partners"),
        "chip": N_("Chip"),
        "inspection": N_("Inspection"),
    }
)
LIGHT_WORDS = ReaderWords(
    {
        "green": N_("nothing found"),
        "blue": N_("see note"),
        "amber": N_("look again"),
        "red": N_("HIT"),
        "grey": N_("not checked"),
    }
)
BANNERS = {
    "clear": (N_("CLEAR"), N_("Every check passed. Admit unless you see a reason not to.")),
    "refer": (N_("REFER"), N_("Send the traveller to second-line control: see why below.")),
    "hit": (N_("HIT"), N_("Do not let the traveller through. Follow the action below.")),
}
DOCUMENT_FIELDS = (
    (N_("Format"), "format"),
    (N_("Type"), "document_code"),
    (N_("Issuing state"), "issuing_state"),
    (N_("Number"), "document_number"),
    (N_("Surname"), "surname"),
    (N_("Given names"), "given_names"),
    (N_("Nationality"), "nationality"),
    (N_("Date of birth"), "birth_date"),
    (N_("Sex"), "sex"),
    (N_("Expiry"), "expiry_date"),
)
_STATE_FIELDS = frozenset({"issuing_state", "nationality"})


def _field_shown(key: str, value: object) -> object:
    """A document field as the verdict shows it: a state with its name in the reader's
    language beside the code (``Maroc (MAR)``), as the reasons name it; the rest as read."""
    if key in _STATE_FIELDS and isinstance(value, str):
        return state_words_in(value)
    return value


DONE_WORDS = ReaderWords(
    {"admit": N_("Admitted"), "refer": N_("Referred"), "refuse": N_("Refused")}
)
"""The officer's decision once taken, as the verdict shows it ("Refused — <reason>")."""


FEDERATION_WORDS = ReaderWords(
    {
        "not_configured": N_("not configured"),
        "no_partner": N_("no partner asked"),
        "nothing_to_ask": N_("nothing to ask"),
        "unavailable": N_("no answer"),
    }
)


def federation_words(result: InspectionResult) -> str:
    """The partners' light in words: a hit, no partner hit, incomplete, or why not asked."""
    light = result.light("federation")
    if light == "red":
        return gettext("HIT (partner)")
    if light == "green":
        return gettext("no partner hit")
    codes = [f.code for f in result.findings if f.source == "federation"]
    if any(code.startswith("partner_") for code in codes):
        return gettext("incomplete: a partner did not answer")
    for code in codes:
        if code in FEDERATION_WORDS:
            return FEDERATION_WORDS[code]
    return gettext("not asked")


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
    return gettext("Chip NOT verified: %(why)s") % {"why": " ".join(why)}


def _own_words(text: str) -> Markup:
    """The page's own words in the reader's language, escaped: not a value, so printed as they
    are (a value is isolated in ``<bdi>``, which the page's ``<title>`` would show as text)."""
    return Markup.escape(gettext(text))


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


def reason_words(reasons: DecisionReasons, code: str) -> str:
    """The label of decision reason ``code`` in the reader's language: the catalogue's label
    in that language, else its label (translated when the node's catalogues know it); the
    code itself when these reasons lack it."""
    reason = reasons.reason(code)
    return label_for_reader(reason, current_language()) if reason is not None else code


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
        face = {"match": verification.match, "score": f"{verification.score:.2f}"}
    decided = record.officer_decision
    return {
        "result": result,
        "banner": Banner(_own_words(title), _own_words(says)),
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
                "action": finding_action(f),
                "contact": finding_contact(f),
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
        "document_fields": [
            (gettext(label), _field_shown(key, result.document.get(key)))
            for label, key in DOCUMENT_FIELDS
        ],
        "stay": result.stay,
        "stay_not_applied": stay_not_applied(result),
        "face": face,
        "chip": chip_line(result),
        "decided": (
            {
                "action": decided.action,
                "reason_code": decided.reason_code,
                "reason_label": reason_words(reasons, decided.reason_code),
                "done": DONE_WORDS.get(decided.action, decided.action.capitalize()),
                "by": decided.by,
                "at": decided.at,  # the template shows it: |local_time
            }
            if decided
            else None
        ),
        "reason_codes": [
            (
                group.action,
                label_for_reader(group, current_language()),
                [(reason.code, reason_words(reasons, reason.code)) for reason in group.reasons],
            )
            for group in reasons.groups
        ],
        "reason_questions": {  # the booth's in-place chooser asks this (static/app.js)
            group.action: gettext("%(action)s: which reason?")
            % {"action": label_for_reader(group, current_language())}
            for group in reasons.groups
        },
        "default_reason": default_reason(result, reasons),
    }
