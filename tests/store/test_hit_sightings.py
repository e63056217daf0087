"""One pending review per traveller and hit: a rescan is a sighting of it, on SQLite and
PostgreSQL; a decided review absorbs nothing; retention keeps what a pending review saw."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from passerelle.records.inspections import traveller_key
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.hit_queue import queued, sightings_of
from passerelle.store.inspections import HitDraft, HitReviewView, InspectionRepository
from passerelle.store.retention import RetentionPolicy, apply_retention
from passerelle.store.tables import HitReview, HitSighting, Inspection
from tests.conftest import Clock

ANALYST = Actor("analyst.idrissi", "user", "analyst")
SYSTEM = Actor("retention", "system", "admin")


def scan(
    database: Database,
    audit: AuditTrail,
    clock: Clock,
    inspection_id: str,
    *,
    number: str | None = "AB1234567",
    point: str = "TNG-MED",
    hits: tuple[HitDraft, ...] = (HitDraft("sltd", "MAR:AB1234567"),),
    traveller: str | None = None,
) -> list[HitReviewView]:
    """One inspection of the document (``number``; ``None``: not read) with ``hits``."""
    with database.write() as session:
        return InspectionRepository(audit).add(
            session,
            inspection_id=inspection_id,
            at=clock(),
            now=clock(),
            officer="officer.benali",
            crossing_point=point,
            direction="entry",
            purpose="border control",
            issuing_state="MAR" if number else None,
            document_number=number,
            nationality="MAR",
            decision="hit",
            result={"decision": "hit", "document": {"surname": "LAMRANI"}},
            crossing_id=None,
            hits=hits,
            traveller=traveller,
        )


def test_a_rescan_of_the_same_document_joins_the_pending_review(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    (first,) = scan(database, audit, clock, "insp-1")
    clock.advance(minutes=10)
    (again,) = scan(database, audit, clock, "insp-2", point="CMN-T1")
    clock.advance(minutes=5)
    (third,) = scan(database, audit, clock, "insp-3")

    assert first.id == again.id == third.id
    assert (third.sightings, third.inspection_id, third.last_inspection_id) == (
        3,
        "insp-1",
        "insp-3",
    )
    assert third.last_seen_at == clock()
    with database.read() as session:
        (pending,) = queued(session)
        assert pending.sightings == 3
        assert [inspection for inspection, _ in sightings_of(session, first.id)] == [
            "insp-1",
            "insp-2",
            "insp-3",
        ]
        assert session.scalar(select(func.count()).select_from(HitReview)) == 1


def test_another_document_or_another_record_is_a_review_of_its_own(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    (first,) = scan(database, audit, clock, "insp-1")
    (other_document,) = scan(database, audit, clock, "insp-2", number="ZZ7654321")
    (other_record,) = scan(
        database, audit, clock, "insp-3", hits=(HitDraft("alerts", "MAR-A-0001"),)
    )

    assert len({first.id, other_document.id, other_record.id}) == 3
    with database.read() as session:
        assert [r.sightings for r in queued(session)] == [1, 1, 1]


def test_a_confirmed_or_dismissed_review_absorbs_no_new_hit(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    (first,) = scan(database, audit, clock, "insp-1")
    with database.write() as session:
        InspectionRepository(audit).confirm(
            session, first.id, by=ANALYST, note="seized", now=clock()
        )
    clock.advance(hours=1)
    (second,) = scan(database, audit, clock, "insp-2")
    with database.write() as session:
        InspectionRepository(audit).dismiss(
            session, second.id, by=ANALYST, note="a copy", now=clock()
        )
    (third,) = scan(database, audit, clock, "insp-3")

    assert len({first.id, second.id, third.id}) == 3
    assert (third.status, third.sightings, third.inspection_id) == ("pending", 1, "insp-3")
    with database.read() as session:
        assert [r.id for r in queued(session)] == [third.id]
        assert session.get(HitReview, first.id).sightings == 1  # type: ignore[union-attr]


def test_without_a_document_the_name_and_birth_date_say_who_the_traveller_is(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    person = traveller_key(
        None, None, surname="LEROY", given_names="ISABELLE", birth_date="1971-08-19"
    )
    hit = (HitDraft("watchlist", "MAR-W-0001", 0.91),)
    (first,) = scan(database, audit, clock, "insp-1", number=None, hits=hit, traveller=person)
    (again,) = scan(database, audit, clock, "insp-2", number=None, hits=hit, traveller=person)
    (unknown,) = scan(database, audit, clock, "insp-3", number=None, hits=hit)

    assert first.id == again.id
    assert again.sightings == 2
    assert unknown.id != first.id  # nobody to match: a review of its own


def test_the_queue_shows_the_newest_sighting_first(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    (old,) = scan(database, audit, clock, "insp-1")
    clock.advance(minutes=1)
    (other,) = scan(database, audit, clock, "insp-2", number="ZZ7654321")
    clock.advance(minutes=1)
    scan(database, audit, clock, "insp-3")  # the first traveller again: now the newest

    with database.read() as session:
        assert [r.id for r in queued(session)] == [old.id, other.id]
        assert [r.id for r in queued(session, newest_first=False)] == [other.id, old.id]


def test_retention_keeps_an_inspection_that_sighted_a_pending_hit(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    (review,) = scan(database, audit, clock, "insp-1")
    scan(database, audit, clock, "insp-2")
    clock.advance(days=400)
    policy = RetentionPolicy(inspections_days=180, crossings_days=365)

    with database.write() as session:
        kept = apply_retention(session, audit, policy, actor=SYSTEM, now=clock())
    assert (kept.inspections, kept.hit_reviews) == (0, 0)

    with database.write() as session:
        InspectionRepository(audit).dismiss(
            session, review.id, by=ANALYST, note="false positive", now=clock()
        )
    with database.write() as session:
        gone = apply_retention(session, audit, policy, actor=SYSTEM, now=clock())
    assert (gone.inspections, gone.hit_reviews) == (2, 1)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(HitSighting)) == 0
        assert session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_reviews_made_before_sightings_get_their_first_one_on_upgrade(
    blank_database: Database,
) -> None:
    blank_database.upgrade("0012")
    with blank_database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO inspections (id, at, recorded_at, officer, crossing_point,"
                " direction, purpose, issuing_state, document_number, nationality, decision,"
                " result) VALUES ('i1', '2026-11-25 12:00:00', '2026-11-25 12:00:00', 'o',"
                " 'TNG-MED', 'entry', 'border control', 'MAR', 'AB1234567', 'MAR', 'hit', '{}')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO hit_reviews (inspection_id, source, reference, status, created_at)"
                " VALUES ('i1', 'sltd', 'MAR:AB1234567', 'pending', '2026-11-25 12:00:00')"
            )
        )

    blank_database.upgrade()
    with blank_database.engine.connect() as connection:
        review = connection.execute(
            text(
                "SELECT traveller_key, sightings, last_inspection_id, last_seen_at IS NOT NULL"
                " FROM hit_reviews"
            )
        ).one()
        sighting = connection.execute(text("SELECT inspection_id FROM hit_sightings")).one()
    assert tuple(review) == ("doc:MAR:AB1234567", 1, "i1", True)
    assert tuple(sighting) == ("i1",)
    assert blank_database.downgrade("0012") == (blank_database.head_revision(), "0012")


def test_the_review_keeps_its_highest_score(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    weak = (HitDraft("watchlist", "MAR-W-0001", 0.81),)
    strong = (HitDraft("watchlist", "MAR-W-0001", 0.93),)
    scan(database, audit, clock, "insp-1", hits=weak)
    (review,) = scan(database, audit, clock, "insp-2", hits=strong)
    clock.advance(minutes=1)
    (later,) = scan(database, audit, clock, "insp-3", hits=weak)
    assert (review.score, later.score, later.sightings) == (0.93, 0.93, 3)
    assert later.last_seen_at is not None
    assert later.last_seen_at - later.created_at == timedelta(minutes=1)
