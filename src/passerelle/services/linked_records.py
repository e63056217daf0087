"""The records at the two ends of an identity link, as the node holds them.

An analyst judges a link (``records.identity_links``) by reading both records side by
side: the names in their scripts, the birth date, the nationalities, the sex, the
documents, and where the record was seen (an inspection's time, crossing point and
direction, and the document's other inspections). :func:`linked_record` reads one end:

===================  ==================================================================
``inspection``       the document the officer read, this inspection and the document's
                     other inspections (newest first), the inspection's hit reviews
``watchlist``        the listed person (names, birth date, nationalities, sex)
``alert``            the alert's subject
``partner``          nothing until the partner approves a follow-up on its reference;
                     then what it disclosed, and only that
``partner_alert``    the partner's alert as it was shared with this node
===================  ==================================================================

``photo`` says whether a reference photo is on file under the record's id (a face
enrolled with its image, in any gallery: a watchlist person's, an alert's, the chip
photo of a traveller filed under the inspection that read it); the photo itself is
served on its own, audited (:meth:`IdentityLinkDesk.record_photo`). A partner's record
never carries one: follow-ups disclose no biometrics.

A record that is gone (withdrawn, purged) reads ``held=False``: the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.federation.followups.values import FollowUpView
from passerelle.records.alerts import UnknownAlert
from passerelle.records.identity_links import LinkEnd
from passerelle.store.alerts import AlertRegistry
from passerelle.store.audit import AuditTrail
from passerelle.store.biometrics import FaceReferenceStore
from passerelle.store.tables import ExchangeFollowUp, HitReview, Inspection
from passerelle.store.watchlist import WatchlistRegistry

__all__ = [
    "PHOTO_KINDS",
    "LinkedRecord",
    "Passage",
    "follow_up_of",
    "linked_record",
    "photo_galleries",
    "record_href",
]

_PASSAGES_MOST = 10


@dataclass(frozen=True, slots=True)
class Passage:
    """One time the record's document was inspected: when, where, which way, the verdict."""

    at: datetime
    point: str
    direction: str
    decision: str
    inspection_id: str


@dataclass(frozen=True, slots=True)
class LinkedRecord:
    """One end of a link as this node holds it (``held`` false: nothing to show)."""

    end: LinkEnd
    held: bool
    names: tuple[str, ...] = ()
    birth_date: str | None = None
    nationalities: tuple[str, ...] = ()
    sex: str | None = None
    documents: tuple[str, ...] = ()
    category: str | None = None
    passages: tuple[Passage, ...] = ()
    review_ids: tuple[int, ...] = ()
    """The hit reviews of an inspection (a red link may open a case on them)."""
    href: str | None = None
    disclosed_by: str | None = None
    """The partner that disclosed this record through a follow-up."""
    photo: bool = False
    """A reference photo is on file under the record's id (served apart, audited)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.end.kind,
            "ref": self.end.ref,
            "held": self.held,
            "names": list(self.names),
            "birth_date": self.birth_date,
            "nationalities": list(self.nationalities),
            "sex": self.sex,
            "documents": list(self.documents),
            "category": self.category,
            "passages": [
                {
                    "at": p.at.isoformat(),
                    "point": p.point,
                    "direction": p.direction,
                    "decision": p.decision,
                    "inspection_id": p.inspection_id,
                }
                for p in self.passages
            ],
            "review_ids": list(self.review_ids),
            "disclosed_by": self.disclosed_by,
            "photo": self.photo,
        }


def record_href(end: LinkEnd) -> str | None:
    """The analysts' page of a record held here (None for a partner's)."""
    if end.kind == "inspection":
        return f"/review/inspection/{end.ref}"
    return None


PHOTO_KINDS = ("inspection", "watchlist", "alert")
"""The kinds of record whose id a face (and its reference photo) may be filed under."""


def linked_record(
    session: Session, audit: AuditTrail, end: LinkEnd, *, follow_up: FollowUpView | None = None
) -> LinkedRecord:
    """One end of a link read from the store (see the module's table)."""
    record = _record(session, audit, end, follow_up)
    if record.held and end.kind in PHOTO_KINDS and photo_galleries(session, end):
        return replace(record, photo=True)
    return record


def photo_galleries(session: Session, end: LinkEnd) -> list[str]:
    """The galleries holding a reference photo filed under the record's id."""
    if end.kind not in PHOTO_KINDS:
        return []
    return FaceReferenceStore().photo_galleries(session, end.ref)


def _record(
    session: Session, audit: AuditTrail, end: LinkEnd, follow_up: FollowUpView | None
) -> LinkedRecord:
    if end.kind == "inspection":
        return _inspection(session, end)
    if end.kind == "watchlist":
        person = WatchlistRegistry().get(session, end.ref)
        if person is None:
            return LinkedRecord(end, held=False)
        return LinkedRecord(
            end,
            held=person.status == "active",
            names=tuple(person.names),
            birth_date=person.birth_date,
            nationalities=tuple(person.nationalities),
            sex=person.sex,
            category=person.category,
        )
    if end.kind == "alert":
        try:
            alert = AlertRegistry(audit).get(session, end.ref)
        except UnknownAlert:
            return LinkedRecord(end, held=False)
        return _subject(end, alert.subject.as_json(), category=alert.category)
    if end.kind == "partner":
        released = follow_up.released if follow_up is not None else None
        if follow_up is None or follow_up.status != "approved" or not released:
            return LinkedRecord(end, held=False)
        return _released(end, released, follow_up.peer)
    return LinkedRecord(end, held=False)


def _inspection(session: Session, end: LinkEnd) -> LinkedRecord:
    row = session.get(Inspection, end.ref)
    if row is None:
        return LinkedRecord(end, held=False)
    document: Mapping[str, Any] = (row.result or {}).get("document") or {}
    given, surname = document.get("given_names") or "", document.get("surname") or ""
    names = tuple(n for n in (" ".join(f"{given} {surname}".split()),) if n)
    passages = [row]
    if row.document_number:
        others = session.scalars(
            select(Inspection)
            .where(
                Inspection.document_number == row.document_number,
                Inspection.issuing_state == row.issuing_state,
                Inspection.id != row.id,
            )
            .order_by(Inspection.at.desc())
            .limit(_PASSAGES_MOST - 1)
        ).all()
        passages += list(others)
    reviews = session.scalars(
        select(HitReview.id).where(HitReview.inspection_id == row.id).order_by(HitReview.id)
    ).all()
    document_said = " ".join(p for p in (row.issuing_state, row.document_number) if p)
    return LinkedRecord(
        end,
        held=True,
        names=names,
        birth_date=_text(document.get("birth_date")),
        nationalities=tuple(n for n in (row.nationality,) if n),
        sex=_text(document.get("sex")),
        documents=(document_said,) if document_said else (),
        passages=tuple(
            Passage(p.at, p.crossing_point, p.direction, p.decision, p.id) for p in passages
        ),
        review_ids=tuple(reviews),
        href=record_href(end),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _subject(
    end: LinkEnd, subject: Mapping[str, Any], *, category: str | None, by: str | None = None
) -> LinkedRecord:
    names = subject.get("names") or ([subject["name"]] if subject.get("name") else [])
    nationalities = subject.get("nationalities") or (
        [subject["nationality"]] if subject.get("nationality") else []
    )
    documents = [
        " ".join(str(d.get(k) or "") for k in ("issuing_state", "number", "document_number"))
        for d in subject.get("documents") or []
        if isinstance(d, Mapping)
    ]
    if subject.get("document_number"):
        documents.append(
            f"{subject.get('issuing_state') or ''} {subject['document_number']}".strip()
        )
    return LinkedRecord(
        end,
        held=True,
        names=tuple(str(n) for n in names),
        birth_date=_text(subject.get("birth_date")),
        nationalities=tuple(str(n) for n in nationalities),
        sex=_text(subject.get("sex")),
        documents=tuple(" ".join(d.split()) for d in documents if d.strip()),
        category=category,
        href=record_href(end),
        disclosed_by=by,
    )


def _released(end: LinkEnd, released: Mapping[str, Any], peer: str) -> LinkedRecord:
    """What a partner disclosed (a watchlist person, an alert's subject, a document)."""
    category = _text(released.get("category"))
    if released.get("record_type") == "alert":
        subject = released.get("subject")
        return _subject(
            end, subject if isinstance(subject, Mapping) else {}, category=category, by=peer
        )
    return _subject(end, released, category=category, by=peer)


def follow_up_of(session: Session, end: LinkEnd) -> FollowUpView | None:
    """The newest follow-up this node sent for a partner end (``STATE:REF``), if any."""
    if end.kind != "partner":
        return None
    state, _, reference = end.ref.partition(":")
    row = session.scalars(
        select(ExchangeFollowUp)
        .where(
            ExchangeFollowUp.direction == "outgoing",
            ExchangeFollowUp.peer == state,
            ExchangeFollowUp.reference == reference,
        )
        .order_by(ExchangeFollowUp.requested_at.desc())
        .limit(1)
    ).one_or_none()
    return FollowUpView.of(row) if row is not None else None
