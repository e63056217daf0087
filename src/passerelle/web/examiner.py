"""The document examiner's page: ``/forgeries``, the forged-document alerts the node holds.

Every forgery alert, this node's and those its partners shared, with the series it
concerns, how it was detected, the indicators and its reference images
(``/forgeries/images/{owner}/{alert_id}/{number}``: ``own`` or the partner's state).
Supervisors (second line) and analysts read it (``examine_documents``); an analyst
(``manage_alerts``) also records a new forgery there, images uploaded from files, and
withdraws the node's own (the ``/alerts`` withdrawal form, the same service).
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from passerelle.access import Permission, SessionView, can
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.records.alerts import parse_alert
from passerelle.records.forgeries import FORGERY_CATEGORY, MAX_IMAGE_BYTES, MAX_IMAGES
from passerelle.web.analysis_words import (
    ALERT_STATUSES,
    DETECTION_METHODS,
    FORGERY_TYPES,
    numbers_said,
    said,
)
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Examiner = Annotated[SessionView, Depends(page_session(Permission.EXAMINE_DOCUMENTS))]
AlertManager = Annotated[SessionView, Depends(page_session(Permission.MANAGE_ALERTS))]
PURPOSE = "document examination"
"""The purpose recorded when an examiner opens the page."""
OWN = "own"
"""The owner segment of an image URL for this node's own alert."""


@router.get("/forgeries", response_class=HTMLResponse)
def forgeries_page(
    request: Request,
    session: Examiner,
    services: ServicesDep,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The forgery alerts held, live ones first, with their images."""
    entries = services.forgeries().entries(session.actor, PURPOSE)
    context: dict[str, Any] = {
        "entries": entries,
        "numbers": {entry.reference: numbers_said(entry.subject) for entry in entries},
        "forgery_types": FORGERY_TYPES,
        "methods": DETECTION_METHODS,
        "statuses": ALERT_STATUSES,
        "said": said,
        "may_issue": can(session.actor.role, Permission.MANAGE_ALERTS),
        "max_images": MAX_IMAGES,
        "error": error,
        "own": OWN,
    }
    return page(request, "forgeries.html", context, session=session, status_code=status_code)


@router.get("/forgeries/images/{owner}/{alert_id}/{number}")
def forgery_image(
    owner: str, alert_id: str, number: int, session: Examiner, services: ServicesDep
) -> Response:
    """One reference image, as stored (PNG or JPEG); 404 when there is none."""
    state = None if owner == OWN else owner
    image = services.forgeries().image(session.actor, state, alert_id, number)
    if image is None:
        return Response(status_code=404, content="no such image", media_type="text/plain")
    return Response(
        content=image.data,
        media_type=image.media_type,
        headers={"cache-control": "private, max-age=300"},
    )


async def _encoded(upload: UploadFile, number: int) -> dict[str, Any]:
    data = await upload.read(MAX_IMAGE_BYTES + 1)
    media_type = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return {
        "media_type": media_type,
        "data": base64.b64encode(data).decode("ascii"),
        "caption": (upload.filename or f"image {number + 1}")[:200],
    }


@router.post("/forgeries", response_model=None)
async def issue_forgery(
    request: Request,
    session: AlertManager,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()],
    issuing_state: Annotated[str, Form(max_length=3)],
    document_code: Annotated[str, Form(max_length=2)],
    forgery_type: Annotated[str, Form(max_length=24)],
    indicators: Annotated[str, Form(max_length=4000)],
    issuing_authority: Annotated[str, Form(max_length=200)],
    action: Annotated[str, Form(max_length=500)],
    detected_by: Annotated[list[str] | None, Form(max_length=16)] = None,
    series: Annotated[str, Form(max_length=24)] = "",
    number_from: Annotated[str, Form(max_length=24)] = "",
    number_to: Annotated[str, Form(max_length=24)] = "",
    number_pattern: Annotated[str, Form(max_length=24)] = "",
    images: Annotated[list[UploadFile] | None, File()] = None,
) -> HTMLResponse | RedirectResponse:
    """Record a forgery: a ``forged_document`` alert, shared like any alert."""
    session.check_csrf(csrf_token)
    uploads = [upload for upload in images or () if upload.filename][: MAX_IMAGES + 1]
    pictures = [await _encoded(upload, number) for number, upload in enumerate(uploads)]
    record = {
        "category": FORGERY_CATEGORY,
        "subject": {
            "kind": "document_series",
            "issuing_state": issuing_state,
            "document_code": document_code,
            "series": series or None,
            "number_from": number_from or None,
            "number_to": number_to or None,
            "number_pattern": number_pattern or None,
            "forgery_type": forgery_type,
            "detected_by": detected_by or [],
            "indicators": indicators,
        },
        "issuing_authority": issuing_authority,
        "action": action,
        "reference_images": pictures or None,
    }
    try:
        services.alerts.issue(session.actor, parse_alert(record))
    except InvalidInput as exc:
        error = refusal(exc)
        return forgeries_page(request, session, services, error=error, status_code=422)
    return RedirectResponse("/forgeries", status_code=303)
