"""Supervisors: ``/second-line`` (the queue), a HIT's admission confirmed or declined, and the
second-line outcome of a referred traveller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import InspectionOut, SecondLineQueueOut, refusals
from passerelle.api.routers.inspections import inspection_payload
from passerelle.api.schemas import AdmissionAnswerBody, SecondLineOutcomeBody
from passerelle.http.deps import ServicesDep, allowed
from passerelle.records.second_line import reason_label
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(tags=["second line"], responses=refusals(401, 403, 422))

Supervising = Annotated[
    Actor, Depends(allowed(Permission.SECOND_LINE, Permission.CONFIRM_ADMISSION))
]
Confirming = Annotated[Actor, Depends(allowed(Permission.CONFIRM_ADMISSION))]
SecondLineOfficer = Annotated[Actor, Depends(allowed(Permission.SECOND_LINE))]


@router.get("/second-line")
def second_line_queue(
    actor: Supervising,
    services: ServicesDep,
    crossing_point: Annotated[
        str | None, Query(max_length=64, description="Only this crossing point's queue.")
    ] = None,
    purpose: Annotated[
        str, Query(min_length=1, max_length=500, description="Why (audited).")
    ] = "second-line duty",
) -> SecondLineQueueOut:
    """Admissions of a HIT awaiting a supervisor and travellers referred without an outcome,
    newest first (audited: ``second_line.read``). A supervisor assigned to a crossing point
    gets that point's queue (403 for another point's)."""
    queue = services.second_line.queue(actor, purpose, crossing_point=crossing_point)
    reasons = services.catalogues.reasons
    return SecondLineQueueOut.model_validate(
        {
            "crossing_point": queue.crossing_point,
            "confirmations": [
                {"admission": admission.as_dict(), "traveller": entry.as_dict()}
                for admission, entry in queue.confirmations
            ],
            "referrals": [
                {
                    "referral": referral.as_dict(),
                    "reason_label": reason_label(reasons, referral.reason_code),
                    "traveller": entry.as_dict(),
                }
                for referral, entry in queue.referrals
            ],
        }
    )


@router.post("/inspections/{inspection_id}/confirmation", responses=refusals(404))
def answer_admission(
    inspection_id: str, body: AdmissionAnswerBody, actor: Confirming, services: ServicesDep
) -> InspectionOut:
    """A supervisor confirms (the crossing is logged, the decision carries both names) or
    declines (with a note; the inspection is undecided again) an officer's admission of a
    HIT. Refused (422, field `answer`) for the supervisor who asked for it: four eyes."""
    services.second_line.answer_admission(actor, inspection_id, body.answer, body.note)
    return inspection_payload(services.inspector.get(inspection_id))


@router.post("/inspections/{inspection_id}/second-line-outcome", responses=refusals(404))
def second_line_outcome(
    inspection_id: str, body: SecondLineOutcomeBody, actor: SecondLineOfficer, services: ServicesDep
) -> InspectionOut:
    """The outcome of a referred traveller, once: `admitted_after_check` logs the crossing;
    `refused`, `arrested`, `handed_over` (with `handed_to`) log none. Refused (422, field
    `outcome`) for a traveller not referred or already given an outcome."""
    services.second_line.record_outcome(
        actor, inspection_id, body.outcome, notes=body.notes, handed_to=body.handed_to
    )
    return inspection_payload(services.inspector.get(inspection_id))
