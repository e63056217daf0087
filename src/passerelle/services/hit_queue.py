"""The analysts' queue: each pending hit with the traveller it stands for, where and when it
was last met, and what it hit in words (``hit_review.queue``: the queue names travellers,
so reading it is audited).

One item per traveller and record hit: a rescan joins the pending review
(:mod:`passerelle.store.hit_queue`), so an item says how often it was seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from passerelle.access import Permission
from passerelle.i18n import N_
from passerelle.node import Node
from passerelle.records.alerts import PersonSubject
from passerelle.records.inspections import HitReviewView, InspectionView
from passerelle.screening.words import ALERT_MEANING
from passerelle.services.common import AuditAction
from passerelle.services.lookups import audited_lookup
from passerelle.store.alerts import AlertRegistry, UnknownAlert
from passerelle.store.audit import Actor
from passerelle.store.biometrics import FaceReferenceStore
from passerelle.store.hit_queue import latest_inspections, queued
from passerelle.store.inspections import InspectionRepository
from passerelle.store.watchlist import WatchlistRegistry

__all__ = ["HitWords", "QueuedHit", "ReviewQueue", "hit_label", "hit_words"]


@dataclass(frozen=True, slots=True)
class QueuedHit:
    """A pending hit as the analysts' queue shows it."""

    review: HitReviewView
    traveller_name: str | None
    """``SURNAME, Given names`` as the document's MRZ reads at the latest sighting."""
    birth_date: str | None
    issuing_state: str | None
    document_number: str | None
    crossing_point: str | None
    """Where the hit was last met (``None``: that inspection was deleted by retention)."""
    seen_at: datetime
    """When the hit was last met (the latest sighting)."""
    label: str
    """What was hit, in English words: the alert's or the watchlist entry's category and name."""
    words: HitWords
    """The same, as a sentence for a page to translate."""
    false_positives: int | None
    """Dismissed hits on the same watchlist entry so far; ``None`` for other sources."""

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.review.as_dict(),
            "traveller_name": self.traveller_name,
            "birth_date": self.birth_date,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "crossing_point": self.crossing_point,
            "seen_at": self.seen_at.isoformat(),
            "label": self.label,
            "false_positives": self.false_positives,
        }


class ReviewQueue:
    """The pending hits, with who, where, when and what (``hit_review.queue``)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.repository = InspectionRepository(node.audit)

    def pending(
        self, actor: Actor, *, limit: int = 100, newest_first: bool = True
    ) -> list[QueuedHit]:
        """Pending hits by the time they were last met, newest first by default."""
        node = self.node
        with (
            audited_lookup(
                node,
                actor,
                AuditAction.HIT_REVIEW_QUEUE,
                permissions=(Permission.REVIEW_HITS,),
                purpose=None,
                query={"limit": limit},
            ) as lookup,
            node.database.write() as session,
        ):
            reviews = queued(session, limit=limit, newest_first=newest_first)
            listed = [r.reference for r in reviews if r.source == "watchlist"]
            false_positives = self.repository.false_positive_counts(session, listed)
            last = latest_inspections(
                session, {r.last_inspection_id or r.inspection_id for r in reviews}
            )
            items = [
                _item(
                    session,
                    node,
                    review,
                    last.get(review.last_inspection_id or review.inspection_id),
                    false_positives.get(review.reference, 0)
                    if review.source == "watchlist"
                    else None,
                )
                for review in reviews
            ]
            lookup.listed(session, [r.id for r in reviews], key="reviews")
        return items


def _item(
    session: Session,
    node: Node,
    review: HitReviewView,
    inspection: InspectionView | None,
    false_positives: int | None,
) -> QueuedHit:
    document: dict[str, Any] = inspection.result.get("document", {}) if inspection else {}
    surname, given = document.get("surname"), document.get("given_names")
    name = ", ".join(part for part in (surname, given) if part) or None
    words = hit_words(session, node, review.source, review.reference)
    return QueuedHit(
        review=review,
        traveller_name=name,
        birth_date=document.get("birth_date"),
        issuing_state=inspection.issuing_state if inspection else None,
        document_number=inspection.document_number if inspection else None,
        crossing_point=inspection.crossing_point if inspection else None,
        seen_at=review.last_seen_at or review.created_at,
        label=str(words),
        words=words,
        false_positives=false_positives,
    )


@dataclass(frozen=True, slots=True)
class HitWords:
    """What a hit's record is, as a sentence a page translates: ``text`` (English, marked for
    the catalogues, ``%(name)s`` placeholders) and its ``parameters``. ``category`` is the
    alert's or the watchlist entry's category code, which the page puts into the sentence in
    its reader's words (``%(category)s``); ``str()`` is the English sentence.

    >>> str(HitWords("Watchlist, %(category)s: %(name)s", {"name": "Nadia"}, "wanted"))
    'Watchlist, wanted: Nadia'
    """

    text: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    category: str | None = None
    category_words: str | None = None
    """The category in English words (the code when None)."""

    def __str__(self) -> str:
        if self.category is None:
            return self.text % dict(self.parameters)
        words = self.category_words or self.category
        return self.text % {**self.parameters, "category": words}


def hit_label(session: Session, node: Node, source: str, reference: str) -> str:
    """What a hit's record is, in English words: ``Wanted person (...): Nadia Berrada``."""
    return str(hit_words(session, node, source, reference))


def hit_words(session: Session, node: Node, source: str, reference: str) -> HitWords:
    """What a hit's record is, as a sentence to translate (:class:`HitWords`)."""
    if source == "sltd":
        return HitWords(N_("Stolen or lost document"))
    if source == "alerts":
        try:
            alert = AlertRegistry(node.audit).get(session, reference)
        except UnknownAlert:
            return HitWords(N_("alert %(reference)s (no longer on file)"), {"reference": reference})
        meaning = ALERT_MEANING.get(alert.category, alert.category)
        if isinstance(alert.subject, PersonSubject) and alert.subject.names:
            name = alert.subject.names[0]
            return HitWords(N_("%(category)s: %(name)s"), {"name": name}, alert.category, meaning)
        return HitWords(N_("%(category)s"), {}, alert.category, meaning)
    if source == "watchlist":
        person = WatchlistRegistry().get(session, reference)
        if person is None:
            text = N_("watchlist entry %(reference)s (no longer on file)")
            return HitWords(text, {"reference": reference})
        name = person.names[0] if person.names else reference
        return HitWords(N_("Watchlist, %(category)s: %(name)s"), {"name": name}, person.category)
    if source == "face":
        gallery, _, identity = reference.partition(":")
        described = FaceReferenceStore().describe(session, gallery, identity) if identity else None
        if described is not None and described[0]:
            text = N_("Face in the %(gallery)s list: %(name)s")
            return HitWords(text, {"gallery": gallery, "name": described[0]})
        return HitWords(N_("Face in the %(gallery)s list"), {"gallery": gallery})
    if source == "fingerprint":
        gallery, _, finger = reference.partition(":")
        text = N_("Fingerprint in the %(gallery)s list: %(finger)s")
        return HitWords(text, {"gallery": gallery, "finger": finger})
    if source == "chip":
        return HitWords(N_("Chip tampered with (%(reference)s)"), {"reference": reference})
    return HitWords("%(source)s", {"source": source})
