"""Analysts' cases and notes threads, on SQLite and PostgreSQL: ids, links, closing, audit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select

from passerelle.exc import InvalidInput, NotFound
from passerelle.records.cases import CaseRefused, UnknownCase
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.cases import CaseRepository
from passerelle.store.inspections import HitDraft, InspectionRepository
from passerelle.store.tables import AuditPayload, AuditRecord, Case, CaseNote, HitReview, Inspection
from tests.conftest import Clock

ANALYST = Actor("analyst.idrissi", "user", "analyst")
OTHER = Actor("analyst.tazi", "user", "analyst")


@pytest.fixture
def cases(audit: AuditTrail) -> CaseRepository:
    return CaseRepository(audit)


def queue_hits(
    database: Database,
    audit: AuditTrail,
    clock: Clock,
    inspection_id: str,
    count: int = 2,
    *,
    document_number: str = "AB1234567",
) -> list[int]:
    """An inspection of ``document_number`` with ``count`` hits queued for review; their review
    ids (the same document's hits, still pending, are joined, not queued again)."""
    with database.write() as session:
        reviews = InspectionRepository(audit).add(
            session,
            inspection_id=inspection_id,
            at=clock(),
            now=clock(),
            officer="officer.benali",
            crossing_point="TNG-MED",
            direction="entry",
            purpose="border control",
            issuing_state="MAR",
            document_number=document_number,
            nationality="MAR",
            decision="hit",
            result={"decision": "hit"},
            crossing_id=None,
            hits=[HitDraft("watchlist", f"MAR-W-{n:04d}", 0.9) for n in range(count)],
        )
    return [review.id for review in reviews]


def test_cases_are_numbered_per_year_and_keep_their_reviews_and_first_note(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    first, second, third = queue_hits(database, audit, clock, "insp-1", count=3)
    with database.write() as session:
        opened = cases.open(
            session,
            review_ids=[second, first],
            title="  Forged Moroccan passports  ",
            note="Same printer as last month?",
            by=ANALYST,
            now=clock(),
        )
        again = cases.open(session, review_ids=[third], title="Second", by=ANALYST, now=clock())
    assert (opened.id, again.id) == ("CASE-2026-0001", "CASE-2026-0002")
    assert opened.title == "Forged Moroccan passports"
    assert opened.status == "open"
    assert opened.is_open
    assert opened.review_ids == (first, second)
    assert [(n.author, n.text) for n in opened.notes] == [
        ("analyst.idrissi", "Same printer as last month?")
    ]
    assert again.notes == ()

    clock.now = datetime(2027, 1, 1, 0, 5, tzinfo=UTC)
    (fourth,) = queue_hits(database, audit, clock, "insp-2", count=1, document_number="ZZ1")
    with database.write() as session:
        new_year = cases.open(session, review_ids=[fourth], title="New year", by=OTHER, now=clock())
    assert new_year.id == "CASE-2027-0001"


def test_two_analysts_opening_cases_at_once_get_different_ids(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    review_ids = queue_hits(database, audit, clock, "insp-1", count=6)
    start = threading.Barrier(len(review_ids))
    opened: list[str] = []
    errors: list[BaseException] = []

    def open_one(review_id: int) -> None:
        try:
            start.wait()
            with database.write() as session:
                view = cases.open(
                    session, review_ids=[review_id], title="race", by=ANALYST, now=clock()
                )
            opened.append(view.id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(r,)) for r in review_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(opened) == [f"CASE-2026-{n:04d}" for n in range(1, 7)]
    with database.read() as session:
        assert audit.verify(session).intact


def test_a_hit_review_is_in_one_case_at_most(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    first, second = queue_hits(database, audit, clock, "insp-1")
    with database.write() as session:
        case = cases.open(session, review_ids=[first], title="One", by=ANALYST, now=clock())
    taken = f"hit review {first} is already in case {case.id}"
    with pytest.raises(CaseRefused, match=taken) as e, database.write() as session:
        cases.open(session, review_ids=[second, first], title="Two", by=OTHER, now=clock())
    assert e.value.field == "review_ids"
    with pytest.raises(CaseRefused, match="already in case"), database.write() as session:
        cases.link(session, case.id, [first], by=ANALYST, now=clock())
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert cases.thread(session, second).case_id is None

    with database.write() as session:
        linked = cases.link(session, case.id, [second], by=OTHER, now=clock())
    assert linked.review_ids == (first, second)


def test_a_closed_case_refuses_every_change_naming_its_status(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    first, second = queue_hits(database, audit, clock, "insp-1")
    with database.write() as session:
        case = cases.open(session, review_ids=[first], title="Closing", by=ANALYST, now=clock())
    clock.advance(hours=2)
    with database.write() as session:
        closed = cases.close(
            session, case.id, resolution="Passports seized; referred", by=OTHER, now=clock()
        )
    assert (closed.status, closed.closed_by, closed.closed_at) == ("closed", OTHER.name, clock())
    assert closed.resolution == "Passports seized; referred"

    changes = [
        lambda s: cases.add_note(s, case.id, "late", by=ANALYST, now=clock()),
        lambda s: cases.link(s, case.id, [second], by=ANALYST, now=clock()),
        lambda s: cases.close(s, case.id, resolution="again", by=ANALYST, now=clock()),
    ]
    for change in changes:
        closed_by = f"case {case.id} was closed by analyst.tazi"
        with pytest.raises(CaseRefused, match=closed_by) as e, database.write() as session:
            change(session)
        assert e.value.field == "status"
    with database.read() as session:
        assert cases.get(session, case.id) == closed


def test_notes_go_on_a_hit_review_before_and_after_it_is_decided(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    (review_id,) = queue_hits(database, audit, clock, "insp-1", count=1)
    with database.write() as session:
        cases.note_review(session, review_id, "Calling the issuing post", by=ANALYST, now=clock())
        InspectionRepository(audit).confirm(
            session, review_id, by=ANALYST, note="confirmed", now=clock()
        )
    clock.advance(minutes=5)
    with database.write() as session:
        cases.note_review(session, review_id, "They confirmed the theft", by=OTHER, now=clock())
        case = cases.open(session, review_ids=[review_id], title="Theft", by=OTHER, now=clock())
    with database.read() as session:
        thread = cases.thread(session, review_id)
        (listed,) = cases.threads_of(session, "insp-1")
    assert thread == listed
    assert thread.review.status == "confirmed"
    assert thread.case_id == case.id
    assert [(n.author, n.text) for n in thread.notes] == [
        ("analyst.idrissi", "Calling the issuing post"),
        ("analyst.tazi", "They confirmed the theft"),
    ]
    assert thread.notes[0].at < thread.notes[1].at
    assert case.notes == ()  # a review's notes are not the case's


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    (review_id,) = queue_hits(database, audit, clock, "insp-1", count=1)
    refused = {
        "title": lambda s: cases.open(s, review_ids=[review_id], title="", by=ANALYST, now=clock()),
        "note": lambda s: cases.open(
            s, review_ids=[review_id], title="t", note="x" * 2001, by=ANALYST, now=clock()
        ),
        "review_ids": lambda s: cases.open(s, review_ids=[], title="t", by=ANALYST, now=clock()),
        "text": lambda s: cases.note_review(s, review_id, "", by=ANALYST, now=clock()),
    }
    for field, change in refused.items():
        with pytest.raises(InvalidInput) as error, database.write() as session:
            change(session)
        assert error.value.field == field
    with pytest.raises(NotFound, match="no hit review 999") as missing, database.write() as db:
        cases.open(db, review_ids=[review_id, 999], title="t", by=ANALYST, now=clock())
    assert missing.value.field == "review_ids"
    with pytest.raises(NotFound) as no_review, database.write() as session:
        cases.note_review(session, 999, "hello", by=ANALYST, now=clock())
    assert no_review.value.field == "review_id"
    with pytest.raises(UnknownCase) as unknown, database.read() as session:
        cases.get(session, "CASE-2026-0404")
    assert unknown.value.field == "case_id"
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert cases.thread(session, review_id).notes == ()

    with database.write() as session:
        case = cases.open(session, review_ids=[review_id], title="t", by=ANALYST, now=clock())
    with pytest.raises(InvalidInput) as long_note, database.write() as session:
        cases.add_note(session, case.id, "x" * 2001, by=ANALYST, now=clock())
    assert long_note.value.field == "text"
    with database.read() as session:
        assert cases.get(session, case.id).notes == ()


def test_every_change_is_audited_with_its_actor_but_not_the_notes_texts(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    first, second = queue_hits(database, audit, clock, "insp-1")
    with database.write() as session:
        case = cases.open(
            session, review_ids=[first], title="Audited", note="secret-ish", by=ANALYST, now=clock()
        )
        cases.link(session, case.id, [second], by=ANALYST, now=clock())
        cases.add_note(session, case.id, "second thoughts", by=OTHER, now=clock())
        cases.note_review(session, first, "a review note", by=OTHER, now=clock())
        cases.close(session, case.id, resolution="Resolved", by=OTHER, now=clock())
    with database.read() as session:
        records = session.execute(
            select(AuditRecord.action, AuditRecord.actor, AuditRecord.purpose).order_by(
                AuditRecord.seq
            )
        ).all()
        payloads = " ".join(str((p.query, p.result)) for p in session.scalars(select(AuditPayload)))
        assert audit.verify(session).intact
    assert [tuple(r) for r in records] == [
        ("case.open", "analyst.idrissi", "Audited"),
        ("case.link", "analyst.idrissi", None),
        ("case.note", "analyst.tazi", None),
        ("hit_review.note", "analyst.tazi", None),
        ("case.close", "analyst.tazi", "Resolved"),
    ]
    assert case.id in payloads
    for text in ("secret-ish", "second thoughts", "a review note"):
        assert text not in payloads


def test_the_list_shows_open_cases_first_newest_first_with_counts(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    reviews = queue_hits(database, audit, clock, "insp-1", count=3)
    ids = []
    for n, review_id in enumerate(reviews):
        clock.advance(minutes=1)
        with database.write() as session:
            opened = cases.open(
                session,
                review_ids=[review_id],
                title=f"case {n}",
                note="n",
                by=ANALYST,
                now=clock(),
            )
        ids.append(opened.id)
    with database.write() as session:
        cases.close(session, ids[2], resolution="done", by=ANALYST, now=clock())
    with database.read() as session:
        listed = cases.cases(session)
        only_closed = cases.cases(session, status="closed")
        with pytest.raises(InvalidInput) as bad:
            cases.cases(session, status="pending")
    assert [c.id for c in listed] == [ids[1], ids[0], ids[2]]
    assert [c.note_count for c in listed] == [1, 1, 1]
    assert listed[0].notes == ()
    assert [c.id for c in only_closed] == [ids[2]]
    assert bad.value.field == "status"


def test_retention_deleting_an_inspection_takes_its_notes_and_links_along(
    database: Database, audit: AuditTrail, cases: CaseRepository, clock: Clock
) -> None:
    first, second = queue_hits(database, audit, clock, "insp-1")
    (other,) = queue_hits(database, audit, clock, "insp-2", count=1, document_number="ZZ1")
    with database.write() as session:
        case = cases.open(session, review_ids=[first, other], title="t", by=ANALYST, now=clock())
        cases.note_review(session, second, "note", by=ANALYST, now=clock())
    with database.write() as session:
        session.execute(delete(HitReview).where(HitReview.inspection_id == "insp-1"))
        session.execute(delete(Inspection).where(Inspection.id == "insp-1"))
    with database.read() as session:
        assert cases.get(session, case.id).review_ids == (other,)
        assert session.scalar(select(func.count()).select_from(CaseNote)) == 0
