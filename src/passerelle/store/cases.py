"""Analysts' cases and the notes threads of cases and hit reviews.

An analyst opens a *case* from one or more hit reviews (``passerelle.store.inspections``),
links more while it is open, writes notes on it, and closes it with a
resolution; a closed case refuses every change (``CaseRefused`` naming
``status``). A hit review is in one case at most (``CaseRefused`` naming
``review_ids``). Notes (author, time, text) may be written on any hit review,
decided or not, in a case or not.

Case numbers run per year (``CASE-2026-0001``, ``CASE-2026-0002``...): the
opening transaction increments the year's row of ``case_numbers`` (an
``UPDATE ... RETURNING`` that locks it on PostgreSQL; SQLite writers are
serialised by ``BEGIN IMMEDIATE``), so two analysts opening cases at once
never get the same id.

Every change is audited here, in the caller's transaction: ``case.open``
(purpose: the title), ``case.link``, ``case.note``, ``case.close`` (purpose:
the resolution) and ``hit_review.note``. The audit payloads hold ids and
counts, never the notes' texts. Reading a case or a hit review's thread is not
audited here: the caller records the disclosure (``case.read``). The tables are
in :mod:`passerelle.store.tables.inspections` (migration 0006).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import fields
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput, NotFound
from passerelle.records.cases import (
    CASE_STATUSES,
    MAX_NOTE,
    MAX_TITLE,
    CaseRefused,
    CaseView,
    NoteView,
    ReviewThread,
    UnknownCase,
    case_id_of,
    checked_review_ids,
    checked_text,
)
from passerelle.records.inspections import HitReviewView
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.hit_queue import met_by
from passerelle.store.tables import Case, CaseNote, CaseNumber, CaseReview, HitReview

__all__ = [
    "CaseRefused",
    "CaseRepository",
    "CaseView",
    "NoteView",
    "ReviewThread",
    "UnknownCase",
]


def _note_view(row: CaseNote) -> NoteView:
    return NoteView(id=row.id, author=row.author, at=row.at, text=row.text)


def _review_view(row: HitReview) -> HitReviewView:
    return HitReviewView(**{item.name: getattr(row, item.name) for item in fields(HitReviewView)})


class CaseRepository:
    """Opens, links, annotates and closes cases; keeps the notes of hit reviews."""

    def __init__(self, audit: AuditTrail) -> None:
        self.audit = audit

    # -- cases -----------------------------------------------------------------------------

    def open(
        self,
        session: Session,
        *,
        review_ids: Iterable[int],
        title: str,
        note: str | None = None,
        by: Actor,
        now: datetime,
    ) -> CaseView:
        """Open a case on hit reviews, with a title and an optional first note; audited.

        Refused, storing nothing, when the title is blank or too long, a review is
        unknown or already in a case.
        """
        checked_title = checked_text("title", title, limit=MAX_TITLE)
        assert checked_title is not None
        first_note = checked_text("note", note, limit=MAX_NOTE, required=False)
        ids = checked_review_ids(review_ids)
        self._reviews(session, ids)
        number = self._next_number(session, now.year)
        case_id = case_id_of(now.year, number)
        session.add(
            Case(
                id=case_id,
                year=now.year,
                number=number,
                title=checked_title,
                status="open",
                opened_by=by.name,
                opened_at=now,
            )
        )
        session.flush()
        self._link(session, case_id, ids, by, now)
        if first_note is not None:
            session.add(CaseNote(case_id=case_id, author=by.name, at=now, text=first_note))
            session.flush()
        self.audit.record(
            session,
            actor=by,
            action="case.open",
            purpose=checked_title,
            at=now,
            query={"case": case_id, "reviews": list(ids)},
            result={"status": "open", "notes": int(first_note is not None)},
        )
        return self.get(session, case_id)

    def link(
        self, session: Session, case_id: str, review_ids: Iterable[int], *, by: Actor, now: datetime
    ) -> CaseView:
        """Link more hit reviews to an open case; audited. Refused when the case is closed or
        a review is unknown or already in a case."""
        ids = checked_review_ids(review_ids)
        self._open_case(session, case_id, "link hit reviews to it")
        self._reviews(session, ids)
        self._link(session, case_id, ids, by, now)
        self.audit.record(
            session,
            actor=by,
            action="case.link",
            at=now,
            query={"case": case_id, "reviews": list(ids)},
            result={"linked": len(ids)},
        )
        return self.get(session, case_id)

    def add_note(
        self, session: Session, case_id: str, text: str, *, by: Actor, now: datetime
    ) -> NoteView:
        """Add a note to an open case's thread; audited (the note's id, not its text)."""
        checked = checked_text("text", text, limit=MAX_NOTE)
        assert checked is not None
        self._open_case(session, case_id, "take notes")
        row = CaseNote(case_id=case_id, author=by.name, at=now, text=checked)
        session.add(row)
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="case.note",
            at=now,
            query={"case": case_id},
            result={"note": row.id, "length": len(checked)},
        )
        return _note_view(row)

    def close(
        self, session: Session, case_id: str, *, resolution: str, by: Actor, now: datetime
    ) -> CaseView:
        """Close an open case with its resolution (final); audited with it as the purpose."""
        checked = checked_text("resolution", resolution, limit=MAX_NOTE)
        assert checked is not None
        row = self._open_case(session, case_id, "be closed again")
        row.status, row.closed_by, row.closed_at, row.resolution = "closed", by.name, now, checked
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="case.close",
            purpose=checked,
            at=now,
            query={"case": case_id},
            result={"status": "closed"},
        )
        return self.get(session, case_id)

    def get(self, session: Session, case_id: str) -> CaseView:
        """The case with its reviews' ids and notes; ``UnknownCase`` when there is none."""
        row = session.get(Case, case_id)
        if row is None:
            raise UnknownCase(case_id)
        notes = tuple(
            _note_view(note)
            for note in session.scalars(
                select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
            )
        )
        review_ids = self._review_ids(session, [case_id]).get(case_id, ())
        return self._view(row, review_ids, notes, len(notes))

    def cases(
        self, session: Session, *, status: str | None = None, limit: int = 200
    ) -> list[CaseView]:
        """Cases, open ones first, newest first within each; without notes (only counts)."""
        query = select(Case)
        if status is not None:
            if status not in CASE_STATUSES:
                raise InvalidInput("status", f"{status!r} is not one of closed, open")
            query = query.where(Case.status == status)
        # "open" sorts after "closed": descending puts the open cases first
        ordered = query.order_by(Case.status.desc(), Case.opened_at.desc(), Case.id.desc())
        rows = list(session.scalars(ordered.limit(limit)))
        ids = [row.id for row in rows]
        reviews = self._review_ids(session, ids)
        counts = {
            case_id: int(count)
            for case_id, count in session.execute(
                select(CaseNote.case_id, func.count())
                .where(CaseNote.case_id.in_(ids))
                .group_by(CaseNote.case_id)
            )
        }
        return [self._view(row, reviews.get(row.id, ()), (), counts.get(row.id, 0)) for row in rows]

    def reviews_in(self, session: Session, case_id: str) -> list[HitReviewView]:
        """The hit reviews linked to a case, in the order they were queued."""
        rows = session.scalars(
            select(HitReview)
            .join(CaseReview, CaseReview.review_id == HitReview.id)
            .where(CaseReview.case_id == case_id)
            .order_by(HitReview.id)
        )
        return [_review_view(row) for row in rows]

    # -- hit reviews' notes ----------------------------------------------------------------

    def note_review(
        self, session: Session, review_id: int, text: str, *, by: Actor, now: datetime
    ) -> NoteView:
        """Add a note to a hit review's thread (pending or decided); audited."""
        checked = checked_text("text", text, limit=MAX_NOTE)
        assert checked is not None
        review = session.get(HitReview, review_id)
        if review is None:
            raise NotFound("review_id", f"no hit review {review_id} on this node")
        row = CaseNote(review_id=review_id, author=by.name, at=now, text=checked)
        session.add(row)
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="hit_review.note",
            at=now,
            query={"review": review_id, "inspection": review.inspection_id},
            result={"note": row.id, "length": len(checked)},
        )
        return _note_view(row)

    def thread(self, session: Session, review_id: int) -> ReviewThread:
        """A hit review with its notes and its case; ``NotFound`` naming ``review_id``."""
        review = session.get(HitReview, review_id)
        if review is None:
            raise NotFound("review_id", f"no hit review {review_id} on this node")
        (thread,) = self._threads(session, [review])
        return thread

    def threads_of(self, session: Session, inspection_id: str) -> list[ReviewThread]:
        """The hit reviews of the hits an inspection met (queued or sighted again) with their
        notes and cases, in the order queued."""
        rows = list(
            session.scalars(select(HitReview).where(met_by(inspection_id)).order_by(HitReview.id))
        )
        return self._threads(session, rows)

    # -- inside ----------------------------------------------------------------------------

    def _threads(self, session: Session, reviews: Sequence[HitReview]) -> list[ReviewThread]:
        ids = [review.id for review in reviews]
        linked = select(CaseReview.review_id, CaseReview.case_id).where(
            CaseReview.review_id.in_(ids)
        )
        cases: dict[int, str] = dict(session.execute(linked).all())
        notes: dict[int, list[NoteView]] = {}
        for note in session.scalars(
            select(CaseNote).where(CaseNote.review_id.in_(ids)).order_by(CaseNote.id)
        ):
            notes.setdefault(note.review_id or 0, []).append(_note_view(note))
        return [
            ReviewThread(_review_view(row), cases.get(row.id), tuple(notes.get(row.id, ())))
            for row in reviews
        ]

    def _open_case(self, session: Session, case_id: str, wanted: str) -> Case:
        """The case, locked for the change; ``CaseRefused`` naming ``status`` when closed."""
        row = session.get(Case, case_id, with_for_update=True)
        if row is None:
            raise UnknownCase(case_id)
        if row.status != "open":
            raise CaseRefused(
                "status",
                f"case {case_id} was closed by {row.closed_by}: it cannot {wanted}",
            )
        return row

    def _reviews(self, session: Session, ids: Collection[int]) -> None:
        """Refuse unknown reviews and reviews already in a case (``review_ids`` named)."""
        known = set(session.scalars(select(HitReview.id).where(HitReview.id.in_(list(ids)))))
        missing = [review_id for review_id in ids if review_id not in known]
        if missing:
            raise NotFound(
                "review_ids", f"no hit review {', '.join(map(str, missing))} on this node"
            )
        taken = session.execute(
            select(CaseReview.review_id, CaseReview.case_id)
            .where(CaseReview.review_id.in_(list(ids)))
            .order_by(CaseReview.review_id)
        ).first()
        if taken is not None:
            raise CaseRefused("review_ids", f"hit review {taken[0]} is already in case {taken[1]}")

    def _link(
        self, session: Session, case_id: str, ids: Iterable[int], by: Actor, now: datetime
    ) -> None:
        session.add_all(
            CaseReview(review_id=review_id, case_id=case_id, linked_by=by.name, linked_at=now)
            for review_id in ids
        )
        try:
            session.flush()
        except IntegrityError as exc:  # another analyst linked one of them meanwhile
            raise CaseRefused(
                "review_ids", "a hit review was just linked to another case: reload and retry"
            ) from exc

    def _next_number(self, session: Session, year: int) -> int:
        """The year's next case number, counted in the caller's write transaction."""
        bump = (
            update(CaseNumber)
            .where(CaseNumber.year == year)
            .values(last_number=CaseNumber.last_number + 1)
            .returning(CaseNumber.last_number)
        )
        number = session.execute(bump).scalar_one_or_none()
        if number is None:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            session.execute(
                insert(CaseNumber)
                .values(year=year, last_number=0)
                .on_conflict_do_nothing(index_elements=["year"])
            )
            number = session.execute(bump).scalar_one()
        return int(number)

    def _review_ids(
        self, session: Session, case_ids: Collection[str]
    ) -> dict[str, tuple[int, ...]]:
        linked: dict[str, list[int]] = {}
        for case_id, review_id in session.execute(
            select(CaseReview.case_id, CaseReview.review_id)
            .where(CaseReview.case_id.in_(list(case_ids)))
            .order_by(CaseReview.review_id)
        ):
            linked.setdefault(case_id, []).append(review_id)
        return {case_id: tuple(ids) for case_id, ids in linked.items()}

    @staticmethod
    def _view(
        row: Case, review_ids: Sequence[int], notes: tuple[NoteView, ...], note_count: int
    ) -> CaseView:
        return CaseView(
            id=row.id,
            title=row.title,
            status=row.status,
            opened_by=row.opened_by,
            opened_at=row.opened_at,
            closed_by=row.closed_by,
            closed_at=row.closed_at,
            resolution=row.resolution,
            review_ids=tuple(review_ids),
            notes=notes,
            note_count=note_count,
        )
