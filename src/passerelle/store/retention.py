"""Deleting personal data past its retention limit, and saying so in the audit trail.

What goes, and when (limits from settings, ``PASSERELLE_RETENTION_*_DAYS``):

=======================  =====================================================
crossings                entry/exit records older than ``crossings_days``
audit payloads           what searches asked and returned, older than
                         ``audit_payload_days`` (the sealed chain itself stays)
withdrawn records        watchlist persons and alerts withdrawn or expired
                         more than ``withdrawn_days`` ago, with their biometric
                         templates and face reference photos
SLTD history             superseded versions older than ``sltd_history_days``
load rejections          rejected-line reports older than ``load_rejections_days``
inspections              border checks with no confirmed hit (clear, referred,
                         false positives dismissed) older than
                         ``inspections_days``; those with a confirmed hit are
                         evidence and stay ``crossings_days`` (with their
                         admissions and second-line referral); an inspection
                         whose hit still waits for an analyst (first seen
                         there or sighted again), or is in an open case, is
                         never deleted
login records            sign-in attempts and ended web sessions older than
                         ``login_records_days``
partners' alerts         alerts partners shared, withdrawn or past their end
                         more than ``withdrawn_days`` ago
alert reports            officers' reports of alert hits go with their alert
                         (the node's own or a partner's), in the same run
messages to partners     the bodies (alerts, released records) of outbox
                         messages delivered more than ``exchange_messages_days``
                         ago are emptied; the row (partner, kind, idempotency
                         key, times) stays, as the delivery's trace
follow-ups               requests for a partner's record (or for ours), with
                         their justification and the data released, decided
                         (or past their deadline) more than ``followups_days``
                         ago
=======================  =====================================================

One ``retention.apply`` audit record states what was deleted and the highest
audit sequence whose payload may now be missing, so ``audit verify`` still
proves the chain intact and can tell retention from tampering.

Runs take turns node-wide (``retention.apply``, ``passerelle.store.host_locks``):
with a scheduled run on every host, the second waits for the first to commit and
then finds nothing more to delete, rather than racing it row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, String, and_, delete, exists, func, or_, select, update
from sqlalchemy import cast as cast_sql
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import json_text
from passerelle.store.host_locks import one_at_a_time
from passerelle.store.tables import (
    AdmissionRequest,
    Alert,
    AlertReport,
    AuditPayload,
    AuditRecord,
    BiometricTemplate,
    Case,
    CaseReview,
    Crossing,
    ExchangeFollowUp,
    ExchangeOutbox,
    FaceReference,
    HitReview,
    HitSighting,
    Inspection,
    LoadRejection,
    LoadRun,
    PartnerAlert,
    SecondLineReferral,
    SltdRecord,
    WatchlistPerson,
)
from passerelle.store.users import UserRepository

__all__ = ["EMPTIED_BODY", "RetentionPolicy", "RetentionReport", "apply_retention"]


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How many days each kind of personal data is kept."""

    crossings_days: int = 1095
    audit_payload_days: int = 730
    withdrawn_days: int = 365
    sltd_history_days: int = 3650
    load_rejections_days: int = 90
    inspections_days: int = 180
    login_records_days: int = 90
    exchange_messages_days: int = 30
    followups_days: int = 365


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """How many rows of each kind one retention run deleted."""

    crossings: int
    audit_payloads: int
    watchlist_persons: int
    alerts: int
    biometric_templates: int
    face_references: int
    sltd_versions: int
    load_rejections: int
    inspections: int
    hit_reviews: int
    login_attempts: int
    web_sessions: int
    partner_alerts: int
    alert_reports: int
    outbox_bodies: int
    followups: int
    redacts_through: int | None
    audit_seq: int

    def as_dict(self) -> dict[str, int | None]:
        return asdict(self)


def _deleted(session: Session, statement: Delete) -> int:
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount or 0)


EMPTIED_BODY = {"retention": "emptied"}
"""What a delivered outbox message's body becomes once past its retention limit."""


def _emptied_outbox_bodies(session: Session, cutoff: datetime) -> int:
    """Empty the bodies of messages delivered before ``cutoff``; how many were emptied now.

    The body is compared as text (the JSON column holds it as written, compact, on
    both backends) so that a body emptied by an earlier run is not counted again.
    """
    result = session.execute(
        update(ExchangeOutbox)
        .where(
            ExchangeOutbox.delivered_at.is_not(None),
            ExchangeOutbox.delivered_at < cutoff,
            cast_sql(ExchangeOutbox.body, String) != json_text(EMPTIED_BODY),
        )
        .values(body=EMPTIED_BODY)
    )
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _expired_inspections(
    session: Session, policy: RetentionPolicy, before: Callable[[int], datetime]
) -> tuple[int, int]:
    """Delete inspections past their limit with their hit reviews; the two counts."""

    def reviewed(*statuses: str) -> ColumnElement[bool]:
        return exists().where(
            HitReview.inspection_id == Inspection.id, HitReview.status.in_(statuses)
        )

    in_open_case = exists().where(
        HitReview.inspection_id == Inspection.id,
        CaseReview.review_id == HitReview.id,
        Case.id == CaseReview.case_id,
        Case.status == "open",
    )
    sighted_pending = exists().where(
        HitSighting.inspection_id == Inspection.id,
        HitReview.id == HitSighting.review_id,
        HitReview.status == "pending",
    )
    expired = select(Inspection.id).where(
        ~reviewed("pending"),
        ~sighted_pending,
        ~in_open_case,
        or_(
            and_(Inspection.at < before(policy.inspections_days), ~reviewed("confirmed")),
            Inspection.at < before(max(policy.inspections_days, policy.crossings_days)),
        ),
    )
    ids = list(session.scalars(expired))
    reviews = inspections = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        reviews += _deleted(session, delete(HitReview).where(HitReview.inspection_id.in_(chunk)))
        for table in (AdmissionRequest, SecondLineReferral):  # go with their inspection
            session.execute(delete(table).where(table.inspection_id.in_(chunk)))
        inspections += _deleted(session, delete(Inspection).where(Inspection.id.in_(chunk)))
    return inspections, reviews


def _alert_gone() -> ColumnElement[bool]:
    """A report whose alert (the node's own, or the partner's it names) is no longer held."""
    own = select(Alert.id).where(Alert.id == AlertReport.alert_id)
    shared = select(PartnerAlert.alert_id).where(
        PartnerAlert.issuing_state == AlertReport.issuing_state,
        PartnerAlert.alert_id == AlertReport.alert_id,
    )
    return or_(
        and_(AlertReport.issuing_state.is_(None), ~exists(own)),
        and_(AlertReport.issuing_state.is_not(None), ~exists(shared)),
    )


def apply_retention(
    session: Session, audit: AuditTrail, policy: RetentionPolicy, *, actor: Actor, now: datetime
) -> RetentionReport:
    """Delete what is past its retention in ``session``'s transaction and audit it (after
    any run another host started: one at a time)."""
    one_at_a_time(session, "retention.apply")
    today = now.date()

    def before(days: int) -> datetime:
        return now - timedelta(days=days)

    crossings = _deleted(
        session, delete(Crossing).where(Crossing.at < before(policy.crossings_days))
    )
    payload_cutoff = before(policy.audit_payload_days)
    redacts_through = session.scalar(
        select(func.max(AuditRecord.seq)).where(AuditRecord.at < payload_cutoff)
    )
    payloads = 0
    if redacts_through is not None:
        payloads = _deleted(
            session, delete(AuditPayload).where(AuditPayload.seq <= redacts_through)
        )
    withdrawn_cutoff = before(policy.withdrawn_days)
    gone_day = today - timedelta(days=policy.withdrawn_days)
    gone_persons = or_(
        and_(
            WatchlistPerson.status == "withdrawn",
            WatchlistPerson.withdrawn_at < withdrawn_cutoff,
        ),
        WatchlistPerson.valid_until < gone_day,
    )
    gone_alerts = and_(
        Alert.status.in_(["withdrawn", "expired"]), Alert.updated_at < withdrawn_cutoff
    )
    # Biometric templates and face reference photos go with the person or alert they
    # identify, in the same run.
    templates = _deleted(
        session,
        delete(BiometricTemplate).where(
            or_(
                BiometricTemplate.identity.in_(select(WatchlistPerson.id).where(gone_persons)),
                BiometricTemplate.identity.in_(select(Alert.id).where(gone_alerts)),
            )
        ),
    )
    references = _deleted(
        session,
        delete(FaceReference).where(
            or_(
                FaceReference.identity.in_(select(WatchlistPerson.id).where(gone_persons)),
                FaceReference.identity.in_(select(Alert.id).where(gone_alerts)),
            )
        ),
    )
    persons = _deleted(session, delete(WatchlistPerson).where(gone_persons))
    alerts = _deleted(session, delete(Alert).where(gone_alerts))
    versions = _deleted(
        session,
        delete(SltdRecord).where(
            SltdRecord.superseded_at.is_not(None),
            SltdRecord.superseded_at < before(policy.sltd_history_days),
        ),
    )
    old_runs = select(LoadRun.id).where(
        LoadRun.finished_at.is_not(None),
        LoadRun.finished_at < before(policy.load_rejections_days),
    )
    rejections = _deleted(session, delete(LoadRejection).where(LoadRejection.run_id.in_(old_runs)))
    inspections, reviews = _expired_inspections(session, policy, before)
    attempts, sessions = UserRepository(session).purge(before(policy.login_records_days))
    shared = _deleted(
        session,
        delete(PartnerAlert).where(
            or_(
                and_(PartnerAlert.status != "active", PartnerAlert.updated_at < withdrawn_cutoff),
                PartnerAlert.valid_until < gone_day,
            )
        ),
    )
    reports = _deleted(session, delete(AlertReport).where(_alert_gone()))
    emptied = _emptied_outbox_bodies(session, before(policy.exchange_messages_days))
    settled = func.coalesce(ExchangeFollowUp.decided_at, ExchangeFollowUp.deadline_at)
    followups = _deleted(
        session,
        delete(ExchangeFollowUp).where(settled < before(policy.followups_days)),
    )
    counts = {
        "crossings": crossings,
        "audit_payloads": payloads,
        "watchlist_persons": persons,
        "alerts": alerts,
        "biometric_templates": templates,
        "face_references": references,
        "sltd_versions": versions,
        "load_rejections": rejections,
        "inspections": inspections,
        "hit_reviews": reviews,
        "login_attempts": attempts,
        "web_sessions": sessions,
        "partner_alerts": shared,
        "alert_reports": reports,
        "outbox_bodies": emptied,
        "followups": followups,
    }
    seq = audit.record(
        session,
        actor=actor,
        action="retention.apply",
        at=now,
        query={"policy_days": asdict(policy)},
        result={"deleted": counts, "redacts_through": redacts_through},
        redacts_through=redacts_through,
    )
    return RetentionReport(**counts, redacts_through=redacts_through, audit_seq=seq)
