"""The checks of a border inspection, one function per source.

Each runs in a thread of its own and opens its own database session; each
returns a :class:`SourceOutcome` (never a decision: ``rules.decide`` makes that
from every outcome's findings). Exceptions are left to the inspector, which
turns them into an ``error`` finding for that source. The alerts check is in
``screening.alert_checks``; the words the checks write, :mod:`passerelle.screening.words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from passerelle.documents import DocumentCheck
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
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
from passerelle.screening.words import (
    SLTD_HIT_ACTION,
    SLTD_STATUS_WORDS,
    STAY_PROOF_ACTION,
    WATCHLIST_ACTION,
    category_words,
    issuing_authority,
    reasons_said,
    state_words,
)
from passerelle.stay import assess_stay
from passerelle.store.clearances import Clearance, standing_clearances
from passerelle.store.crossings import crossings_of
from passerelle.store.db import Database
from passerelle.store.inspections import HitDraft
from passerelle.store.sltd import SltdRegistry
from passerelle.store.stay_rules import rule_for
from passerelle.store.watchlist import WatchlistRegistry

__all__ = [
    "SourceOutcome",
    "check_sltd",
    "check_stay",
    "check_watchlist",
    "mrz_name",
    "stay_not_applied",
]


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
        status = SLTD_STATUS_WORDS.get(match.status)
        reported = {
            "state": match.issuing_state,
            "number": match.document_number,
            "status": worded(status) if status else match.status,
            "reporter": state_words(match.reported_by),
            "day": match.reported_on.isoformat(),
        }
        if match.match == "truncated_number":
            said = worded(
                N_(
                    "Document %(state)s %(number)s is reported %(status)s by %(reporter)s on "
                    "%(day)s; only the first nine characters agree with this document's number: "
                    "compare the full number on the data page."
                ),
                **reported,
            )
            findings.append(
                Finding.worded("sltd", "sltd_partial_match", "refer", said, reference=key)
            )
            continue
        if match.match == "lookalike":
            template = N_(
                "Document %(state)s %(number)s is reported %(status)s by %(reporter)s on "
                "%(day)s (the numbers agree once O is read as 0 and I as 1: check the data page)."
            )
        else:
            template = N_(
                "Document %(state)s %(number)s is reported %(status)s by %(reporter)s on %(day)s."
            )
        findings.append(
            Finding.worded(
                "sltd",
                "sltd_match",
                "hit",
                worded(template, **reported),
                action=SLTD_HIT_ACTION,
                contact=worded(
                    N_("the SLTD contact point of %(state)s"),
                    state=state_words(match.reported_by),
                ),
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
    cleared = {
        "person": match.id,
        "score": f"{match.score:.2f}",
        "by": clearance.cleared_by,
        "day": clearance.cleared_at.date().isoformat(),
        "inspection": clearance.inspection_id,
    }
    if category:
        said = worded(
            N_(
                "The name resembles watchlist person %(person)s (%(category)s), score %(score)s: "
                "cleared before for this traveller by %(by)s on %(day)s (inspection "
                "%(inspection)s): not the same person. The entry has not changed since."
            ),
            category=category_words(category),
            **cleared,
        )
    else:
        said = worded(
            N_(
                "The name resembles watchlist person %(person)s, score %(score)s: cleared before "
                "for this traveller by %(by)s on %(day)s (inspection %(inspection)s): not the "
                "same person. The entry has not changed since."
            ),
            **cleared,
        )
    return Finding.worded("watchlist", "watchlist_cleared", "info", said, reference=match.id)


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
        contact = issuing_authority(issued_by) if issued_by else None
        clearance = cleared.get(match.id)
        hit = match.score >= threshold and clearance is None
        candidates.append(
            WatchlistCandidate(
                match.id, match.score, match.reasons, match.name, hit, category, match.wordings
            )
        )
        why = reasons_said(match)
        score = f"{match.score:.2f}"
        if clearance is not None:
            findings.append(_cleared_finding(match, category, clearance))
        elif hit:
            asks = default_for_watchlist(category)
            if category:
                said = worded(
                    N_(
                        "The traveller may be watchlist person %(person)s (%(category)s), "
                        "score %(score)s: %(reasons)s."
                    ),
                    person=match.id,
                    category=category_words(category),
                    score=score,
                    reasons=why,
                )
            else:
                said = worded(
                    N_(
                        "The traveller may be watchlist person %(person)s, score %(score)s: "
                        "%(reasons)s."
                    ),
                    person=match.id,
                    score=score,
                    reasons=why,
                )
            findings.append(
                Finding.worded(
                    "watchlist",
                    "watchlist_match",
                    action_severity(asks),
                    said,
                    action=WATCHLIST_ACTION.get(category or "", WATCHLIST_ACTION["alert"]),
                    contact=contact,
                    reference=match.id,
                    alert_action=asks,
                )
            )
        else:
            said = worded(
                N_(
                    "The name resembles watchlist person %(person)s, score %(score)s (below the "
                    "hit threshold %(threshold)s): %(reasons)s. Compare the details."
                ),
                person=match.id,
                score=score,
                threshold=f"{threshold:.2f}",
                reasons=why,
            )
            findings.append(
                Finding.worded(
                    "watchlist", "watchlist_candidate", "refer", said, reference=match.id
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
    # two look-ups, no transaction around them (no consistent view is needed between
    # a document's crossings and its nationality's rule; PostgreSQL's read committed
    # gave none anyway): BEGIN and ROLLBACK were two of an inspection's round trips
    with database.lookup() as session:
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
    limit = worded(
        N_("%(days)s days in any %(window)s"),
        days=rule.limit.max_days,
        window=rule.limit.window_days,
    )
    findings: list[Finding] = []
    if result.overstay_days:
        said = worded(
            N_(
                "Overstay: %(used)s days of stay in the last %(window)s days, %(over)s over the "
                "limit (%(limit)s)."
            ),
            used=result.days_used,
            window=rule.limit.window_days,
            over=result.overstay_days,
            limit=limit,
        )
        findings.append(Finding.worded("stay", "overstay", "refer", said))
    elif direction == "entry" and result.latest_day is None:
        said = worded(
            N_("No day of stay left: %(used)s days used of %(limit)s."),
            used=result.days_used,
            limit=limit,
        )
        findings.append(Finding.worded("stay", "no_days_left", "refer", said))
    if direction == "entry" and result.inside:
        said = worded(
            N_(
                "The traveller's last recorded crossing is an entry on %(day)s, with no exit "
                "after it: check the passport's stamps."
            ),
            day=str(result.entered_on),
        )
        findings.append(Finding.worded("stay", "exit_not_recorded", "info", said))
    findings.extend(
        Finding.worded("stay", problem.kind, "info", problem.wording)
        if problem.wording is not None
        else Finding("stay", problem.kind, "info", problem.message)
        for problem in result.inconsistencies
    )
    return SourceOutcome("stay", True, tuple(findings), stay=figures)


def stay_not_applied(exemption: StayExemption) -> Finding:
    """The stay rule does not bind this traveller (``records.stay_rule``): no figures, no
    referral, and this information finding saying why, for the officer and the auditors."""
    return Finding.worded(
        "stay",
        "stay_not_applied",
        "info",
        worded(
            N_("Stay rule not applied: %(reason)s."),
            reason=exemption.wording if exemption.wording is not None else exemption.reason,
        ),
        action=STAY_PROOF_ACTION if exemption.kind == "exemption" else None,
        reference=exemption.reference,
    )
