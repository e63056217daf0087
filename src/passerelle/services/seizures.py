"""Seizures at the border: an officer records what was seized from a traveller, audited.

``SeizureDesk.record`` stores the seizure (``store.seizures``) and writes
``inspection.seizure`` in the same transaction; the receipt is printed from it
(``services.notices``).
"""

from __future__ import annotations

from passerelle.access import Permission
from passerelle.access.scope import scoped_inspection
from passerelle.node import Node
from passerelle.records.seizures import SeizureDraft, SeizureView
from passerelle.screening import Inspector
from passerelle.services.common import permitted
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.seizures import SeizureRepository

__all__ = ["SEIZURE_ACTION", "SEIZURE_LIST_ACTION", "SeizureDesk"]

SEIZURE_ACTION = "inspection.seizure"
SEIZURE_LIST_ACTION = "inspection.seizure_list"


class SeizureDesk:
    """Records and lists the seizures of inspections."""

    def __init__(self, node: Node, inspector: Inspector) -> None:
        self.node = node
        self.inspector = inspector
        self.repository = SeizureRepository()

    def record(self, actor: Actor, inspection_id: str, draft: SeizureDraft) -> SeizureView:
        """Record a seizure on the inspection (``inspection.seizure``); the document's state,
        number and type are the inspection's."""
        permitted(actor, Permission.INSPECT)
        node = self.node
        with node.database.write() as session:
            view = scoped_inspection(node, session, self.inspector.repository, actor, inspection_id)
            document_type = view.result.get("document", {}).get("document_code")
            now = node.clock()
            seizure = self.repository.add(
                session,
                inspection_id,
                draft,
                document_type=document_type if isinstance(document_type, str) else None,
                officer=actor.name,
                now=now,
            )
            node.audit.record(
                session,
                actor=actor,
                action=SEIZURE_ACTION,
                purpose=draft.reason,
                at=now,
                query={"inspection": inspection_id},
                result={
                    "number": seizure.number,
                    "document": seizure.document,
                    "document_state": seizure.document_state,
                    "document_number": seizure.document_number,
                    "items": seizure.items,
                    "alert_reference": seizure.alert_reference,
                },
            )
        return seizure

    def of_inspection(self, actor: Actor, inspection_id: str) -> list[SeizureView]:
        """The inspection's seizures, shown on a page that read (and audited) the inspection:
        not a disclosure of its own."""
        permitted(actor, Permission.INSPECT, Permission.REVIEW_HITS)
        with self.node.database.read() as session:
            scoped_inspection(self.node, session, self.inspector.repository, actor, inspection_id)
            return self.repository.of_inspection(session, inspection_id)

    def listed(self, actor: Actor, purpose: str, inspection_id: str) -> list[SeizureView]:
        """The inspection's seizures asked for on their own (``inspection.seizure_list``,
        recorded found or not: the seizure numbers listed)."""
        with (
            audited_lookup(
                self.node,
                actor,
                SEIZURE_LIST_ACTION,
                permissions=(Permission.INSPECT, Permission.REVIEW_HITS),
                purpose=purpose,
                query={"inspection": inspection_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            scoped_inspection(self.node, session, self.inspector.repository, actor, inspection_id)
            seizures = self.repository.of_inspection(session, inspection_id)
            lookup.listed(session, [seizure.number for seizure in seizures], key="numbers")
        return seizures
