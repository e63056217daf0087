"""The auditor's readings of the trail: filtered pages and a full export, each audited.

A filter (:class:`AuditFilter`) takes a time range, an actor, an action (or a prefix
ending in ``.``) and a subject: one of the text values the audited action asked or
returned, such as a document number, a watchlist person's id or a user name (see
:func:`passerelle.store.audit_reading.read_audit`).

Reading a page is recorded ``audit.read``; an export ``audit.export``, with its filter and
the last record it covers, before the first record leaves: an auditor's copy of the trail
is as much a matter for the trail as a search.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from passerelle.access import Permission
from passerelle.node import Node
from passerelle.services.common import AuditAction, checked_purpose, permitted
from passerelle.store.audit import Actor
from passerelle.store.audit_reading import MAX_ENTRIES, AuditEntry, read_audit
from passerelle.store.tables import AuditRecord

__all__ = ["AUDIT_EXPORT", "AuditFilter", "AuditOversight"]

AUDIT_EXPORT = "audit.export"
"""The action recorded when an auditor exports the trail."""


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which records an auditor asks for; ``None`` (or empty) lets every record through.

    ``since`` is inclusive and ``until`` exclusive, both aware times (UTC or any zone).
    """

    since: datetime | None = None
    until: datetime | None = None
    actor: str | None = None
    action: str | None = None
    subject: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filter as the audit record keeps it (times in ISO 8601)."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "by": self.actor or None,
            "action": self.action or None,
            "subject": self.subject or None,
        }

    def reading(self) -> dict[str, Any]:
        """The keyword arguments of :func:`read_audit` for this filter."""
        return {
            "since": self.since,
            "until": self.until,
            "actor": self.actor or None,
            "action": self.action or None,
            "subject": self.subject or None,
        }


class AuditOversight:
    """Filtered pages of the trail and its export, for auditors (``Permission.VIEW_AUDIT``)."""

    def __init__(self, node: Node) -> None:
        self.node = node

    def page(
        self,
        actor: Actor,
        purpose: str,
        wanted: AuditFilter,
        *,
        limit: int,
        before: int | None = None,
        after: int | None = None,
    ) -> list[AuditEntry]:
        """Records newest first, ``limit`` at most, older than ``before`` or just newer than
        ``after`` (``audit.read``: read in a read-only snapshot, then recorded)."""
        permitted(actor, Permission.VIEW_AUDIT)
        why = checked_purpose(purpose)
        node = self.node
        with node.database.read_only() as session:
            entries = read_audit(
                session, limit=limit, before=before, after=after, **wanted.reading()
            )
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.AUDIT_READ,
                purpose=why,
                at=node.clock(),
                query={"limit": limit, "before": before, "after": after, **wanted.as_dict()},
                result={"records": len(entries)},
            )
        return entries

    def export(self, actor: Actor, purpose: str, wanted: AuditFilter) -> Iterator[AuditEntry]:
        """Every record the filter lets through, newest first, up to the last record written
        before the export began (``audit.export``, recorded before this returns).

        The records are read lazily, :data:`MAX_ENTRIES` at a time, each batch in a
        read-only snapshot of its own, so a long export holds no writer back.
        """
        permitted(actor, Permission.VIEW_AUDIT)
        why = checked_purpose(purpose)
        node = self.node
        with node.database.read_only() as session:
            through = session.scalar(select(func.max(AuditRecord.seq))) or 0
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=actor,
                action=AUDIT_EXPORT,
                purpose=why,
                at=node.clock(),
                query=wanted.as_dict(),
                result={"through": through},
            )
        return self._batches(wanted, through)

    def _batches(self, wanted: AuditFilter, through: int) -> Iterator[AuditEntry]:
        before = through + 1
        while True:
            with self.node.database.read_only() as session:
                batch = read_audit(session, limit=MAX_ENTRIES, before=before, **wanted.reading())
            yield from batch
            if len(batch) < MAX_ENTRIES:
                return
            before = batch[-1].seq
