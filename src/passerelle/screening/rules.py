"""The decision rules of a border check, and the document check in an officer's words (pure).

Every finding carries its effect (``severity``): the decision is the strongest
effect found, a source's light the strongest effect among its own findings.

>>> decide([Finding("sltd", "sltd_match", "hit", "Reported stolen.")])
'hit'
>>> decide([Finding("face", "face_mismatch", "refer", "Not the same face.")])
'refer'
>>> decide([])
'clear'

What an alert's hit does follows the action it asks for (:func:`action_severity`):
an arrest, a travel ban or a seizure is a hit, a specific check a referral, and a
discreet check or information changes nothing: the traveller passes as usual, the
source's light turns blue (not red) and the result's ``action`` (:func:`asked_action`)
tells the officer, quietly, that a report is asked.

>>> quiet = Finding("alerts", "alert_document", action_severity("discreet_check"),
...                 "Discreet check: alert 5.", alert_action="discreet_check")
>>> decide([quiet]), asked_action([quiet])
('clear', 'discreet_check')
>>> [s.light for s in lights(["alerts"], [quiet]) if s.source == "alerts"]
['blue']
>>> seize = Finding("sltd", "sltd_match", "hit", "Reported stolen.", alert_action="seize")
>>> decide([quiet, seize]), asked_action([quiet, seize])
('hit', 'seize')
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.documents import DocumentCheck, FindingCode
from passerelle.documents import Severity as DocumentSeverity
from passerelle.documents.findings import field_name
from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, worded
from passerelle.records.alert_actions import ACTIONS, strongest
from passerelle.screening.model import (
    OPTIONAL_SOURCES,
    SOURCES,
    Decision,
    Finding,
    Light,
    Severity,
    Source,
    SourceStatus,
)

__all__ = [
    "action_severity",
    "asked_action",
    "decide",
    "document_findings",
    "failure_finding",
    "lights",
    "not_run_finding",
    "timeout_finding",
    "typed_by_hand_finding",
]

_LABELS: dict[str, str] = {
    "document": N_("document check"),
    "sltd": N_("stolen and lost documents check"),
    "alerts": N_("alerts check"),
    "watchlist": N_("watchlist check"),
    "face": N_("face check"),
    "fingerprint": N_("fingerprint check"),
    "stay": N_("stay check"),
    "federation": N_("federation check"),
    "chip": N_("chip check"),
}
_REFER_CODES = frozenset({FindingCode.SUSPICIOUS, FindingCode.EXPIRED})
_RANK: dict[str, int] = {"info": 0, "report": 1, "refer": 2, "hit": 3}
_LIGHTS: dict[int, Light] = {0: "green", 1: "blue", 2: "amber", 3: "red"}


def action_severity(code: str, *, confirmed: bool = True) -> Severity:
    """The severity of a hit asking for ``code``: ``hit`` for an arrest, a travel ban or a
    seizure; ``refer`` for a specific check; ``report`` (the decision unchanged) for a
    discreet check or information. An unknown code refers (never a silent pass).

    A candidate not ``confirmed`` (a name that only resembles the alert's) refers at
    most, and asks nothing of a traveller under a discreet check or information: a
    referral would alert them, so it is a note (``info``).

    >>> [action_severity(c) for c in ("arrest", "refuse_crossing", "seize")]
    ['hit', 'hit', 'hit']
    >>> action_severity("specific_check"), action_severity("discreet_check")
    ('refer', 'report')
    >>> action_severity("inform"), action_severity("teleport")
    ('report', 'refer')
    >>> action_severity("arrest", confirmed=False), action_severity("inform", confirmed=False)
    ('refer', 'info')
    """
    action = ACTIONS.get(code)
    effect: Severity = action.effect if action is not None else "refer"
    if confirmed:
        return effect
    return "info" if effect == "report" else "refer"


def asked_action(findings: Iterable[Finding]) -> str | None:
    """The strongest action the findings' hits ask for (``records.alert_actions``), or None.

    >>> asked_action([Finding("alerts", "alert_person", "refer", "Check.",
    ...                       alert_action="specific_check")])
    'specific_check'
    >>> asked_action([Finding("document", "expired", "refer", "Expired.")]) is None
    True
    """
    return strongest(f.alert_action for f in findings if f.severity != "info")


def decide(findings: Iterable[Finding]) -> Decision:
    """``hit`` when any finding is a hit, else ``refer`` when any refers, else ``clear``."""
    severities = {finding.severity for finding in findings}
    if "hit" in severities:
        return "hit"
    if "refer" in severities:
        return "refer"
    return "clear"


def lights(ran: Iterable[Source], findings: Iterable[Finding]) -> tuple[SourceStatus, ...]:
    """Each source's light: red (a hit), amber (refer), blue (a report asked, the decision
    unchanged), green (ran, nothing), grey (not run).

    An optional source (``federation``) has a light only when it ran or said something.
    """
    done = set(ran)
    worst: dict[str, int] = {}
    for finding in findings:
        rank = _RANK[finding.severity]
        worst[finding.source] = max(rank, worst.get(finding.source, 0))
    statuses: list[SourceStatus] = []
    shown = [s for s in OPTIONAL_SOURCES if s in done or s in worst]
    for source in (*SOURCES, *shown):
        rank = worst.get(source, 0)
        statuses.append(SourceStatus(source, _LIGHTS[rank] if rank or source in done else "grey"))
    return tuple(statuses)


def document_findings(check: DocumentCheck) -> list[Finding]:
    """The document check's findings as the officer sees them.

    Errors (the MRZ breaks ICAO 9303), forgery indicators and expiry refer the
    traveller; the rest (a probable misread with its repair, a truncated name)
    is information.
    """
    found: list[Finding] = []
    if not check.well_formed:
        said = worded(
            N_(
                "The machine readable zone is not valid (ICAO 9303): rescan it; if it still "
                "fails, examine the document by hand."
            )
        )
        found.append(Finding.worded("document", "not_well_formed", "refer", said))
    for item in check.findings:
        refers = item.severity is DocumentSeverity.ERROR or item.code in _REFER_CODES
        severity: Severity = "refer" if refers else "info"
        said = worded(
            N_("%(field)s: %(finding)s"),
            field=field_name(item.field),
            finding=item.wording or item.message,
        )
        found.append(Finding.worded("document", item.code.value, severity, said))
    return found


def failure_finding(source: Source, exc: BaseException, *, why: str | None = None) -> Finding:
    """A source that raised: it counts as not checked, so the traveller is referred.

    ``why`` says what failed when it is known (e.g. the node's database could not be
    reached); else the error's class is named."""
    if why is not None:
        said = worded(
            N_("The %(check)s gave no answer: %(why)s. Refer the traveller and check by hand."),
            check=_label(source),
            why=why,
        )
        return Finding.worded(source, "error", "refer", said)
    said = worded(
        N_(
            "The %(check)s failed (%(error)s) and gave no answer: refer the traveller and "
            "check by hand."
        ),
        check=_label(source),
        error=type(exc).__name__,
    )
    return Finding.worded(source, "error", "refer", said)


def timeout_finding(source: Source, seconds: float) -> Finding:
    """A source that did not answer in time: not checked, so the traveller is referred."""
    said = worded(
        N_(
            "The %(check)s did not answer within %(seconds)s s: refer the traveller and check "
            "by hand."
        ),
        check=_label(source),
        seconds=f"{seconds:g}",
    )
    return Finding.worded(source, "unavailable", "refer", said)


def not_run_finding(source: Source, why: Parameter) -> Finding:
    """A required source that could not run (no document number, no name): refer."""
    said = worded(
        N_("The %(check)s could not be made: %(why)s. Check by hand."),
        check=_label(source),
        why=why,
    )
    return Finding.worded(source, "not_checked", "refer", said)


def typed_by_hand_finding() -> Finding:
    """The document was typed by hand from its visual zone: nothing was machine read, so no
    check digit vouches for it (information: the typed data is checked like any other)."""
    said = worded(
        N_(
            "Typed by hand from the visual zone, not machine read: no check digit or chip "
            "vouches for the data. Compare the data page with what was typed."
        )
    )
    return Finding.worded("document", "typed_by_hand", "info", said)


def _label(source: str) -> Parameter:
    label = _LABELS.get(source)
    return worded(label) if label is not None else source
