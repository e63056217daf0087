"""Searching the stolen and lost travel documents registry (SLTD), audited once per search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.access import Permission
from passerelle.node import Node
from passerelle.services.common import AuditAction, checked_purpose, permitted
from passerelle.store.audit import Actor
from passerelle.store.sltd import SltdMatch, SltdRegistry
from passerelle.store.tables import SltdRecord

__all__ = ["SltdAnswer", "SltdSearches"]


@dataclass(frozen=True, slots=True)
class SltdAnswer:
    """Whether a document is reported, with the current records that answer, best first."""

    records: tuple[SltdMatch, ...]

    @property
    def hit(self) -> bool:
        return bool(self.records)

    @property
    def best(self) -> SltdMatch | None:
        return self.records[0] if self.records else None

    def as_dict(self) -> dict[str, Any]:
        return {"hit": self.hit, "records": [record.as_dict() for record in self.records]}


class SltdSearches:
    """The registry's searches: one document's current records, or every version of them."""

    def __init__(self, node: Node, registry: SltdRegistry | None = None) -> None:
        self.node = node
        self.registry = registry or SltdRegistry()

    def check(
        self, actor: Actor, purpose: str, issuing_state: str, document_number: str
    ) -> SltdAnswer:
        """Is this document reported stolen, lost, revoked or invalidated? (``sltd.search``)"""
        permitted(actor, Permission.SEARCH_SLTD)
        why = checked_purpose(purpose)
        node = self.node
        with node.database.write() as session:
            answer = SltdAnswer(
                tuple(self.registry.lookup(session, issuing_state, document_number))
            )
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.SLTD_SEARCH,
                purpose=why,
                at=node.clock(),
                query=_asked(issuing_state, document_number),
                result=answer.as_dict(),
            )
        return answer

    def history(
        self, actor: Actor, purpose: str, issuing_state: str, document_number: str
    ) -> list[SltdRecord]:
        """Every version of a document's record, oldest first (``sltd.search``)."""
        permitted(actor, Permission.SEARCH_SLTD)
        why = checked_purpose(purpose)
        node = self.node
        with node.database.write() as session:
            rows = self.registry.history(session, issuing_state, document_number)
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.SLTD_SEARCH,
                purpose=why,
                at=node.clock(),
                query=_asked(issuing_state, document_number),
                result={"versions": [row.id for row in rows]},
            )
        return rows


def _asked(issuing_state: str, document_number: str) -> dict[str, str]:
    return {
        "issuing_state": issuing_state.strip().upper(),
        "document_number": document_number.strip().upper(),
    }
