"""Watchlist candidates an officer cleared for a traveller: "not the same person" that holds.

When an officer marks a watchlist candidate "not the same person" at the border
(``InspectionRepository.mark_not_same_person``), the hit review of that traveller
(``traveller_key``: the document, else the name and birth date) and that entry keeps
the feedback, who gave it and when. The next inspection of the same traveller
finds the same candidate *cleared before* instead of alerting again, as long as

- the watchlist entry has not changed since (``updated_at`` ≤ the feedback time:
  a new name, date or category is a new question), and
- no analyst confirmed the hit since (a confirmed review is never a clearance).

A traveller with another document (or without one, another name or birth date)
is another key: a clearance never spreads beyond the traveller it was given for.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.records.inspections import NOT_SAME_PERSON
from passerelle.store.tables import HitReview, WatchlistPerson

__all__ = ["Clearance", "standing_clearances"]


@dataclass(frozen=True, slots=True)
class Clearance:
    """An officer's standing word that a traveller is not a watchlist entry."""

    watchlist_id: str
    cleared_by: str
    cleared_at: datetime
    inspection_id: str
    """The inspection the clearance was given on."""


def standing_clearances(
    session: Session, traveller_key: str | None, watchlist_ids: Collection[str]
) -> dict[str, Clearance]:
    """The clearances that still hold for ``traveller_key`` against ``watchlist_ids``."""
    if traveller_key is None or not watchlist_ids:
        return {}
    rows = session.execute(
        select(
            HitReview.reference,
            HitReview.feedback_by,
            HitReview.feedback_at,
            HitReview.last_inspection_id,
            HitReview.inspection_id,
        )
        .join(WatchlistPerson, WatchlistPerson.id == HitReview.reference)
        .where(
            HitReview.source == "watchlist",
            HitReview.traveller_key == traveller_key,
            HitReview.reference.in_(list(watchlist_ids)),
            HitReview.feedback == NOT_SAME_PERSON,
            HitReview.status != "confirmed",
            HitReview.feedback_at.is_not(None),
            WatchlistPerson.updated_at <= HitReview.feedback_at,
        )
        .order_by(HitReview.feedback_at)
    ).all()
    found: dict[str, Clearance] = {}
    for reference, by, at, last_inspection_id, inspection_id in rows:
        assert at is not None  # the query asks for feedback_at
        found[reference] = Clearance(reference, by or "?", at, last_inspection_id or inspection_id)
    return found
