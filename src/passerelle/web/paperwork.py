"""The booth's paperwork: the refusal notice, seizures and their receipts.

``GET  /check/{id}/refusal-notice.pdf?language=ar``  the refusal notice (an inspection
                                                     decided ``refuse``; 409 otherwise)
``POST /check/{id}/seizures``                        record a seizure (the verdict's form)
``GET  /check/{id}/seizures/{n}/receipt.pdf``        the receipt of seizure ``n``

The PDFs are rendered by the node (``http.printing``) in the officer's language
and the traveller's; each printing is audited by the service.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import RedirectResponse, Response

from passerelle.access import Permission, SessionView
from passerelle.http.deps import ServicesDep
from passerelle.http.ids import PathId
from passerelle.http.printing import pdf_response, refusal_notice_pdf, seizure_receipt_pdf
from passerelle.records.seizures import MAX_ITEMS, MAX_REASON, MAX_REFERENCE, parse_seizure
from passerelle.web.rendering import page_session

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Officer = Annotated[SessionView, Depends(page_session(Permission.INSPECT))]
Language = Annotated[str | None, Query(max_length=3, description="The traveller's language.")]


@router.get("/check/{inspection_id}/refusal-notice.pdf")
def refusal_notice(
    inspection_id: str, session: Officer, services: ServicesDep, language: Language = None
) -> Response:
    notice = services.notices.refusal_notice(session.actor, inspection_id, language)
    pdf = refusal_notice_pdf(
        notice,
        authority=services.node.settings.node,
        crossing_point=services.catalogues.crossing_point_name(notice.traveller.crossing_point),
    )
    return pdf_response(pdf, f"refusal-notice-{inspection_id}.pdf")


@router.post("/check/{inspection_id}/seizures")
def record_seizure(
    inspection_id: str,
    session: Officer,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
    items: Annotated[str, Form(max_length=MAX_ITEMS)] = "",
    alert_reference: Annotated[str, Form(max_length=MAX_REFERENCE)] = "",
    document: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    draft = parse_seizure(
        document=document is not None,
        items=items,
        reason=reason,
        alert_reference=alert_reference,
    )
    services.seizures.record(session.actor, inspection_id, draft)
    return RedirectResponse(f"/check/{inspection_id}#seizures", status_code=303)


@router.get("/check/{inspection_id}/seizures/{number}/receipt.pdf")
def seizure_receipt(
    inspection_id: str,
    number: PathId,
    session: Officer,
    services: ServicesDep,
    language: Language = None,
) -> Response:
    receipt = services.notices.seizure_receipt(session.actor, inspection_id, number, language)
    pdf = seizure_receipt_pdf(
        receipt,
        authority=services.node.settings.node,
        crossing_point=services.catalogues.crossing_point_name(receipt.traveller.crossing_point),
    )
    return pdf_response(pdf, f"seizure-receipt-{inspection_id}-{number}.pdf")
