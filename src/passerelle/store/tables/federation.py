"""The federation's tables (migration 0008): partners, what crossed the border, and when.

=========================  ==========================================================
``exchange_peers``         partner nodes: state, URL, public keys, the agreement
``exchange_seen_messages`` message ids received (replay guard), kept 2 x the skew
``exchange_references``    the opaque references this node gave partners on a hit,
                           and the local record each stands for
``exchange_outbox``        messages to deliver (alerts issued or withdrawn, follow-up
                           requests and answers), written in the transaction that
                           made them, delivered with retries
``exchange_inbox``         idempotency keys of messages applied, so a redelivery
                           changes nothing
``partner_alerts``         alerts partners issued and shared with this node
``partner_alert_tombstones`` each partner alert withdrawn, by id and version (migration
                           0016): outranks any earlier version, arrived or not
``exchange_followups``     follow-up requests on a reference, both directions: the
                           justification, the deadline, the decision, what was sent
=========================  ==========================================================

No table holds another state's database: a partner's record reaches this node
only as the answer to an approved follow-up (``exchange_followups.released``) or
as an alert it chose to share (``partner_alerts``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "ExchangeFollowUp",
    "ExchangeInbox",
    "ExchangeOutbox",
    "ExchangePeer",
    "ExchangeReference",
    "PartnerAlert",
    "SeenMessage",
]


class ExchangePeer(Base):
    """A partner node and the agreement with it.

    ``public_keys`` holds ``ed25519 STATE BASE64`` lines (more than one while a
    key is rotated). ``inbound_kinds``: the query kinds the partner may ask this
    node (``document``, ``person``, ``face``, ``fingerprint``); ``outbound_kinds``:
    those this node sends it. ``alert_categories``: this node's alert categories shared with it.
    """

    __tablename__ = "exchange_peers"

    state: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    url: Mapped[str] = mapped_column(String(512))
    public_keys: Mapped[list[str]]
    inbound_kinds: Mapped[list[str]]
    outbound_kinds: Mapped[list[str]]
    alert_categories: Mapped[list[str]]
    follow_up_hours: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime]
    sealing_key: Mapped[str | None] = mapped_column(Text, default=None)
    """The partner's X25519 sealing key line, signed by its signing key (migration 0017)."""
    via: Mapped[str | None] = mapped_column(String(3), default=None)
    """The hub (a partner with ``relays``) this node reaches the partner through; None: direct."""
    relays: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Whether the partner is a hub that relays sealed messages between members."""


class SeenMessage(Base):
    """A message id received from a partner: inserting it twice is the replay."""

    __tablename__ = "exchange_seen_messages"

    sender: Mapped[str] = mapped_column(String(3), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class ExchangeReference(Base):
    """An opaque reference given to a partner on a hit, and the record it stands for."""

    __tablename__ = "exchange_references"

    reference: Mapped[str] = mapped_column(String(48), primary_key=True)
    peer: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(16))
    """The query kind that hit: ``document``, ``person``, ``face``."""
    record_type: Mapped[str] = mapped_column(String(16))
    """What the reference stands for: ``sltd``, ``alert``, ``watchlist``, ``face``."""
    record_id: Mapped[str] = mapped_column(String(128))
    score_band: Mapped[str] = mapped_column(String(8))
    message_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (Index("ix_exchange_references_peer", "peer", "created_at"),)


class ExchangeOutbox(Base):
    """A message waiting for (or past) delivery to one partner."""

    __tablename__ = "exchange_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    peer: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_exchange_outbox_key", "peer", "idempotency_key", unique=True),
        Index("ix_exchange_outbox_due", "delivered_at", "next_attempt_at"),
    )


class ExchangeInbox(Base):
    """A message from a partner already applied (its idempotency key)."""

    __tablename__ = "exchange_inbox"

    sender: Mapped[str] = mapped_column(String(3), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime]


class PartnerAlert(Base):
    """An alert a partner issued and shared, as last received (``version`` orders updates)."""

    __tablename__ = "partner_alerts"

    issuing_state: Mapped[str] = mapped_column(String(3), primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    subject: Mapped[dict[str, Any]]
    subject_key: Mapped[str] = mapped_column(String(128), index=True)
    action: Mapped[str] = mapped_column(Text)
    action_code: Mapped[str | None] = mapped_column(String(24))
    """What a hit asks for (``records.alert_actions``); null: the category's default."""
    contact: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    issued_at: Mapped[datetime]
    received_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    reference_images: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, deferred=True)
    """A forgery's reference images as the partner sent them (``records.forgeries``);
    loaded only when read."""


class PartnerAlertTombstone(Base):
    """A partner's withdrawal of one of its alerts: the highest version withdrawn.

    Written for every withdrawal applied, also of an alert this node never received
    (its issue parked or still on its way): an ``alert.issue`` at this version or below,
    arriving later, changes nothing. It holds no subject, so it is never screened and
    outlives the ``partner_alerts`` row that retention deletes.
    """

    __tablename__ = "partner_alert_tombstones"

    issuing_state: Mapped[str] = mapped_column(String(3), primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime]
    """When this node received the withdrawal."""


class ExchangeFollowUp(Base):
    """A follow-up request on a reference: sent (``outgoing``) or received (``incoming``)."""

    __tablename__ = "exchange_followups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))
    peer: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(48))
    justification: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    """``pending``, ``approved``, ``refused``, ``expired``."""
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    released: Mapped[dict[str, Any] | None]
    """The record's data: sent (incoming, approved) or received (outgoing, approved)."""

    __table_args__ = (Index("ix_exchange_followups_status", "direction", "status", "deadline_at"),)
