"""The values of a border check: the request, what each source found, the result.

Frozen values only; ``InspectionResult.as_dict`` gives the JSON the API returns
and ``InspectionResult.from_dict`` reads a stored one back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, cast

from passerelle.i18n.wording import Wording
from passerelle.screening.matches import FaceComparison, FaceHit, Matches, WatchlistCandidate
from passerelle.screening.request import Direction, InspectionRequest

__all__ = [
    "OFFICER_ACTIONS",
    "OPTIONAL_SOURCES",
    "SOURCES",
    "Decision",
    "Direction",
    "FaceComparison",
    "FaceHit",
    "Finding",
    "FindingSource",
    "InspectionRequest",
    "InspectionResult",
    "Light",
    "Matches",
    "OfficerAction",
    "OfficerDecision",
    "Severity",
    "Source",
    "SourceStatus",
    "StayFigures",
    "WatchlistCandidate",
]

Decision = Literal["clear", "refer", "hit"]
Source = Literal[
    "document", "sltd", "alerts", "watchlist", "face", "stay", "fingerprint", "federation", "chip"
]
FindingSource = Literal[Source, "inspection"]
"""A finding's source: one of the checks, or ``inspection`` (recording the check itself)."""
Severity = Literal["hit", "refer", "report", "info"]
"""What a finding does to the decision: makes it a hit, a referral, or nothing; ``report``
changes nothing either but asks the officer for a report (a discreet check, an alert for
information: ``records.alert_actions``)."""
Light = Literal["green", "blue", "amber", "red", "grey"]
"""Red a hit, amber refer, blue a report asked (the decision unchanged), green nothing found,
grey not run."""
OfficerAction = Literal["admit", "refer", "refuse"]

SOURCES: tuple[Source, ...] = ("document", "sltd", "alerts", "watchlist", "face", "stay")
"""The sources every inspection shows a light for."""
OPTIONAL_SOURCES: tuple[Source, ...] = ("chip", "fingerprint", "federation")
"""Sources with a light only when the inspection involved them (asked, or said why not)."""
OFFICER_ACTIONS: frozenset[str] = frozenset({"admit", "refer", "refuse"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a source found, in words for a first-line officer.

    ``severity`` says what it does to the decision. A hit's ``action`` is what to
    do at the border and ``contact`` whom to call, when the record carries them;
    ``reference`` names the record (an alert id, a watchlist id, ``STATE:NUMBER``).
    ``alert_action`` is the code of what the record's hit asks for
    (``records.alert_actions``: ``arrest``, ``discreet_check``...), on the findings of
    alerts, watchlist and stolen/lost hits; None on the others.
    ``wording`` is the message as its sentence's template and parameters, for a page to
    write it in its reader's language (``message`` is its English; None on findings stored
    before the wordings: their pages show the English); ``action_wording`` and
    ``contact_wording`` are the same for an action or a contact the node itself writes with
    values in it (``the issuing authority in Morocco (MAR)``), None for an issuer's own words
    and for the node's fixed actions (``screening.checks.ENGINE_ACTIONS``).
    """

    source: FindingSource
    code: str
    severity: Severity
    message: str
    action: str | None = None
    contact: str | None = None
    reference: str | None = None
    alert_action: str | None = None
    wording: Wording | None = None
    contact_wording: Wording | None = None
    action_wording: Wording | None = None

    @classmethod
    def worded(
        cls,
        source: FindingSource,
        code: str,
        severity: Severity,
        wording: Wording,
        *,
        action: str | Wording | None = None,
        contact: str | Wording | None = None,
        reference: str | None = None,
        alert_action: str | None = None,
    ) -> Finding:
        """The finding that says ``wording`` (its English the ``message``); an ``action`` or a
        ``contact`` the node words itself is a wording too (its English the ``action``, the
        ``contact``)."""
        said_action = action if isinstance(action, Wording) else None
        said_contact = contact if isinstance(contact, Wording) else None
        return cls(
            source, code, severity, wording.english,
            said_action.english if said_action is not None else _plain(action),
            said_contact.english if said_contact is not None else _plain(contact),
            reference, alert_action, wording, said_contact, said_action,
        )  # fmt: skip

    def as_stored(self) -> dict[str, Any]:
        """:meth:`as_dict` with the wordings (read back by :meth:`from_dict`)."""
        out: dict[str, Any] = dict(self.as_dict())
        if self.wording is not None:
            out["wording"] = self.wording.as_dict()
        if self.contact_wording is not None:
            out["contact_wording"] = self.contact_wording.as_dict()
        if self.action_wording is not None:
            out["action_wording"] = self.action_wording.as_dict()
        return out

    def as_dict(self) -> dict[str, str | None]:
        return {
            "source": self.source,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "action": self.action,
            "contact": self.contact,
            "reference": self.reference,
            "alert_action": self.alert_action,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """A finding from its ``as_dict`` form, or its stored one (with its wording)."""
        wording, contact = data.get("wording"), data.get("contact_wording")
        action = data.get("action_wording")
        return cls(
            data["source"],
            data["code"],
            data["severity"],
            data["message"],
            data.get("action"),
            data.get("contact"),
            data.get("reference"),
            data.get("alert_action"),
            Wording.from_dict(wording) if wording else None,
            Wording.from_dict(contact) if contact else None,
            Wording.from_dict(action) if action else None,
        )


def _plain(text: str | Wording | None) -> str | None:
    return text if text is None or isinstance(text, str) else text.english


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source's traffic light: red a hit, amber refer, green nothing found, grey not run."""

    source: Source
    light: Light


@dataclass(frozen=True, slots=True)
class StayFigures:
    """Days of stay against the rule, as of the inspection's day (``passerelle.stay``)."""

    days_used: int
    days_left: int
    max_days: int
    window_days: int
    overstay_days: int
    inside: bool
    latest_day: date | None
    """Entering: the last day the traveller may stay. Inside: the last day to leave by."""

    def as_dict(self) -> dict[str, object]:
        return {
            "days_used": self.days_used,
            "days_left": self.days_left,
            "max_days": self.max_days,
            "window_days": self.window_days,
            "overstay_days": self.overstay_days,
            "inside": self.inside,
            "latest_day": self.latest_day.isoformat() if self.latest_day else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StayFigures:
        latest = data.get("latest_day")
        return cls(
            data["days_used"],
            data["days_left"],
            data["max_days"],
            data["window_days"],
            data["overstay_days"],
            data["inside"],
            date.fromisoformat(latest) if latest else None,
        )


@dataclass(frozen=True, slots=True)
class InspectionResult:
    """The answer of one border check: decision, reasons, per-source lights and matches.

    ``document`` is the ``passerelle doc check --json`` object. ``recorded`` is false
    only when the node could not store the inspection (the decision is then at
    least ``refer``); ``crossing_id`` is the crossing logged for a ``clear``.
    ``action`` is the strongest action the hits ask for (``records.alert_actions``),
    None when none asks for one: a ``clear`` may carry ``discreet_check``.
    """

    inspection_id: str
    at: datetime
    decision: Decision
    document: dict[str, object]
    findings: tuple[Finding, ...]
    sources: tuple[SourceStatus, ...]
    matches: Matches = field(default_factory=Matches)
    stay: StayFigures | None = None
    crossing_id: int | None = None
    recorded: bool = True
    action: str | None = None
    document_wordings: tuple[Wording | None, ...] = ()
    """The wording of each of ``document``'s findings, in their order (``i18n.wording``;
    empty when stored before the wordings)."""

    def light(self, source: Source) -> Light:
        """The traffic light of one source."""
        for status in self.sources:
            if status.source == source:
                return status.light
        return "grey"

    @property
    def reasons(self) -> tuple[str, ...]:
        """The messages behind the decision (hits first, then referrals; a report asked
        changes no decision, so it is not among them)."""
        ranked = sorted(
            (f for f in self.findings if f.severity in ("hit", "refer")),
            key=lambda f: f.severity != "hit",
        )
        return tuple(f.message for f in ranked)

    def as_dict(self) -> dict[str, object]:
        return {
            "inspection_id": self.inspection_id,
            "at": self.at.isoformat(),
            "decision": self.decision,
            "document": self.document,
            "findings": [f.as_dict() for f in self.findings],
            "sources": {s.source: s.light for s in self.sources},
            "matches": self.matches.as_dict(),
            "stay": self.stay.as_dict() if self.stay else None,
            "crossing_id": self.crossing_id,
            "recorded": self.recorded,
            "action": self.action,
        }

    def as_stored(self) -> dict[str, object]:
        """The result as the node stores it: :meth:`as_dict` with each finding's and each
        watchlist reason's wording (``i18n.wording``), so that a page reopening it later
        writes them in its reader's language. :meth:`from_dict` reads either form."""
        out = self.as_dict()
        out["findings"] = [f.as_stored() for f in self.findings]
        document = out["document"]
        if self.document_wordings and isinstance(document, dict):
            out["document"] = {
                **document,
                "findings": [
                    {**finding, "wording": wording.as_dict()} if wording else finding
                    for finding, wording in zip(
                        document.get("findings", ()), self.document_wordings, strict=False
                    )
                ],
            }
        matches = self.matches.as_dict()
        matches["watchlist"] = [
            {**c.as_dict(), "wordings": [w.as_dict() for w in c.wordings]}
            for c in self.matches.watchlist
        ]
        out["matches"] = matches
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InspectionResult:
        """A result back from its ``as_dict`` form, or from its stored one (:meth:`as_stored`:
        the wordings put back beside the English)."""
        stay = data.get("stay")
        document = dict(data["document"])
        stored_findings = document.get("findings")
        wordings: tuple[Wording | None, ...] = ()
        if isinstance(stored_findings, list):
            wordings = tuple(
                Wording.from_dict(f["wording"]) if f.get("wording") else None
                for f in stored_findings
            )
            document["findings"] = [
                {k: v for k, v in f.items() if k != "wording"} for f in stored_findings
            ]
        return cls(
            inspection_id=data["inspection_id"],
            at=datetime.fromisoformat(data["at"]),
            decision=data["decision"],
            document=document,
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            sources=tuple(
                SourceStatus(cast(Source, source), cast(Light, light))
                for source, light in data["sources"].items()
            ),
            matches=Matches.from_dict(data.get("matches", {})),
            stay=StayFigures.from_dict(stay) if stay else None,
            crossing_id=data.get("crossing_id"),
            recorded=data.get("recorded", True),
            action=data.get("action"),  # None in results stored before the action codes
            document_wordings=wordings if any(wordings) else (),
        )


@dataclass(frozen=True, slots=True)
class OfficerDecision:
    """What the officer decided after the check, and the crossing it logged (``admit``).

    An ``admit`` of a HIT is ``awaiting_confirmation`` until a supervisor confirms it
    (then ``confirmed_by`` names the supervisor: four eyes, two people).
    """

    inspection_id: str
    action: OfficerAction
    reason_code: str
    by: str
    at: datetime
    crossing_id: int | None
    confirmed_by: str | None = None
    awaiting_confirmation: bool = False

    @property
    def state(self) -> str:
        """``recorded``, or ``awaiting_confirmation`` (an admission of a HIT)."""
        return "awaiting_confirmation" if self.awaiting_confirmation else "recorded"
