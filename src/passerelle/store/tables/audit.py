"""The audit chain's tables: its links, what each audited action asked and returned, its head.

=================  ==================================================================
``audit_records``  the links: who did what and why, sealed by a keyed hash
``audit_payloads`` what an action asked and returned (ids), removable by retention
``audit_head``     the chain's latest link (one row), locked by appends, sealed with the
                   audit key over (sequence, last hash, counter)
``partner_audit_   checkpoints partners signed of their own chains and sent here, kept
checkpoints``      so that a partner can check its chain against them
=================  ==================================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "AuditHead",
    "AuditPayload",
    "AuditRecord",
    "PartnerAuditCheckpoint",
]


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
    """The chain's latest link (one row): appends lock it, verification compares against it.

    ``counter`` goes up by one with every write of the head and never back; ``seal`` is
    the keyed hash of (seq, hash, counter), None only for the untouched head of a new chain.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigId)
    hash: Mapped[str] = mapped_column(String(64))
    counter: Mapped[int] = mapped_column(BigId, server_default="0")
    seal: Mapped[str | None] = mapped_column(String(64))


class PartnerAuditCheckpoint(Base):
    """A checkpoint of a partner's audit chain, as the partner signed and sent it."""

    __tablename__ = "partner_audit_checkpoints"
    __table_args__ = (
        Index("ix_partner_audit_checkpoints_state_seq", "state", "seq", "signature", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    state: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(BigId)
    signature: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime]
    checkpoint: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]
