"""Reading the node's records: an inspection, a hit review's thread, a case, the list of
cases, the shares refused to partners, the audit trail.

Each reading discloses personal data (or who searched whom), so each is audited,
once, with the purpose given, whichever face asked, and whatever it found: a look-up
of an id that names nothing is recorded ``not_found`` (``services.lookups``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.access import Permission
from passerelle.access.scope import scoped_inspection
from passerelle.federation.sharing.legal_basis import RefusedShare, refused_shares
from passerelle.node import Node
from passerelle.records.cases import ReviewThread
from passerelle.records.inspections import HitReviewView
from passerelle.screening import Inspector
from passerelle.screening.records import InspectionRecord
from passerelle.services.audit_oversight import AuditFilter, AuditOversight
from passerelle.services.common import AuditAction
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.audit_reading import AuditEntry
from passerelle.store.cases import CaseRepository, CaseView

__all__ = ["CaseFile", "RecordReading"]


@dataclass(frozen=True, slots=True)
class CaseFile:
    """A case with its notes and its hit reviews in full."""

    case: CaseView
    reviews: tuple[HitReviewView, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**self.case.as_dict(), "reviews": [review.as_dict() for review in self.reviews]}


class RecordReading:
    """Audited readings of stored records."""

    def __init__(self, node: Node, inspector: Inspector) -> None:
        self.node = node
        self.inspector = inspector
        self.cases = CaseRepository(node.audit)

    def inspection(self, actor: Actor, purpose: str, inspection_id: str) -> InspectionRecord:
        """A stored inspection with the officer's decision and its reviews (``inspection.read``,
        recorded found or not)."""
        with audited_lookup(
            self.node,
            actor,
            AuditAction.INSPECTION_READ,
            permissions=(Permission.INSPECT, Permission.REVIEW_HITS),
            purpose=purpose,
            query={"inspection": inspection_id},
        ) as lookup:
            node = self.node
            with node.database.read() as session:
                scoped_inspection(node, session, self.inspector.repository, actor, inspection_id)
            record = self.inspector.get(inspection_id)
            with node.database.write() as session:
                lookup.found(session, {"decision": record.result.decision})
        return record

    def hit_review(self, actor: Actor, purpose: str, review_id: int) -> ReviewThread:
        """One hit review with its notes and its case (``hit_review.read``, found or not)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.HIT_REVIEW_READ,
                permissions=(Permission.REVIEW_HITS,),
                purpose=purpose,
                query={"review": review_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            thread = self.cases.thread(session, review_id)
            lookup.found(
                session,
                {
                    "inspection": thread.review.inspection_id,
                    "case": thread.case_id,
                    "notes": len(thread.notes),
                },
            )
        return thread

    def case(self, actor: Actor, purpose: str, case_id: str) -> CaseFile:
        """A case with its notes and hit reviews (``case.read``, found or not)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.CASE_READ,
                permissions=(Permission.REVIEW_HITS,),
                purpose=purpose,
                query={"case": case_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            case = self.cases.get(session, case_id)
            reviews = tuple(self.cases.reviews_in(session, case_id))
            lookup.found(session, {"reviews": list(case.review_ids), "notes": case.note_count})
        return CaseFile(case, reviews)

    def cases_listed(
        self, actor: Actor, purpose: str, *, status: str | None = None, limit: int = 200
    ) -> list[CaseView]:
        """Cases, open ones first and newest first, with how many notes each holds
        (``case.list``: the ids listed)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.CASE_LIST,
                permissions=(Permission.REVIEW_HITS,),
                purpose=purpose,
                query={"status": status, "limit": limit},
            ) as lookup,
            self.node.database.write() as session,
        ):
            listed = self.cases.cases(session, status=status, limit=limit)
            lookup.listed(session, [case.id for case in listed])
        return listed

    def refused_shares(self, actor: Actor, purpose: str, *, limit: int = 50) -> list[RefusedShare]:
        """Records kept from partners by the sharing rules, newest first
        (``federation.refused_shares``: the audit sequence numbers listed)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.REFUSED_SHARES_LIST,
                permissions=(Permission.REVIEW_HITS,),
                purpose=purpose,
                query={"limit": limit},
            ) as lookup,
            self.node.database.write() as session,
        ):
            shares = refused_shares(session, limit=limit)
            lookup.listed(session, [share.seq for share in shares])
        return shares

    def audit_trail(
        self,
        actor: Actor,
        purpose: str,
        *,
        limit: int = 100,
        before: int | None = None,
        after: int | None = None,
        by: str | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """Audit records, newest first (``audit.read``: this reading is itself audited), as
        the auditor's page reads them (:class:`~passerelle.services.audit_oversight.
        AuditOversight`: one reading, recorded alike whichever face asked)."""
        wanted = AuditFilter(actor=by, action=action)
        return AuditOversight(self.node).page(
            actor, purpose, wanted, limit=limit, before=before, after=after
        )
