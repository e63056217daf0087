"""The registries' tables: documents, watchlist, alerts, crossings, stay rules, bulk loads.

Registries keep history instead of overwriting it: a stolen/lost document
whose status changes gets a new *version* row and the old one is marked
superseded; watchlist persons and alerts keep ``updated_at``/``withdrawn_at``
and every change is in the audit trail.

=====================  ==============================================================
``sltd_records``       versions of stolen, lost, revoked or invalidated documents
``watchlist_persons``  persons on the watchlist, as issued by a state's authority
``alerts``             alerts this node issued (person, document, vehicle)
``alert_events``       each step of an alert's lifecycle
``alert_reports``      officers' reports of an alert's hit (discreet or specific check),
                       filed here or received from the partner whose border saw it
``crossings``          entries and exits at a border crossing point
``stay_rules``         how long travellers of a nationality may stay
``load_runs``          bulk loads of a registry file, and what each kept
``load_rejections``    the lines a load refused, with the field and the reason
=====================  ==============================================================
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "Alert",
    "AlertEvent",
    "AlertReport",
    "Crossing",
    "LoadRejection",
    "LoadRun",
    "SltdRecord",
    "StayRule",
    "WatchlistPerson",
]


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
    revision: Mapped[int] = mapped_column(BigInteger, server_default="0")
    """The watchlist's change counter when the row was last written (set by triggers,
    migration 0037): what changed since an index was built is ``revision >= watermark``."""

    __table_args__ = (Index("ix_watchlist_persons_revision", "revision"),)


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
    action_code: Mapped[str | None] = mapped_column(String(24))
    """What a hit asks for (``records.alert_actions``); null: the category's default."""
    reference_images: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, deferred=True)
    """A forgery's reference images (``records.forgeries``), base64 in JSON; loaded only
    when read (the border check never reads them)."""


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


class AlertReport(Base):
    """An officer's report of a hit on an alert: what was observed, for the alert's issuer.

    Filed at this node (``inspection_id`` set, ``reported_by`` null), on this node's
    alert or a partner's (``issuing_state``); or received from the partner whose
    officer filed it on this node's alert (``reported_by`` the partner, no inspection
    here). One per inspection and alert (``alert_reference`` as the inspection names
    the alert: its id, or ``STATE:id`` for a partner's).
    """

    __tablename__ = "alert_reports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    alert_reference: Mapped[str] = mapped_column(String(72))
    alert_id: Mapped[str] = mapped_column(String(64))
    issuing_state: Mapped[str | None] = mapped_column(String(3))
    """The partner whose alert it is; null: this node's own alert."""
    reported_by: Mapped[str | None] = mapped_column(String(3))
    """The partner that sent the report; null: filed at this node."""
    inspection_id: Mapped[str | None] = mapped_column(String(32))
    """The inspection it was filed from (no foreign key: inspections go with retention)."""
    action_code: Mapped[str] = mapped_column(String(24))
    crossing_point: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(5))
    seen_at: Mapped[datetime]
    traveller: Mapped[dict[str, Any]]
    observed: Mapped[str] = mapped_column(Text)
    companions: Mapped[str | None] = mapped_column(Text)
    vehicle: Mapped[str | None] = mapped_column(Text)
    route: Mapped[str | None] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(128))
    filed_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_alert_reports_once", "inspection_id", "alert_reference", unique=True),
        Index("ix_alert_reports_alert", "issuing_state", "alert_id"),
    )


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
    wording: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """The reason's wording (``i18n.wording``): written in the page reader's language."""
