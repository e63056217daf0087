"""Reading the audit trail back, for auditors: newest first, filtered, payloads included.

Reading is itself audited by the caller (``audit.read``): who looked at whose
searches is as much a matter for the trail as the searches themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.store.db import json_text
from passerelle.store.tables import AuditPayload, AuditRecord

__all__ = ["AuditEntry", "read_audit", "subject_needle"]

MAX_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit record as an auditor sees it (the payload is None once retention removed it)."""

    seq: int
    at: datetime
    actor: str
    actor_kind: str
    role: str
    action: str
    purpose: str | None
    query: dict[str, Any] | None
    result: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "actor_kind": self.actor_kind,
            "role": self.role,
            "action": self.action,
            "purpose": self.purpose,
            "query": self.query,
            "result": self.result,
        }


def read_audit(
    session: Session,
    *,
    limit: int = 100,
    before: int | None = None,
    after: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    subject: str | None = None,
) -> list[AuditEntry]:
    """Records newest first: at most ``limit``, older than ``before`` (a seq), by ``actor``,
    with ``action`` (exact, or a prefix ending in ``.``, e.g. ``sltd.``), written at or
    after ``since`` and before ``until``, about ``subject``.

    A record is *about* a subject when the subject is one of the text values of what the
    action asked or returned (its payload's ``query`` or ``result``, at any depth): a
    document number, a watchlist person's id, an alert id, a user name. The value must be
    whole and exact (``L898902C3`` does not find ``L898902C``); a record whose payload
    retention removed is about nothing.

    With ``after`` (a seq): the ``limit`` records just newer than it, still newest first
    (the page before, when paging back towards the newest).
    """
    if not 1 <= limit <= MAX_ENTRIES:
        raise InvalidInput("limit", f"must be from 1 to {MAX_ENTRIES}")
    query = (
        select(AuditRecord, AuditPayload)
        .outerjoin(AuditPayload, AuditPayload.seq == AuditRecord.seq)
        .order_by(AuditRecord.seq.asc() if after is not None else AuditRecord.seq.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(AuditRecord.seq < before)
    if after is not None:
        query = query.where(AuditRecord.seq > after)
    if actor:
        query = query.where(AuditRecord.actor == actor.strip())
    if action:
        wanted = action.strip()
        if wanted.endswith("."):
            query = query.where(AuditRecord.action.startswith(wanted, autoescape=True))
        else:
            query = query.where(AuditRecord.action == wanted)
    if since is not None:
        query = query.where(AuditRecord.at >= since)
    if until is not None:
        query = query.where(AuditRecord.at < until)
    if subject and subject.strip():
        needle = subject_needle(subject)
        query = query.where(
            or_(
                cast(AuditPayload.query, String).contains(needle, autoescape=True),
                cast(AuditPayload.result, String).contains(needle, autoescape=True),
            )
        )
    entries = [
        AuditEntry(
            record.seq,
            record.at,
            record.actor,
            record.actor_kind,
            record.role,
            record.action,
            record.purpose,
            payload.query if payload else None,
            payload.result if payload else None,
        )
        for record, payload in session.execute(query)
    ]
    return sorted(entries, key=lambda e: e.seq, reverse=True) if after is not None else entries


def subject_needle(subject: str) -> str:
    """The text a payload's JSON holds where ``subject`` is one of its string values.

    Payloads are stored as compact UTF-8 JSON (``store.db.json_text``), so a value is
    found as its JSON string, quotes included: whole, never a part of a longer value.

    >>> subject_needle(" محمد ")
    '"محمد"'
    >>> subject_needle('a"b')
    '"a\\\\"b"'
    """
    return json_text(subject.strip())
