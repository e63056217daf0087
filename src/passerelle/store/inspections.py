"""Border inspections, the officers' decisions on them, and the review queue of their hits.

An *inspection* is one border check (``passerelle.screening``): who checked
which document, where, why, and the whole result (decision, findings,
matches) as JSON. The officer's later decision (``admit``, ``refer``,
``refuse`` with a reason code) is written on the same row, once.

Every hit of an inspection (a stolen/lost document, an alert, a watchlist
match, a face found in a gallery) becomes a *hit review* that analysts work
through::

    pending ──confirm──> confirmed     (final: the hit was the person/document)
       └─────dismiss──> dismissed      (final: a false positive)

An officer at the border may also say a watchlist candidate is *not the same
person*: the review keeps its status (an analyst still decides) and records the
feedback; a candidate that had no review (a weak one, below the hit threshold)
gets one, already dismissed. A watchlist entry's *false positives* are its
reviews that were dismissed or marked not the same person.

Changes to reviews are audited here, in the caller's transaction
(``hit_review.confirm``, ``hit_review.dismiss``, ``hit_review.not_same_person``);
the inspection itself and the officer's decision are audited by the caller.

A rescan of the same traveller whose hit a pending review already holds joins
that review as a *sighting* (:mod:`passerelle.store.hit_queue`) rather than
queueing the hit again.

The tables, ``inspections``, ``hit_reviews`` and ``hit_sightings``, are in
:mod:`passerelle.store.tables.inspections` (migrations 0004, 0013).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Table, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput, NotFound
from passerelle.records.alerts import AlertTransitionRefused
from passerelle.records.inspections import (
    HIT_SOURCES,
    NOT_SAME_PERSON,
    OFFICER_ACTIONS,
    REVIEW_STATUSES,
    HitDraft,
    HitReviewView,
    InspectionView,
    UnknownInspection,
    traveller_key,
)
from passerelle.records.travel import TravelContext
from passerelle.store.alerts import AlertRegistry, UnknownAlert
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.hit_queue import met_by, queue_hits
from passerelle.store.outcomes import count_outcome, move_outcome, outcome_of
from passerelle.store.rollups import count_crossings, count_inspection
from passerelle.store.tables import Crossing, HitReview, Inspection

__all__ = [
    "HIT_SOURCES",
    "NOT_SAME_PERSON",
    "OFFICER_ACTIONS",
    "REVIEW_STATUSES",
    "HitDraft",
    "HitReviewView",
    "InspectionRepository",
    "InspectionView",
    "UnknownInspection",
    "traveller_key",
]

_MAX_NOTE = 2000
_INSERT_INSPECTION = insert(cast(Table, Inspection.__table__))


_V = TypeVar("_V", InspectionView, HitReviewView)


def _view(cls: type[_V], row: Inspection | HitReview) -> _V:
    """The frozen view of a row: its columns of the same names."""
    return cls(**{item.name: getattr(row, item.name) for item in fields(cls)})


def _note(value: str | None, *, required: bool) -> str | None:
    if value is None or not value.strip():
        if required:
            raise InvalidInput("note", "is required: say why")
        return None
    if len(value) > _MAX_NOTE:
        raise InvalidInput("note", f"is longer than {_MAX_NOTE} characters")
    return value.strip()


class InspectionRepository:
    """Stores inspections and their officer decisions; keeps the hit review queue."""

    def __init__(self, audit: AuditTrail) -> None:
        self.audit = audit

    # -- inspections -----------------------------------------------------------------------

    def add(
        self,
        session: Session,
        *,
        inspection_id: str,
        at: datetime,
        now: datetime,
        officer: str,
        crossing_point: str,
        direction: str,
        purpose: str,
        issuing_state: str | None,
        document_number: str | None,
        nationality: str | None,
        decision: str,
        result: dict[str, Any],
        crossing_id: int | None,
        hits: Sequence[HitDraft],
        traveller: str | None = None,
        booth: str | None = None,
        travel: TravelContext | None = None,
        request_id: str | None = None,
    ) -> list[HitReviewView]:
        """Store an inspection and queue its hits (status ``pending``); returns the reviews.

        ``request_id`` is the client's id of the request: unique per officer (the
        database's index refuses a second inspection under it, ``IntegrityError``).

        ``traveller`` is whom the hits stand for (:func:`traveller_key`; by default the
        document): a hit that a *pending* review of the same traveller already holds (same
        source and reference) is a sighting of that review, which it joins (one more
        sighting, last seen now) instead of queueing another. A decided review absorbs
        nothing: the hit is queued anew.

        Not audited here: the caller records the inspection (a search) with its purpose.
        """
        if traveller is None:
            traveller = traveller_key(issuing_state, document_number)
        # One Core INSERT, at once: every inspection is one, and the unit of work's
        # bookkeeping around an ORM object cost more than the statement.
        session.connection().execute(
            _INSERT_INSPECTION,
            {
                "id": inspection_id,
                "at": at,
                "recorded_at": now,
                "officer": officer,
                "crossing_point": crossing_point,
                "booth": booth,
                "direction": direction,
                "purpose": purpose,
                "issuing_state": issuing_state,
                "document_number": document_number[:24] if document_number else None,
                "nationality": nationality,
                "decision": decision,
                "result": result,
                "crossing_id": crossing_id,
                "request_id": request_id,
                **(travel or TravelContext()).as_dict(),
            },
        )
        reviews = (
            queue_hits(
                session, inspection_id=inspection_id, at=at, now=now, hits=hits, traveller=traveller
            )
            if hits
            else []
        )
        # The day's counts last (same transaction): each is a row every inspection at the
        # point updates, held until the transaction commits.
        count_inspection(session, at=at, crossing_point=crossing_point, decision=decision)
        count_outcome(  # the risk page's daily counts
            session,
            at=at,
            crossing_point=crossing_point,
            direction=direction,
            nationality=nationality,
            outcome=outcome_of(decision=decision, action=None, reason_code=None, result=result),
        )
        return reviews

    def requested(self, session: Session, officer: str, request_id: str) -> InspectionView | None:
        """The inspection ``officer`` made under the client's ``request_id``, if any."""
        row = session.scalars(
            select(Inspection).where(
                Inspection.officer == officer, Inspection.request_id == request_id
            )
        ).one_or_none()
        return None if row is None else _view(InspectionView, row)

    def get(self, session: Session, inspection_id: str, *, lock: bool = False) -> InspectionView:
        """The inspection with this id; ``UnknownInspection`` when there is none. ``lock``
        holds its row until the transaction ends (a decision reads, then writes it)."""
        row = session.get(Inspection, inspection_id, with_for_update=lock)
        if row is None:
            raise UnknownInspection(inspection_id)
        return _view(InspectionView, row)

    def record_decision(
        self,
        session: Session,
        inspection_id: str,
        *,
        action: str,
        reason_code: str,
        by: Actor,
        now: datetime,
        crossing_id: int | None,
    ) -> InspectionView:
        """Write the officer's decision on an inspection, once (a second one is refused),
        with the crossing it stands on (``None``: none logged). The caller audits it."""
        if action not in OFFICER_ACTIONS:
            raise InvalidInput(
                "action", f"{action!r} is not one of {', '.join(sorted(OFFICER_ACTIONS))}"
            )
        row = session.get(Inspection, inspection_id, with_for_update=True)
        if row is None:
            raise UnknownInspection(inspection_id)
        if row.action is not None:
            raise InvalidInput(
                "action",
                f"inspection {inspection_id} was already decided: {row.action} "
                f"({row.reason_code}) by {row.decided_by}",
            )
        before = outcome_of(decision=row.decision, action=None, reason_code=None, result=row.result)
        row.action, row.reason_code, row.decided_by, row.decided_at = (
            action,
            reason_code,
            by.name,
            now,
        )
        row.crossing_id = crossing_id
        move_outcome(session, row, before)  # a refusal counted from now on, same transaction
        session.flush()
        return _view(InspectionView, row)

    def unlog_crossing(
        self, session: Session, inspection_id: str, *, by: Actor, now: datetime, reason: str
    ) -> int | None:
        """Delete the crossing an inspection logged (a clear the officer then did not admit).

        Returns the crossing's id, or None when the inspection had logged none. Audited
        (``crossing.remove``, with ``reason`` as its purpose).
        """
        row = session.get(Inspection, inspection_id, with_for_update=True)
        if row is None:
            raise UnknownInspection(inspection_id)
        crossing_id = row.crossing_id
        if crossing_id is None:
            return None
        crossing = session.get(Crossing, crossing_id)
        if crossing is not None:  # it never happened: off the dashboard's counts too
            counted = ("at", "crossing_point", "direction", "nationality")
            count_crossings(session, [{k: getattr(crossing, k) for k in counted}], sign=-1)
        deleted = session.execute(delete(Crossing).where(Crossing.id == crossing_id))
        removed = int(cast(CursorResult[Any], deleted).rowcount or 0)
        row.crossing_id = None
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="crossing.remove",
            purpose=reason,
            at=now,
            query={"crossing": crossing_id, "inspection": inspection_id},
            result={"removed": removed},
        )
        return crossing_id

    # -- the review queue ------------------------------------------------------------------

    def reviews_of(self, session: Session, inspection_id: str) -> list[HitReviewView]:
        """The hit reviews of the hits an inspection met (queued by it, or joined as a
        sighting), in the order they were queued."""
        rows = session.scalars(
            select(HitReview).where(met_by(inspection_id)).order_by(HitReview.id)
        )
        return [_view(HitReviewView, row) for row in rows]

    def pending(self, session: Session, *, limit: int = 100) -> list[HitReviewView]:
        """Hits waiting for an analyst, oldest first."""
        rows = session.scalars(
            select(HitReview)
            .where(HitReview.status == "pending")
            .order_by(HitReview.created_at, HitReview.id)
            .limit(limit)
        )
        return [_view(HitReviewView, row) for row in rows]

    def confirm(
        self, session: Session, review_id: int, *, by: Actor, note: str | None, now: datetime
    ) -> HitReviewView:
        """An analyst confirms a pending hit (pending → confirmed), audited.

        A confirmed hit on one of the node's alerts is also recorded on the alert
        (active → hit, ``AlertRegistry.record_hit``) in the same transaction, so the
        alert's history shows where and when it was met; an alert already hit,
        withdrawn or expired meanwhile is left as it is.
        """
        review = self._decide(session, review_id, "confirmed", by, _note(note, required=False), now)
        if review.source == "alerts":
            registry = AlertRegistry(self.audit)
            try:
                with session.begin_nested():
                    registry.record_hit(
                        session,
                        review.reference,
                        actor=by,
                        now=now,
                        reason=f"hit review {review_id} of inspection {review.inspection_id}",
                    )
            except (AlertTransitionRefused, UnknownAlert):
                pass  # the review stands; the alert's own state says why it was not moved
        return review

    def dismiss(
        self, session: Session, review_id: int, *, by: Actor, note: str, now: datetime
    ) -> HitReviewView:
        """An analyst dismisses a pending hit as a false positive (pending → dismissed), audited."""
        return self._decide(session, review_id, "dismissed", by, _note(note, required=True), now)

    def _decide(
        self, session: Session, review_id: int, to: str, by: Actor, note: str | None, now: datetime
    ) -> HitReviewView:
        row = session.get(HitReview, review_id, with_for_update=True)
        if row is None:
            raise NotFound("id", f"no hit review {review_id} on this node")
        if row.status != "pending":
            raise InvalidInput(
                "status", f"hit review {review_id} is already {row.status} by {row.reviewer}"
            )
        row.status, row.note, row.reviewer, row.reviewed_at = to, note, by.name, now
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="hit_review.confirm" if to == "confirmed" else "hit_review.dismiss",
            purpose=note,
            at=now,
            query={"review": review_id, "inspection": row.inspection_id},
            result={"source": row.source, "reference": row.reference, "status": to},
        )
        return _view(HitReviewView, row)

    def mark_not_same_person(
        self,
        session: Session,
        inspection_id: str,
        watchlist_id: str,
        *,
        by: Actor,
        now: datetime,
        candidate_score: float | None = None,
    ) -> HitReviewView:
        """Record that an inspection's traveller is not watchlist person ``watchlist_id``.

        The hit's review keeps its status (an analyst still decides); a candidate
        without a review gets one, already dismissed. The caller checks that the
        person was a candidate of the inspection. Audited.
        """
        if session.get(Inspection, inspection_id) is None:
            raise UnknownInspection(inspection_id)
        row = session.scalars(
            select(HitReview)
            .where(
                met_by(inspection_id),
                HitReview.source == "watchlist",
                HitReview.reference == watchlist_id,
            )
            .with_for_update()
        ).first()
        if row is None:
            row = HitReview(
                inspection_id=inspection_id,
                source="watchlist",
                reference=watchlist_id,
                score=candidate_score,
                status="dismissed",
                note="not the same person (said at the border)",
                reviewer=by.name,
                reviewed_at=now,
                created_at=now,
            )
            session.add(row)
        row.feedback, row.feedback_by, row.feedback_at = NOT_SAME_PERSON, by.name, now
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="hit_review.not_same_person",
            at=now,
            query={"inspection": inspection_id, "watchlist_id": watchlist_id},
            result={"review": row.id, "status": row.status},
        )
        return _view(HitReviewView, row)

    def false_positive_counts(
        self, session: Session, watchlist_ids: Collection[str] | None = None
    ) -> dict[str, int]:
        """False positives per watchlist entry id: reviews dismissed or marked not the same
        person (entries with none are left out)."""
        query = (
            select(HitReview.reference, func.count())
            .where(
                HitReview.source == "watchlist",
                or_(HitReview.status == "dismissed", HitReview.feedback == NOT_SAME_PERSON),
            )
            .group_by(HitReview.reference)
        )
        if watchlist_ids is not None:
            query = query.where(HitReview.reference.in_(list(watchlist_ids)))
        return {reference: int(count) for reference, count in session.execute(query)}
