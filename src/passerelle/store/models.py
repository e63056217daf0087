"""The node's tables (SQLAlchemy 2). Schema changes go through Alembic migrations only.

Registries keep history instead of overwriting it: a stolen/lost document
whose status changes gets a new *version* row and the old one is marked
superseded; watchlist persons and alerts keep ``updated_at``/``withdrawn_at``
and every change is in the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from passerelle.store.types import UtcDateTime

__all__ = [
    "Alert",
    "AlertEvent",
    "AuditHead",
    "AuditPayload",
    "AuditRecord",
    "Base",
    "BiometricTemplate",
    "Case",
    "CaseNote",
    "CaseNumber",
    "CaseReview",
    "Crossing",
    "LoadRejection",
    "LoadRun",
    "SltdRecord",
    "StayRule",
    "WatchlistPerson",
]

BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class SltdRecord(Base):
    """One version of a stolen, lost, revoked or invalidated travel document's record."""

    __tablename__ = "sltd_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    issuing_state: Mapped[str] = mapped_column(String(3))
    document_number: Mapped[str] = mapped_column(String(24))
    number_key: Mapped[str] = mapped_column(String(24))
    number_key9: Mapped[str] = mapped_column(String(9))
    document_code: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12))
    reported_on: Mapped[date]
    reported_by: Mapped[str] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None]

    __table_args__ = (
        # One index serves look-ups and loads alike: a second (unique) index on the
        # number halved SQLite's bulk-load rate. One current version per document is
        # kept by the registry, whose writers are serialised (see sltd.py).
        Index("ix_sltd_lookup", "issuing_state", "number_key9"),
    )


class WatchlistPerson(Base):
    """A person on the watchlist, as issued by a state's authority."""

    __tablename__ = "watchlist_persons"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    names: Mapped[list[str]]
    birth_date: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None]
    nationalities: Mapped[list[str]]
    sex: Mapped[str | None] = mapped_column(String(1))
    category: Mapped[str] = mapped_column(String(16))
    issued_by: Mapped[str] = mapped_column(String(3))
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="active")
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    shareable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """False: never disclosed to a partner node (see ``federation.sharing.legal_basis``)."""
    restricted_matter: Mapped[str | None] = mapped_column(String(16))


class Alert(Base):
    """An alert this node issued: a person, a document or a vehicle to act on at the border."""

    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[dict[str, Any]]
    subject_key: Mapped[str] = mapped_column(String(128), index=True)
    issuing_authority: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    shareable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """False: the alert never leaves this node, whatever the partner agreement says."""
    restricted_matter: Mapped[str | None] = mapped_column(String(16))
    """``political``, ``military``, ``religious`` or ``racial``: never leaves the node."""


class AlertEvent(Base):
    """One step of an alert's lifecycle (issued, hit, withdrawn, expired, re-activated)."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)


class Crossing(Base):
    """A traveller's entry or exit at a border crossing point, keyed by travel document."""

    __tablename__ = "crossings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    issuing_state: Mapped[str] = mapped_column(String(3))
    document_number: Mapped[str] = mapped_column(String(24))
    nationality: Mapped[str | None] = mapped_column(String(3))
    crossing_point: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(5))
    at: Mapped[datetime]
    officer: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_crossings_document", "issuing_state", "document_number", "at"),
        Index("ix_crossings_at", "at"),  # the dashboard's periods and retention
    )


class BiometricTemplate(Base):
    """One biometric template of an identity on a list, sealed with the node's key.

    ``identity`` is the store id the template belongs to (a watchlist person, an
    alert, a partner reference); ``gallery`` names the 1:N list it is searched in.
    The template bytes are never stored in clear (``TemplateVault``).
    """

    __tablename__ = "biometric_templates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    gallery: Mapped[str] = mapped_column(String(32))
    identity: Mapped[str] = mapped_column(String(64))
    modality: Mapped[str] = mapped_column(String(8))
    model: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[str] = mapped_column(String(16))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    source_sha256: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the image the template was made from (not the image)."""
    enrolled_at: Mapped[datetime]
    enrolled_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (Index("ix_biometric_templates_gallery", "gallery", "identity"),)


class StayRule(Base):
    """How long travellers of a nationality may stay: ``max_days`` in any ``window_days``."""

    __tablename__ = "stay_rules"

    nationality: Mapped[str] = mapped_column(String(3), primary_key=True)
    max_days: Mapped[int]
    window_days: Mapped[int]
    updated_at: Mapped[datetime]


class LoadRun(Base):
    """One bulk load of a file: what it read, kept, left unchanged and rejected."""

    __tablename__ = "load_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12))
    lines_done: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class LoadRejection(Base):
    """A line a load refused: its number, the field at fault and why."""

    __tablename__ = "load_rejections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("load_runs.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int]
    field: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)


class AuditRecord(Base):
    """One link of the audit chain: who did what, why, and the keyed hash that seals it."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    actor_kind: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str | None] = mapped_column(Text)
    redacts_through: Mapped[int | None] = mapped_column(BigId)
    payload_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditPayload(Base):
    """What an audited action asked and returned (ids, not copies); removable by retention."""

    __tablename__ = "audit_payloads"

    seq: Mapped[int] = mapped_column(
        BigId, ForeignKey("audit_records.seq", ondelete="CASCADE"), primary_key=True
    )
    query: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]


class AuditHead(Base):
    """The chain's latest link (one row): appends lock it, verification compares against it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigId)
    hash: Mapped[str] = mapped_column(String(64))


class Case(Base):
    """An analyst's case: hit reviews followed up together, open until closed with a resolution.

    ``id`` is ``CASE-YYYY-NNNN``: the year it was opened and its number in that year
    (allocated from :class:`CaseNumber` in the opening transaction).
    """

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8))
    opened_by: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(128))
    closed_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_cases_year_number", "year", "number", unique=True),
        Index("ix_cases_status", "status", "opened_at"),
    )


class CaseNumber(Base):
    """The last case number given in a year (one row per year; the opener locks it)."""

    __tablename__ = "case_numbers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class CaseReview(Base):
    """A hit review linked to a case: a review is in one case at most (its id is the key)."""

    __tablename__ = "case_reviews"

    review_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("hit_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    linked_by: Mapped[str] = mapped_column(String(128))
    linked_at: Mapped[datetime]


class CaseNote(Base):
    """One note of a thread: a case's (``case_id``) or a hit review's (``review_id``)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("hit_reviews.id", ondelete="CASCADE")
    )
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "(case_id IS NULL) <> (review_id IS NULL)", name="ck_case_notes_one_thread"
        ),
        Index("ix_case_notes_case", "case_id", "id"),
        Index("ix_case_notes_review", "review_id", "id"),
    )
