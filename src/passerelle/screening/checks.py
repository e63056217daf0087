"""The checks of a border inspection, one function per source.

Each runs in a thread of its own and opens its own database session; each
returns a :class:`SourceOutcome` (never a decision: ``rules.decide`` makes that
from every outcome's findings). Exceptions are left to the inspector, which
turns them into an ``error`` finding for that source. The alerts check is in
``screening.alert_checks``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from passerelle.documents import DocumentCheck, state_name
from passerelle.names import NameMatch, NameQuery
from passerelle.records.alert_actions import SLTD_ACTION, default_for_watchlist
from passerelle.records.inspections import traveller_key
from passerelle.records.stay_rule import StayExemption
from passerelle.screening.components import NameScreener
from passerelle.screening.model import (
    FaceComparison,
    FaceHit,
    Finding,
    Source,
    StayFigures,
    WatchlistCandidate,
)
from passerelle.screening.rules import action_severity
from passerelle.stay import assess_stay
from passerelle.store.clearances import Clearance, standing_clearances
from passerelle.store.crossings import crossings_of, rule_for
from passerelle.store.db import Database
from passerelle.store.inspections import HitDraft
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry

__all__ = [
    "ALERT_MEANING",
    "WATCHLIST_ACTION",
    "SourceOutcome",
    "check_sltd",
    "check_stay",
    "check_watchlist",
    "mrz_name",
    "state_words",
    "stay_not_applied",
]

ALERT_MEANING = {
    "wanted": "Wanted person (arrest for surrender or extradition)",
    "missing_person": "Missing person, or a person to protect",
    "travel_ban": "Travel ban (refuse entry or exit)",
    "surveillance": "Discreet check: report, do not alert the traveller",
    "stolen_document": "Stolen document",
    "stolen_vehicle": "Stolen vehicle",
    "forged_document": "Known forgery of this document type",
}
WATCHLIST_ACTION = {
    "wanted": "Do not let the traveller through: keep them at the booth, call second line "
    "and the duty officer; do not tell them why.",
    "travel_ban": "Do not let the traveller cross: refer to second line to confirm the "
    "identity before refusing.",
    "missing": "Refer to second line; the traveller may need protection: do not alert "
    "anyone travelling with them.",
    "alert": "Refer to second line for a closer check.",
}
_SLTD_ACTION = (
    "Keep the document (do not hand it back) and refer the traveller to second line; "
    "confirm the record with the reporting state before seizing it."
)


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What one source found: its findings, the matches for the result, the hits to review."""

    source: Source
    ran: bool
    findings: tuple[Finding, ...] = ()
    watchlist: tuple[WatchlistCandidate, ...] = ()
    faces: tuple[FaceHit, ...] = ()
    face_verification: FaceComparison | None = None
    sltd: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    stay: StayFigures | None = None
    hits: tuple[HitDraft, ...] = ()


def state_words(code: str) -> str:
    """A state as an officer reads it: ``Morocco (MAR)``."""
    return f"{state_name(code)} ({code})" if len(code) == 3 else code


def mrz_name(check: DocumentCheck) -> str | None:
    """The holder's name in MRZ form (``BEN<ALI<<MOHAMED``), as name screening reads it."""
    surname = (check.surname or "").strip()
    given = (check.given_names or "").strip()
    if not surname and not given:
        return None
    return surname.replace(" ", "<") + "<<" + given.replace(" ", "<")


def name_query(check: DocumentCheck) -> NameQuery | None:
    """What name screening is asked of the holder: MRZ name, birth date, nationality, sex."""
    name = mrz_name(check)
    if name is None:
        return None
    return NameQuery(
        name,
        check.birth_date.isoformat() if check.birth_date else None,
        check.nationality or None,
        check.sex if check.sex in ("M", "F") else None,
    )


def check_sltd(database: Database, state: str, number: str) -> SourceOutcome:
    """The stolen/lost documents registry: exact and look-alike numbers are hits."""
    with database.lookup() as session:
        matches = SltdRegistry().lookup(session, state, number)
    findings: list[Finding] = []
    hits: list[HitDraft] = []
    for match in matches:
        key = f"{match.issuing_state}:{match.document_number}"
        said = (
            f"Document {match.issuing_state} {match.document_number} is reported "
            f"{match.status} by {state_words(match.reported_by)} on {match.reported_on.isoformat()}"
        )
        if match.match == "truncated_number":
            findings.append(
                Finding(
                    "sltd",
                    "sltd_partial_match",
                    "refer",
                    f"{said}; only the first nine characters agree with this document's "
                    "number: compare the full number on the data page.",
                    reference=key,
                )
            )
            continue
        if match.match == "lookalike":
            said += " (the numbers agree once O is read as 0 and I as 1: check the data page)"
        findings.append(
            Finding(
                "sltd",
                "sltd_match",
                "hit",
                said + ".",
                action=_SLTD_ACTION,
                contact=f"the SLTD contact point of {state_words(match.reported_by)}",
                reference=key,
                alert_action=SLTD_ACTION,
            )
        )
        hits.append(HitDraft("sltd", key))
    return SourceOutcome(
        "sltd",
        True,
        tuple(findings),
        sltd=tuple(f"{m.issuing_state}:{m.document_number} ({m.status})" for m in matches),
        hits=tuple(hits),
    )


def _watchlist_details(
    database: Database, ids: Sequence[str], traveller: str | None
) -> tuple[dict[str, tuple[str, str]], dict[str, Clearance]]:
    """Each candidate's (category, issuing state), and the clearances that still hold for
    this traveller (``store.clearances``)."""
    registry = WatchlistRegistry()
    out: dict[str, tuple[str, str]] = {}
    with database.lookup() as session:
        for person_id in ids:
            person = registry.get(session, person_id)
            if person is not None:
                out[person_id] = (person.category, person.issued_by)
        cleared = standing_clearances(session, traveller, ids)
    return out, cleared


def _cleared_finding(match: NameMatch, category: str | None, clearance: Clearance) -> Finding:
    return Finding(
        "watchlist",
        "watchlist_cleared",
        "info",
        f"The name resembles watchlist person {match.id}"
        f"{f' ({category})' if category else ''}, score {match.score:.2f}: cleared before "
        f"for this traveller by {clearance.cleared_by} on "
        f"{clearance.cleared_at.date().isoformat()} (inspection {clearance.inspection_id}): "
        "not the same person. The entry has not changed since.",
        reference=match.id,
    )


def check_watchlist(
    screener: NameScreener,
    database: Database,
    check: DocumentCheck,
    *,
    threshold: float,
    weak_threshold: float,
    top: int,
) -> SourceOutcome:
    """Name screening with the MRZ name, birth date, nationality and sex.

    A candidate an officer cleared before for this traveller ("not the same person",
    ``store.clearances``: same document, entry unchanged, no analyst confirmed it) is
    information only. Any other candidate at or above ``threshold`` is a hit on the
    list, whose effect is the action its category asks for
    (``alert_actions.WATCHLIST_DEFAULTS``: ``wanted`` and ``travel_ban`` make the
    decision a hit, ``missing`` and ``alert`` a referral for a specific check); one at
    or above ``weak_threshold`` only refers the traveller (a
    second look at the booth).
    """
    query = name_query(check)
    assert query is not None, "the inspector runs name screening only with a name"
    matches = screener.screen(query, top=top, threshold=weak_threshold)
    traveller = traveller_key(
        check.issuing_state,
        check.document_number,
        surname=check.surname,
        given_names=check.given_names,
        birth_date=check.birth_date,
    )
    details, cleared = (
        _watchlist_details(database, [m.id for m in matches], traveller) if matches else ({}, {})
    )
    candidates: list[WatchlistCandidate] = []
    findings: list[Finding] = []
    for match in matches:
        category, issued_by = details.get(match.id, (None, None))
        contact = f"the issuing authority in {state_words(issued_by)}" if issued_by else None
        clearance = cleared.get(match.id)
        hit = match.score >= threshold and clearance is None
        candidates.append(
            WatchlistCandidate(match.id, match.score, match.reasons, match.name, hit, category)
        )
        why = "; ".join(match.reasons)
        if clearance is not None:
            findings.append(_cleared_finding(match, category, clearance))
        elif hit:
            asks = default_for_watchlist(category)
            findings.append(
                Finding(
                    "watchlist",
                    "watchlist_match",
                    action_severity(asks),
                    f"The traveller may be watchlist person {match.id}"
                    f"{f' ({category})' if category else ''}, score {match.score:.2f}: {why}.",
                    action=WATCHLIST_ACTION.get(category or "", WATCHLIST_ACTION["alert"]),
                    contact=contact,
                    reference=match.id,
                    alert_action=asks,
                )
            )
        else:
            findings.append(
                Finding(
                    "watchlist",
                    "watchlist_candidate",
                    "refer",
                    f"The name resembles watchlist person {match.id}, score {match.score:.2f} "
                    f"(below the hit threshold {threshold:.2f}): {why}. Compare the details.",
                    reference=match.id,
                )
            )
    return SourceOutcome(
        "watchlist",
        True,
        tuple(findings),
        watchlist=tuple(candidates),
        hits=tuple(HitDraft("watchlist", c.id, c.score) for c in candidates if c.hit),
    )


def check_stay(
    database: Database,
    check: DocumentCheck,
    *,
    state: str,
    number: str,
    direction: str,
    day: date,
    tz: tzinfo,
) -> SourceOutcome:
    """Days of stay against the rule for the nationality (``passerelle.stay``).

    Entering: refers when the record shows an overstay in the window, or no day
    left to enter on. Leaving: refers on an overstay.
    """
    with database.read() as session:
        crossings = crossings_of(session, state, number)
        rule = rule_for(session, check.nationality or None)
    result = assess_stay([c.movement for c in crossings], as_of=day, limit=rule.limit, tz=tz)
    figures = StayFigures(
        result.days_used,
        result.days_remaining,
        rule.limit.max_days,
        rule.limit.window_days,
        result.overstay_days,
        result.inside,
        result.latest_day,
    )
    limit = f"{rule.limit.max_days} days in any {rule.limit.window_days}"
    findings: list[Finding] = []
    if result.overstay_days:
        findings.append(
            Finding(
                "stay",
                "overstay",
                "refer",
                f"Overstay: {result.days_used} days of stay in the last {rule.limit.window_days} "
                f"days, {result.overstay_days} over the limit ({limit}).",
            )
        )
    elif direction == "entry" and result.latest_day is None:
        findings.append(
            Finding(
                "stay",
                "no_days_left",
                "refer",
                f"No day of stay left: {result.days_used} days used of {limit}.",
            )
        )
    if direction == "entry" and result.inside:
        findings.append(
            Finding(
                "stay",
                "exit_not_recorded",
                "info",
                f"The traveller's last recorded crossing is an entry on {result.entered_on}, "
                "with no exit after it: check the passport's stamps.",
            )
        )
    findings.extend(
        Finding("stay", problem.kind, "info", problem.message) for problem in result.inconsistencies
    )
    return SourceOutcome("stay", True, tuple(findings), stay=figures)


def stay_not_applied(exemption: StayExemption) -> Finding:
    """The stay rule does not bind this traveller (``records.stay_rule``): no figures, no
    referral, and this information finding saying why, for the officer and the auditors."""
    return Finding(
        "stay",
        "stay_not_applied",
        "info",
        f"Stay rule not applied: {exemption.reason}.",
        action=(
            "See the card or document that proves it before letting the traveller through."
            if exemption.kind == "exemption"
            else None
        ),
        reference=exemption.reference,
    )
