"""``/audit``: the audit trail for auditors: records newest first, and the chain's check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import AuditRecordsOut, ChainVerdictOut, refusals
from passerelle.http.deps import ServicesDep, allowed
from passerelle.http.ids import QueryId
from passerelle.store.audit import Actor
from passerelle.store.audit_reading import MAX_ENTRIES

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"], responses=refusals(401, 403))

Auditing = Annotated[Actor, Depends(allowed(Permission.VIEW_AUDIT))]


@router.get("", responses=refusals(422))
def audit_records(
    actor: Auditing,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=MAX_ENTRIES)] = 100,
    before: QueryId = None,
    by: Annotated[str | None, Query(max_length=128, description="Only this actor.")] = None,
    action: Annotated[str | None, Query(max_length=64, description="Action, or prefix.")] = None,
    purpose: Annotated[str, Query(min_length=1, max_length=500)] = "audit oversight",
) -> AuditRecordsOut:
    """Audit records, newest first (this reading is itself audited)."""
    entries = services.records.audit_trail(
        actor, purpose, limit=limit, before=before, by=by, action=action
    )
    return AuditRecordsOut.model_validate({"records": [entry.as_dict() for entry in entries]})


@router.get("/verify")
def verify_chain(actor: Auditing, services: ServicesDep) -> ChainVerdictOut:
    """Walk the whole chain and its sealed head: intact, or the first record that does not
    hold (in a read-only snapshot that holds no writer back)."""
    node = services.node
    with node.database.read_only() as session:
        verdict = node.audit.verify(session)
    return ChainVerdictOut(
        intact=verdict.intact,
        records=verdict.records,
        first_broken=verdict.first_broken,
        reason=verdict.reason,
        redacted_payloads=verdict.redacted_payloads,
    )
