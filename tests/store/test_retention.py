"""Retention deletes personal data past its limit, records it, and keeps the chain provable."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.retention import EMPTIED_BODY, RetentionPolicy, apply_retention
from passerelle.store.tables import (
    AuditPayload,
    BiometricTemplate,
    Case,
    CaseReview,
    Crossing,
    ExchangeFollowUp,
    ExchangeOutbox,
    HitReview,
    Inspection,
    LoginAttempt,
    PartnerAlert,
    SltdRecord,
    WatchlistPerson,
    WebSession,
)
from passerelle.store.users import UserRepository
from tests.conftest import Clock

SYSTEM = Actor("retention", "system", "admin")
POLICY = RetentionPolicy(
    crossings_days=30, audit_payload_days=30, withdrawn_days=30, sltd_history_days=30
)


def crossing(clock: Clock, days_ago: int) -> Crossing:
    return Crossing(
        issuing_state="MAR",
        document_number="UM4731285",
        nationality="MAR",
        crossing_point="TNG-MED",
        direction="entry",
        at=clock() - timedelta(days=days_ago),
        officer="officer.benali",
        recorded_at=clock(),
    )


def person(clock: Clock, person_id: str, *, withdrawn_days_ago: int | None) -> WatchlistPerson:
    now = clock()
    return WatchlistPerson(
        id=person_id,
        names=["Mohamed Ben Ali"],
        birth_date="1985",
        birth_year=1985,
        nationalities=["MAR"],
        sex="M",
        category="wanted",
        issued_by="MAR",
        valid_until=None,
        status="withdrawn" if withdrawn_days_ago is not None else "active",
        content_hash=person_id * 8,
        created_at=now,
        updated_at=now,
        withdrawn_at=None
        if withdrawn_days_ago is None
        else now - timedelta(days=withdrawn_days_ago),
    )


def count(database: Database, model: type) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_retention_deletes_what_is_past_its_limit_and_keeps_the_rest(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        session.add_all([crossing(clock, 90), crossing(clock, 5)])
        session.add_all(
            [
                person(clock, "old", withdrawn_days_ago=60),
                person(clock, "recent", withdrawn_days_ago=3),
                person(clock, "active", withdrawn_days_ago=None),
            ]
        )
        for identity in ("old", "active"):
            session.add(
                BiometricTemplate(
                    gallery="wanted",
                    identity=identity,
                    modality="face",
                    model="dlib-resnet-v1",
                    model_version="dlib20.0.1",
                    sealed=b"sealed",
                    source_sha256="0" * 64,
                    enrolled_at=clock(),
                    enrolled_by="officer",
                )
            )
        for version, superseded in ((1, clock() - timedelta(days=40)), (2, None)):
            session.add(
                SltdRecord(
                    issuing_state="MAR",
                    document_number="X1",
                    number_key="X1",
                    number_key9="X1",
                    document_code="P",
                    status="lost" if version == 1 else "invalidated",
                    reported_on=date(2026, 1, 1),
                    reported_by="MAR",
                    version=version,
                    recorded_at=clock(),
                    superseded_at=superseded,
                )
            )
    clock.advance(days=-60)
    with database.write() as session:
        audit.record(session, actor=SYSTEM, action="sltd.search", purpose="test", at=clock())
    clock.advance(days=60)
    with database.write() as session:
        audit.record(session, actor=SYSTEM, action="sltd.search", purpose="test", at=clock())

    with database.write() as session:
        report = apply_retention(session, audit, POLICY, actor=SYSTEM, now=clock())

    assert (report.crossings, report.watchlist_persons, report.sltd_versions) == (1, 1, 1)
    assert report.biometric_templates == 1
    assert count(database, BiometricTemplate) == 1  # the active person's face stays
    assert (report.audit_payloads, report.redacts_through) == (1, 1)
    assert count(database, Crossing) == 1
    assert count(database, WatchlistPerson) == 2
    assert count(database, SltdRecord) == 1
    assert count(database, AuditPayload) == 2
    with database.read() as session:
        verdict = audit.verify(session)
    assert verdict.intact
    assert (verdict.records, verdict.redacted_payloads) == (3, 1)


def test_payload_deleted_outside_retention_is_tampering(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        for _ in range(3):
            audit.record(session, actor=SYSTEM, action="sltd.search", purpose="test", at=clock())
    with database.write() as session:
        session.query(AuditPayload).filter(AuditPayload.seq == 2).delete()
    with database.read() as session:
        verdict = audit.verify(session)
    assert (verdict.intact, verdict.first_broken) == (False, 2)
    assert verdict.reason is not None
    assert "no retention run removed it" in verdict.reason


def test_retention_with_nothing_to_delete_still_leaves_a_record(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        report = apply_retention(session, audit, POLICY, actor=SYSTEM, now=clock())
    assert report.audit_seq == 1
    assert report.redacts_through is None
    with database.read() as session:
        assert audit.verify(session).intact


def inspection(clock: Clock, inspection_id: str, days_ago: int, *reviews: str) -> list[object]:
    """An inspection ``days_ago`` with one hit review per status in ``reviews``."""
    at = clock() - timedelta(days=days_ago)
    rows: list[object] = [
        Inspection(
            id=inspection_id,
            at=at,
            recorded_at=at,
            officer="officer.benali",
            crossing_point="TNG-MED",
            direction="entry",
            purpose="border check",
            issuing_state="MAR",
            document_number="UM4731285",
            nationality="MAR",
            decision="hit" if reviews else "clear",
            result={},
        )
    ]
    rows += [
        HitReview(
            inspection_id=inspection_id,
            source="watchlist",
            reference="MAR-W-0001",
            score=0.9,
            status=status,
            created_at=at,
        )
        for status in reviews
    ]
    return rows


def case(clock: Clock, status: str) -> Case:
    return Case(
        id=f"CASE-2026-{status}",
        year=2026,
        number=1 if status == "open" else 2,
        title="Document ring",
        status=status,
        opened_by="analyst",
        opened_at=clock(),
    )


def test_inspections_go_unless_a_hit_is_confirmed_waits_for_an_analyst_or_is_in_an_open_case(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    policy = RetentionPolicy(inspections_days=30, crossings_days=365)
    with database.write() as session:
        for rows in (
            inspection(clock, "old-clear", 40),
            inspection(clock, "recent-clear", 10),
            inspection(clock, "old-dismissed", 40, "dismissed"),
            inspection(clock, "old-pending", 400, "pending"),
            inspection(clock, "confirmed", 40, "confirmed", "dismissed"),
            inspection(clock, "ancient-confirmed", 400, "confirmed"),
        ):
            session.add(rows[0])
            session.flush()  # the inspection before its reviews (no ORM relationship orders them)
            session.add_all(rows[1:])
        for status in ("open", "closed"):
            first, *reviews = inspection(clock, f"in-{status}-case", 40, "dismissed")
            session.add_all([first, case(clock, status)])
            session.flush()
            session.add_all(reviews)
            session.flush()
            review_id = session.scalar(
                select(HitReview.id).where(HitReview.inspection_id == f"in-{status}-case")
            )
            session.add(
                CaseReview(
                    review_id=review_id,
                    case_id=f"CASE-2026-{status}",
                    linked_by="analyst",
                    linked_at=clock(),
                )
            )
    with database.write() as session:
        report = apply_retention(session, audit, policy, actor=SYSTEM, now=clock())

    assert (report.inspections, report.hit_reviews) == (4, 3)
    with database.read() as session:
        kept = set(session.scalars(select(Inspection.id)))
        reviews = session.scalar(select(func.count()).select_from(HitReview))
        links = list(session.scalars(select(CaseReview.case_id)))
    assert kept == {"recent-clear", "old-pending", "confirmed", "in-open-case"}
    assert reviews == 4  # the pending one, both of the confirmed inspection's, the open case's
    assert links == ["CASE-2026-open"]


def test_old_sign_in_records_go_and_current_sessions_stay(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        users = UserRepository(session)
        user = users.add("officer.benali", "officer", "hash", now=clock(), created_by="setup")
        for days_ago in (200, 1):
            users.add_attempt(
                "officer.benali", "10.0.0.1", "failed", clock() - timedelta(days=days_ago)
            )
        users.add_session(
            user.id,
            "a" * 64,
            "b" * 64,
            client="10.0.0.1",
            now=clock(),
            expires_at=clock() + timedelta(hours=8),
        )
    with database.write() as session:
        report = apply_retention(
            session, audit, RetentionPolicy(login_records_days=90), actor=SYSTEM, now=clock()
        )
    assert (report.login_attempts, report.web_sessions) == (1, 0)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
        assert session.scalar(select(func.count()).select_from(WebSession)) == 1


def partner_alert(clock: Clock, alert_id: str, *, status: str, days_ago: int) -> PartnerAlert:
    then = clock() - timedelta(days=days_ago)
    return PartnerAlert(
        issuing_state="TUN",
        alert_id=alert_id,
        category="wanted",
        subject={"kind": "person", "names": ["Youssef Tazi"], "birth_date": "1975-05-05"},
        subject_key="person:1975-05-05:youssef tazi",
        action="Hold the traveller.",
        contact="Garde nationale, Tunis",
        status=status,
        version=1 if status == "active" else 2,
        valid_from=then.date(),
        valid_until=None,
        issued_at=then,
        received_at=then,
        updated_at=then,
    )


def message(clock: Clock, key: str, *, delivered_days_ago: int | None) -> ExchangeOutbox:
    now = clock()
    delivered = None if delivered_days_ago is None else now - timedelta(days=delivered_days_ago)
    return ExchangeOutbox(
        peer="TUN",
        kind="alert.issue",
        idempotency_key=key,
        body={"idempotency_key": key, "alert": {"subject": {"names": ["Karim Haddad"]}}},
        created_at=now - timedelta(days=60),
        attempts=1,
        next_attempt_at=now,
        delivered_at=delivered,
        last_error=None,
    )


def followup(clock: Clock, followup_id: str, *, status: str, days_ago: int) -> ExchangeFollowUp:
    then = clock() - timedelta(days=days_ago)
    return ExchangeFollowUp(
        id=followup_id,
        direction="outgoing",
        peer="TUN",
        reference="UTO-" + "A" * 26,
        justification="Case 2026/118: the traveller's identity",
        requested_by="analyst.idrissi",
        requested_at=then - timedelta(days=1),
        deadline_at=then,
        status=status,
        decided_by="TUN" if status != "pending" else None,
        decided_at=then if status != "pending" else None,
        decision_note=None,
        released={"names": ["Youssef Tazi"]} if status == "approved" else None,
    )


def test_follow_ups_go_once_decided_or_dead_for_longer_than_their_limit(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        session.add_all(
            [
                followup(clock, "f-old-approved", status="approved", days_ago=40),
                followup(clock, "f-old-pending", status="pending", days_ago=40),
                followup(clock, "f-recent", status="approved", days_ago=5),
                followup(clock, "f-waiting", status="pending", days_ago=-2),
            ]
        )
    with database.write() as session:
        report = apply_retention(
            session, audit, RetentionPolicy(followups_days=30), actor=SYSTEM, now=clock()
        )
    assert report.followups == 2
    with database.read() as session:
        kept = sorted(session.scalars(select(ExchangeFollowUp.id)))
    assert kept == ["f-recent", "f-waiting"]


def test_partners_alerts_and_delivered_messages_to_partners_do_not_outlive_their_limits(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    with database.write() as session:
        session.add_all(
            [
                partner_alert(clock, "TUN-OLD", status="withdrawn", days_ago=40),
                partner_alert(clock, "TUN-NEW", status="withdrawn", days_ago=5),
                partner_alert(clock, "TUN-LIVE", status="active", days_ago=400),
                message(clock, "alert:A-1:1", delivered_days_ago=40),
                message(clock, "alert:A-2:1", delivered_days_ago=5),
                message(clock, "alert:A-3:1", delivered_days_ago=None),
            ]
        )
    policy = RetentionPolicy(withdrawn_days=30, exchange_messages_days=30)
    with database.write() as session:
        report = apply_retention(session, audit, policy, actor=SYSTEM, now=clock())
    assert (report.partner_alerts, report.outbox_bodies) == (1, 1)
    with database.read() as session:
        kept = sorted(session.scalars(select(PartnerAlert.alert_id)))
        bodies = {
            row.idempotency_key: row.body
            for row in session.scalars(select(ExchangeOutbox).order_by(ExchangeOutbox.id))
        }
    assert kept == ["TUN-LIVE", "TUN-NEW"]
    assert bodies["alert:A-1:1"] == EMPTIED_BODY  # the trace stays: partner, kind, key, times
    assert bodies["alert:A-2:1"]["alert"]["subject"]["names"] == ["Karim Haddad"]
    assert bodies["alert:A-3:1"]["alert"]["subject"]["names"] == ["Karim Haddad"]

    with database.write() as session:
        again = apply_retention(session, audit, policy, actor=SYSTEM, now=clock())
    assert (again.partner_alerts, again.outbox_bodies) == (0, 0)


def test_reports_of_alert_hits_go_with_their_alert(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    from passerelle.records.alert_reports import ReportDraft
    from passerelle.store.alert_reports import ReportEntry, add_report
    from passerelle.store.tables import AlertReport

    def entry(number: int, alert_id: str, state: str | None) -> ReportEntry:
        return ReportEntry(
            id=f"r{number}",
            alert_reference=f"{state}:{alert_id}" if state else alert_id,
            alert_id=alert_id,
            issuing_state=state,
            reported_by=None,
            inspection_id=f"i{number}",
            action_code="discreet_check",
            crossing_point="TNG-MED",
            direction="entry",
            seen_at=clock(),
            traveller={},
            filed_by="officer.one",
            filed_at=clock(),
        )

    with database.write() as session:
        session.add(partner_alert(clock, "TUN-OLD", status="withdrawn", days_ago=40))
        session.add(partner_alert(clock, "TUN-NEW", status="withdrawn", days_ago=5))
        session.flush()
        for number, (alert_id, state) in enumerate(
            [("TUN-OLD", "TUN"), ("TUN-NEW", "TUN"), ("MAR-GONE", None)]
        ):
            add_report(session, entry(number, alert_id, state), ReportDraft(alert_id, "Seen."))
    with database.write() as session:
        report = apply_retention(
            session, audit, RetentionPolicy(withdrawn_days=30), actor=SYSTEM, now=clock()
        )
    assert report.alert_reports == 2  # the withdrawn partner alert's, and the gone alert's
    with database.read() as session:
        assert list(session.scalars(select(AlertReport.alert_id))) == ["TUN-NEW"]
