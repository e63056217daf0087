"""The analysts' queue as a traveller's hits: one pending review per traveller and hit, each
rescan a sighting of it; and what the queue and the verdict show beside a review.

A hit review stands for a traveller (``traveller_key``: the document, else the
name and birth date, :func:`passerelle.records.inspections.traveller_key`) and
a record hit (``source``, ``reference``). While it is *pending*, every
inspection of the same traveller that meets the same record is a sighting of it
(``hit_sightings``: which inspection, when) and moves its ``last_seen_at``; once
confirmed or dismissed it absorbs nothing, and the next hit is queued anew.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from passerelle.records.inspections import HitDraft, HitReviewView, InspectionView
from passerelle.store.tables import HitReview, HitSighting, Inspection

__all__ = [
    "inspections_of",
    "latest_inspections",
    "met_by",
    "queue_hits",
    "queued",
    "sightings_of",
]


def _review(row: HitReview) -> HitReviewView:
    return HitReviewView(**{item.name: getattr(row, item.name) for item in fields(HitReviewView)})


def _inspection(row: Inspection) -> InspectionView:
    return InspectionView(**{item.name: getattr(row, item.name) for item in fields(InspectionView)})


def queue_hits(
    session: Session,
    *,
    inspection_id: str,
    at: datetime,
    now: datetime,
    hits: Sequence[HitDraft],
    traveller: str | None,
) -> list[HitReviewView]:
    """Queue an inspection's hits: each joins the traveller's pending review of the same
    record (one more sighting) or becomes a new pending review; the reviews, in hit order.

    The inspection must be flushed already (the sightings refer to it). Not audited
    here: the caller's inspection record lists the reviews.
    """
    rows: list[HitReview] = []
    fresh: list[HitReview] = []
    for hit in hits:
        reference = hit.reference[:128]
        row = _pending_of(session, traveller, hit.source, reference)
        if row is None or row in rows:
            row = HitReview(
                inspection_id=inspection_id,
                source=hit.source,
                reference=reference,
                score=hit.score,
                status="pending",
                created_at=now,
                traveller_key=traveller,
                sightings=1,
                last_seen_at=at,
                last_inspection_id=inspection_id,
            )
            fresh.append(row)
        else:
            row.sightings = (row.sightings or 1) + 1
            row.last_seen_at = max(at, row.last_seen_at or row.created_at)
            row.last_inspection_id = inspection_id
            if hit.score is not None and (row.score is None or hit.score > row.score):
                row.score = hit.score
        rows.append(row)
    session.add_all(fresh)
    session.flush()  # one batch of inserts; their ids for the sightings and the audit
    session.add_all(
        HitSighting(review_id=row.id, inspection_id=inspection_id, at=at) for row in rows
    )
    session.flush()
    return [_review(row) for row in rows]


def _pending_of(
    session: Session, traveller: str | None, source: str, reference: str
) -> HitReview | None:
    """The pending review of this traveller's hit on ``source:reference``, if any."""
    if traveller is None:
        return None
    return session.scalars(
        select(HitReview)
        .where(
            HitReview.traveller_key == traveller,
            HitReview.source == source,
            HitReview.reference == reference,
            HitReview.status == "pending",
        )
        .order_by(HitReview.id)
        .limit(1)
        .with_for_update()
    ).first()


def met_by(inspection_id: str) -> ColumnElement[bool]:
    """Whether a hit review's hit was met by this inspection: queued by it, or sighted again."""
    return or_(
        HitReview.inspection_id == inspection_id,
        HitReview.id.in_(
            select(HitSighting.review_id).where(HitSighting.inspection_id == inspection_id)
        ),
    )


def sightings_of(session: Session, review_id: int) -> list[tuple[str, datetime]]:
    """The inspections that met a review's hit and when, first first."""
    rows = session.execute(
        select(HitSighting.inspection_id, HitSighting.at)
        .where(HitSighting.review_id == review_id)
        .order_by(HitSighting.at, HitSighting.id)
    )
    return [(inspection, at) for inspection, at in rows]


def queued(session: Session, *, limit: int = 100, newest_first: bool = True) -> list[HitReviewView]:
    """Pending reviews, by the time their hit was last met (newest first by default)."""
    seen = func.coalesce(HitReview.last_seen_at, HitReview.created_at)
    order = (seen.desc(), HitReview.id.desc()) if newest_first else (seen, HitReview.id)
    rows = session.scalars(
        select(HitReview).where(HitReview.status == "pending").order_by(*order).limit(limit)
    )
    return [_review(row) for row in rows]


def latest_inspections(session: Session, ids: Collection[str]) -> dict[str, InspectionView]:
    """The inspections with these ids (those retention has not deleted), by id."""
    if not ids:
        return {}
    rows = session.scalars(select(Inspection).where(Inspection.id.in_(list(ids))))
    return {row.id: _inspection(row) for row in rows}


def inspections_of(
    session: Session,
    issuing_state: str,
    document_number: str,
    *,
    before: datetime,
    exclude: str,
    limit: int = 5,
) -> list[InspectionView]:
    """A document's inspections up to ``before`` (``exclude`` left out), newest first."""
    rows = session.scalars(
        select(Inspection)
        .where(
            Inspection.issuing_state == issuing_state,
            Inspection.document_number == document_number,
            Inspection.at <= before,
            Inspection.id != exclude,
        )
        .order_by(Inspection.at.desc(), Inspection.recorded_at.desc())
        .limit(limit)
    )
    return [_inspection(row) for row in rows]
