"""``/inspections/{id}``: the refusal notice, the seizures and their receipts (PDF).

The same documents and records as the booth's pages (``web.paperwork``), through
the same services; each printing and each seizure is audited there.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from passerelle.access import Permission
from passerelle.api.models import refusals
from passerelle.api.models.seizures import SeizureBody, SeizureOut, SeizuresOut
from passerelle.http.deps import ServicesDep, allowed
from passerelle.http.ids import PathId
from passerelle.http.printing import (
    PDF_MEDIA_TYPE,
    pdf_response,
    refusal_notice_pdf,
    seizure_receipt_pdf,
)
from passerelle.records.seizures import parse_seizure
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(prefix="/inspections", tags=["inspections"], responses=refusals(401, 403, 422))

Inspecting = Annotated[Actor, Depends(allowed(Permission.INSPECT))]
Language = Annotated[
    str | None,
    Query(max_length=3, description="The traveller's language (the node's when absent)."),
]
Purpose = Annotated[str, Query(min_length=1, max_length=500, description="Why (audited).")]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {PDF_MEDIA_TYPE: {}}, "description": "An A4 PDF."}
}


@router.get(
    "/{inspection_id}/refusal-notice.pdf",
    response_class=Response,
    responses={**PDF, **refusals(404, 409)},
)
def refusal_notice(
    inspection_id: str, actor: Inspecting, services: ServicesDep, language: Language = None
) -> Response:
    """The refusal notice of an inspection decided ``refuse``, in the officer's language and the
    traveller's (409 when the inspection was not refused)."""
    notice = services.notices.refusal_notice(actor, inspection_id, language)
    pdf = refusal_notice_pdf(
        notice,
        authority=services.node.settings.node,
        crossing_point=services.catalogues.crossing_point_name(notice.traveller.crossing_point),
    )
    return pdf_response(pdf, f"refusal-notice-{inspection_id}.pdf")


@router.post("/{inspection_id}/seizures", status_code=201, responses=refusals(404))
def record_seizure(
    inspection_id: str, body: SeizureBody, actor: Inspecting, services: ServicesDep
) -> SeizureOut:
    """Record a seizure on the inspection (the document itself by default, other items in
    words), audited as ``inspection.seizure``."""
    draft = parse_seizure(
        document=body.document,
        items=body.items,
        reason=body.reason,
        alert_reference=body.alert_reference,
    )
    seizure = services.seizures.record(actor, inspection_id, draft)
    return SeizureOut.model_validate(seizure.as_dict())


@router.get("/{inspection_id}/seizures", responses=refusals(404))
def list_seizures(
    inspection_id: str, actor: Inspecting, services: ServicesDep, purpose: Purpose = "border check"
) -> SeizuresOut:
    """The inspection's seizures, by number (audited: ``inspection.seizure_list``)."""
    seizures = services.seizures.listed(actor, purpose, inspection_id)
    return SeizuresOut(seizures=tuple(SeizureOut.model_validate(s.as_dict()) for s in seizures))


@router.get(
    "/{inspection_id}/seizures/{number}/receipt.pdf",
    response_class=Response,
    responses={**PDF, **refusals(404)},
)
def seizure_receipt(
    inspection_id: str,
    number: PathId,
    actor: Inspecting,
    services: ServicesDep,
    language: Language = None,
) -> Response:
    """The receipt of seizure ``number``, for the traveller."""
    receipt = services.notices.seizure_receipt(actor, inspection_id, number, language)
    pdf = seizure_receipt_pdf(
        receipt,
        authority=services.node.settings.node,
        crossing_point=services.catalogues.crossing_point_name(receipt.traveller.crossing_point),
    )
    return pdf_response(pdf, f"seizure-receipt-{inspection_id}-{number}.pdf")
