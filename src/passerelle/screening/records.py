"""Keeping a border check: storing it, its hits and crossing, and the officer's decisions.

Every step is one write transaction with its audit record: the inspection
(``inspection.search``, with the request's purpose), the officer's decision
(``inspection.decide``), a crossing logged or taken back (``crossing.record``,
``crossing.remove``), and false-positive feedback (``hit_review.not_same_person``).

Four eyes: an ``admit`` on an inspection whose verdict is a HIT is not recorded as
the decision; it awaits a supervisor's confirmation (``inspection.admission_requested``;
no crossing logged), which :mod:`passerelle.services.second_line` records. A
``refer`` puts the traveller in the second-line queue of the inspection's crossing
point, in the decision's transaction.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from passerelle.access.scope import scoped_inspection, workplace_of
from passerelle.documents import DocumentCheck
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.node import Node
from passerelle.records.second_line import AdmissionView, ReferralView
from passerelle.records.travel import TravelContext
from passerelle.records.workplaces import booth_label
from passerelle.screening.decisions_taken import decision_taken, officer_action
from passerelle.screening.model import (
    OFFICER_ACTIONS,
    Finding,
    InspectionRequest,
    InspectionResult,
    OfficerAction,
    OfficerDecision,
)
from passerelle.screening.rules import decide
from passerelle.stay import Direction
from passerelle.store.audit import Actor
from passerelle.store.crossings import (
    CrossingEntry,
    CrossingView,
    record_crossing,
    settle_crossing,
    store_crossing,
)
from passerelle.store.db import DatabaseFault
from passerelle.store.inspections import (
    HitDraft,
    HitReviewView,
    InspectionRepository,
    InspectionView,
    traveller_key,
)
from passerelle.store.second_line import SecondLineStore

__all__ = [
    "InspectionRecord",
    "load_inspection",
    "log_crossing_of",
    "mark_not_same_person",
    "record_officer_decision",
    "store_inspection",
]

log = logging.getLogger(__name__)

_REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}")


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    """A stored inspection: its result, the officer's decision when made, its hit reviews,
    the latest admission of a HIT put to a supervisor, and its second-line referral."""

    result: InspectionResult
    officer_decision: OfficerDecision | None
    reviews: tuple[HitReviewView, ...]
    admission: AdmissionView | None = None
    referral: ReferralView | None = None
    travel: TravelContext | None = None
    """The journey's context given with the check (None: none was given)."""

    @property
    def awaiting_confirmation(self) -> bool:
        """Whether an officer's admission of this HIT awaits a supervisor's confirmation."""
        return self.admission is not None and self.admission.status == "awaiting"


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _direction(value: str) -> Direction:
    return "entry" if value == "entry" else "exit"


def store_inspection(
    node: Node,
    repository: InspectionRepository,
    request: InspectionRequest,
    check: DocumentCheck,
    result: InspectionResult,
    hits: Sequence[HitDraft],
) -> InspectionResult:
    """Store the inspection, queue its hits, log the crossing when clear, audit it all.

    Never raises: when the store fails the result says so (``recorded`` false, a
    ``not_recorded`` finding) and its decision is at least ``refer``.
    """
    now = node.clock()
    point = request.crossing_point.strip().upper()
    try:
        with node.database.write() as session:
            booth = booth_label(request.booth) or _assigned_booth(session, request.officer, point)
            crossing_id = None
            logged: tuple[CrossingView, bool] | None = None
            if result.decision == "clear" and check.issuing_state and check.document_number:
                entry = CrossingEntry(
                    issuing_state=check.issuing_state,
                    document_number=check.document_number,
                    nationality=check.nationality or None,
                    crossing_point=point,
                    direction=request.direction,
                    at=request.at,
                    officer=request.officer.name,
                )
                crossing, created = store_crossing(session, entry, actor=request.officer, now=now)
                logged = (crossing, created)
                crossing_id = crossing.id
                result = replace(result, crossing_id=crossing_id)
            reviews = repository.add(
                session,
                inspection_id=result.inspection_id,
                at=request.at,
                now=now,
                officer=request.officer.name,
                crossing_point=point,
                direction=request.direction,
                purpose=request.purpose.strip(),
                issuing_state=check.issuing_state,
                document_number=check.document_number,
                nationality=check.nationality,
                decision=result.decision,
                result=result.as_stored(),
                crossing_id=crossing_id,
                hits=hits,
                booth=booth,
                travel=request.travel,
                request_id=request.request_id,
                traveller=traveller_key(
                    check.issuing_state,
                    check.document_number,
                    surname=check.surname,
                    given_names=check.given_names,
                    birth_date=check.birth_date,
                ),
            )
            # The daily counts and the audit records last: each is one row that every
            # writer of the node updates (a day's count, the chain's head), held until this
            # transaction commits; other inspections wait for it only that long.
            if logged is not None:
                settle_crossing(session, node.audit, *logged, actor=request.officer, now=now)
            _audit_inspection(node, session, request, check, result, reviews, now, booth)
    except Exception as exc:  # the store failed: say so, and never let a clear stand
        log.error("inspection.not_recorded", extra={"error": type(exc).__name__})
        why = exc.what if isinstance(exc, DatabaseFault) else type(exc).__name__
        said = worded(
            N_(
                "The inspection could not be recorded (%(why)s): the crossing is not logged and "
                "hits are not queued. Refer the traveller; record by hand."
            ),
            why=why,
        )
        failed = Finding.worded("inspection", "not_recorded", "refer", said)
        findings = (*result.findings, failed)
        return replace(
            result, decision=decide(findings), findings=findings, crossing_id=None, recorded=False
        )
    log.info(
        "inspection.done", extra={"inspection": result.inspection_id, "decision": result.decision}
    )
    return result


def _assigned_booth(session: Session, officer: Actor, point: str) -> str | None:
    """The booth ``officer`` is assigned to, when it is a booth of ``point``."""
    workplace = workplace_of(session, officer)
    return workplace.booth if workplace.crossing_point == point else None


def _audit_inspection(
    node: Node,
    session: Session,
    request: InspectionRequest,
    check: DocumentCheck,
    result: InspectionResult,
    reviews: Sequence[HitReviewView],
    now: datetime,
    booth: str | None,
) -> None:
    """The inspection is a search of every registry: who, when, why, what was asked and found."""
    node.audit.record(
        session,
        actor=request.officer,
        action="inspection.search",
        purpose=request.purpose.strip(),
        at=now,
        query={
            "inspection": result.inspection_id,
            "crossing_point": request.crossing_point.strip().upper(),
            "booth": booth,
            "direction": request.direction,
            "issuing_state": check.issuing_state,
            "document_number": check.document_number,
            "document_photo_sha256": _sha256(request.document_photo),
            "live_photo_sha256": _sha256(request.live_photo),
        },
        result={
            "decision": result.decision,
            "sltd": list(result.matches.sltd),
            "alerts": list(result.matches.alerts),
            "watchlist": [c.id for c in result.matches.watchlist],
            "faces": [f"{f.gallery}:{f.identity}" for f in result.matches.faces],
            "reviews": [review.id for review in reviews],
            "crossing": result.crossing_id,
        },
    )


def record_officer_decision(
    node: Node,
    repository: InspectionRepository,
    inspection_id: str,
    action: OfficerAction,
    reason_code: str,
    by: Actor,
) -> OfficerDecision:
    """Write the officer's decision; ``admit`` logs the crossing (at the inspection's time).

    A ``refer`` or ``refuse`` after a ``clear`` takes back the crossing the clear
    logged (the traveller did not cross); a ``refer`` puts the traveller in the
    second-line queue. An ``admit`` on a HIT is not recorded: it awaits a supervisor's
    confirmation (the answer says ``awaiting_confirmation``), and meanwhile no other
    decision is taken. One decision per inspection: the same decision asked again (same
    action and reason, a double submit, a retry after a lost answer) is answered as it
    was taken, with nothing written or audited again; another one is refused with
    ``DecisionConflict`` (409) naming the decision taken. Refused as an unknown
    inspection (404) for an officer whose scope it is not in (``access.scope``).
    """
    if action not in OFFICER_ACTIONS:
        raise InvalidInput("action", f"{action!r} is not one of admit, refer, refuse")
    if not _REASON_CODE.fullmatch(reason_code or ""):
        raise InvalidInput(
            "reason_code", "must be 1 to 64 lower-case letters, digits, '_', '.', ':' or '-'"
        )
    now = node.clock()
    second_line = SecondLineStore()
    with node.database.write() as session:
        view = scoped_inspection(node, session, repository, by, inspection_id, lock=True)
        awaiting = second_line.awaiting(session, inspection_id, lock=True)
        taken = decision_taken(view, awaiting, action, reason_code)
        if taken is not None:
            return taken
        if action == "admit" and view.decision == "hit":
            return _request_admission(node, session, second_line, view, reason_code, by, now)
        crossing_id = view.crossing_id
        if action == "admit":
            crossing_id = log_crossing_of(node, session, view, by, now)
        elif crossing_id is not None:
            repository.unlog_crossing(
                session, inspection_id, by=by, now=now, reason=f"officer decided {action}"
            )
            crossing_id = None
        repository.record_decision(
            session,
            inspection_id,
            action=action,
            reason_code=reason_code,
            by=by,
            now=now,
            crossing_id=crossing_id,
        )
        referred = None
        if action == "refer":
            referred = second_line.refer(
                session,
                inspection_id,
                crossing_point=view.crossing_point,
                reason_code=reason_code,
                by=by.name,
                now=now,
            ).crossing_point
        node.audit.record(
            session,
            actor=by,
            action="inspection.decide",
            purpose=reason_code,
            at=now,
            query={"inspection": inspection_id},
            result={
                "action": action,
                "reason_code": reason_code,
                "crossing": crossing_id,
                "second_line": referred,
            },
        )
    return OfficerDecision(inspection_id, action, reason_code, by.name, now, crossing_id)


def _request_admission(
    node: Node,
    session: Session,
    second_line: SecondLineStore,
    view: InspectionView,
    reason_code: str,
    by: Actor,
    now: datetime,
) -> OfficerDecision:
    """An admission of a HIT: stored awaiting a supervisor, audited, no crossing logged."""
    admission = second_line.request_admission(
        session, view.id, reason_code=reason_code, by=by.name, now=now
    )
    node.audit.record(
        session,
        actor=by,
        action="inspection.admission_requested",
        purpose=reason_code,
        at=now,
        query={"inspection": view.id},
        result={"admission": admission.id, "status": admission.status},
    )
    return OfficerDecision(
        view.id, "admit", reason_code, by.name, now, None, awaiting_confirmation=True
    )


def log_crossing_of(
    node: Node, session: Session, view: InspectionView, by: Actor, now: datetime
) -> int:
    """Log the crossing of an inspection's traveller (its point, direction and time), by
    ``by``; refused when the document's state and number were not read. Audited."""
    if not (view.issuing_state and view.document_number):
        raise InvalidInput(
            "action",
            "cannot admit: the document's issuing state and number were not read, so no "
            "crossing can be logged; rescan the document",
        )
    entry = CrossingEntry(
        issuing_state=view.issuing_state,
        document_number=view.document_number,
        nationality=view.nationality,
        crossing_point=view.crossing_point,
        direction=_direction(view.direction),
        at=view.at,
        officer=by.name,
    )
    crossing, _ = record_crossing(session, node.audit, entry, actor=by, now=now)
    return crossing.id


def mark_not_same_person(
    node: Node, repository: InspectionRepository, inspection_id: str, watchlist_id: str, by: Actor
) -> HitReviewView:
    """Store the officer's word that the traveller is not watchlist person ``watchlist_id``.

    Refused unless that person was a candidate of the inspection.
    """
    now = node.clock()
    with node.database.write() as session:
        view = scoped_inspection(node, session, repository, by, inspection_id)
        candidates = {c.id: c for c in InspectionResult.from_dict(view.result).matches.watchlist}
        candidate = candidates.get(watchlist_id.strip())
        if candidate is None:
            raise InvalidInput(
                "watchlist_id",
                f"{watchlist_id!r} was not a watchlist candidate of inspection {inspection_id}",
            )
        return repository.mark_not_same_person(
            session, inspection_id, candidate.id, by=by, now=now, candidate_score=candidate.score
        )


def load_inspection(
    node: Node, repository: InspectionRepository, inspection_id: str
) -> InspectionRecord:
    """A stored inspection (a read: the caller audits a disclosure)."""
    second_line = SecondLineStore()
    with node.database.read() as session:
        view = repository.get(session, inspection_id)
        reviews = repository.reviews_of(session, inspection_id)
        admission = second_line.latest_admission(session, inspection_id)
        referral = second_line.referral(session, inspection_id)
    decision = None
    if view.action is not None and view.decided_by and view.decided_at and view.reason_code:
        action = officer_action(view.action)
        confirmed = admission if admission and admission.status == "confirmed" else None
        decision = OfficerDecision(
            view.id,
            action,
            view.reason_code,
            view.decided_by,
            view.decided_at,
            view.crossing_id,
            confirmed_by=confirmed.supervisor if confirmed and action == "admit" else None,
        )
    result = replace(InspectionResult.from_dict(view.result), crossing_id=view.crossing_id)
    travel = TravelContext(view.vehicle_plate, view.party_reference, view.address, view.phone)
    return InspectionRecord(
        result, decision, tuple(reviews), admission, referral, None if travel.empty else travel
    )
