"""Changing one stolen/lost document's record by hand, versioned as a load versions it.

A registry file's line and a hand change go through the same ``SltdRegistry.apply``: a
changed status, document code, report date or reporter makes a new version and marks
the current one superseded; the same content again changes nothing. Records are never
deleted: a document found again is recorded ``invalidated`` by its issuer, as in a file.

Each change is audited ``sltd.update`` in the same transaction, with the document, the
versions before and after, and whether anything changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.access import Permission
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.services.common import permitted
from passerelle.store.audit import Actor
from passerelle.store.sltd import SltdEntry, SltdRegistry
from passerelle.store.tables import SltdRecord

__all__ = ["SLTD_UPDATE", "SltdChange", "SltdKeeping"]

SLTD_UPDATE = "sltd.update"
"""The audit action of a hand change to a document's record."""


@dataclass(frozen=True, slots=True)
class SltdChange:
    """What a hand change did: the document's versions after it, oldest first."""

    changed: bool
    versions: tuple[SltdRecord, ...]


class SltdKeeping:
    """Hand changes to the stolen/lost documents registry (``Permission.MANAGE_SLTD``)."""

    def __init__(self, node: Node) -> None:
        self.node = node

    def change(self, actor: Actor, entry: SltdEntry) -> SltdChange:
        """Store ``entry`` as the document's current version (a new version when its content
        differs); refuses a document the registry does not hold (``document_number``)."""
        permitted(actor, Permission.MANAGE_SLTD)
        node = self.node
        registry = SltdRegistry()
        with node.database.write() as session:
            before = registry.history(session, entry.issuing_state, entry.document_number)
            if not before:
                raise InvalidInput(
                    "document_number",
                    f"{entry.issuing_state} {entry.document_number} is not in the registry",
                )
            now = node.clock()
            outcome = registry.apply(session, [entry], now)
            session.expire_all()  # the versions were written by core statements
            after = registry.history(session, entry.issuing_state, entry.document_number)
            node.audit.record(
                session,
                actor=actor,
                action=SLTD_UPDATE,
                at=now,
                query={
                    "issuing_state": entry.issuing_state,
                    "document_number": entry.document_number,
                },
                result={
                    "changed": bool(outcome.accepted),
                    "version": max(row.version for row in after),
                    "status": entry.status,
                },
            )
        return SltdChange(bool(outcome.accepted), tuple(after))
