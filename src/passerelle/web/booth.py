"""The officer's booth: ``/check`` (scan, photos, check) and ``/check/{id}`` (verdict, decision)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.screening import InspectionRequest, OfficerAction
from passerelle.web.presenting import present, reason_fits
from passerelle.web.rendering import page, page_session

__all__ = ["CROSSING_POINTS", "router"]

router = APIRouter(include_in_schema=False)

Officer = Annotated[SessionView, Depends(page_session(Permission.INSPECT))]
CsrfField = Annotated[str, Form()]
CROSSING_POINTS = ("TNG-MED", "CMN-T1", "RAK-T1", "BAB-SEBTA", "NDR-BNI", "OUJ-ZKH", "AGA-T1")
"""Crossing points offered in the form (any other may be typed)."""
MAX_PHOTO_BYTES = 6 * 2**20


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request, session: Officer) -> HTMLResponse:
    return page(request, "check.html", _form_context(), session=session)


def _form_context(**given: str) -> dict[str, object]:
    return {
        "mrz": given.get("mrz", ""),
        "crossing_point": given.get("crossing_point", ""),
        "direction": given.get("direction", "entry"),
        "purpose": given.get("purpose", "border control"),
        "points": CROSSING_POINTS,
        "error": given.get("error"),
    }


@router.post("/check", response_model=None)
async def check(
    request: Request,
    session: Officer,
    services: ServicesDep,
    csrf_token: CsrfField,
    mrz: Annotated[str, Form(max_length=400)],
    crossing_point: Annotated[str, Form(max_length=64)],
    direction: Annotated[str, Form()],
    purpose: Annotated[str, Form(max_length=500)],
    document_photo: UploadFile | None = None,
    live_photo: UploadFile | None = None,
) -> HTMLResponse | RedirectResponse:
    """Run the inspection and show its verdict (the form comes back with the reason if refused)."""
    session.check_csrf(csrf_token)
    try:
        photos = [
            await _photo(upload, name)
            for upload, name in ((document_photo, "document_photo"), (live_photo, "live_photo"))
        ]
        request_ = InspectionRequest(
            mrz=mrz,
            purpose=purpose,
            crossing_point=crossing_point.strip().upper(),
            direction=direction,  # type: ignore[arg-type]  # checked by InspectionRequest
            officer=session.actor,
            at=services.node.clock(),
            document_photo=photos[0],
            live_photo=photos[1],
        )
    except InvalidInput as exc:
        context = _form_context(
            mrz=mrz,
            crossing_point=crossing_point,
            direction=direction,
            purpose=purpose,
            error=f"{exc.field}: {exc.reason}",
        )
        return page(request, "check.html", context, session=session, status_code=422)
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(services.inspector.inspect, request_)
    return RedirectResponse(f"/check/{result.inspection_id}", status_code=303)


async def _photo(upload: UploadFile | None, field: str) -> bytes | None:
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(field, f"is larger than {MAX_PHOTO_BYTES // 2**20} MiB")
    return data or None


@router.get("/check/{inspection_id}", response_class=HTMLResponse)
def verdict(
    request: Request, inspection_id: str, session: Officer, services: ServicesDep
) -> HTMLResponse:
    record = services.inspector.get(inspection_id)
    return page(request, "verdict.html", present(record), session=session)


@router.post("/check/{inspection_id}/decision")
def decide(
    inspection_id: str,
    session: Officer,
    services: ServicesDep,
    csrf_token: CsrfField,
    action: Annotated[str, Form()],
    reason_code: Annotated[str, Form(max_length=64)],
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    if action not in ("admit", "refer", "refuse"):
        raise InvalidInput("action", f"{action!r} is not one of admit, refer, refuse")
    if not reason_fits(action, reason_code):
        raise InvalidInput("reason_code", f'choose a reason under "{action}" for this decision')
    services.inspector.record_decision(
        inspection_id, cast(OfficerAction, action), reason_code, session.actor
    )
    return RedirectResponse(f"/check/{inspection_id}#decision", status_code=303)


@router.post("/check/{inspection_id}/not-same-person")
def not_same_person(
    inspection_id: str,
    session: Officer,
    services: ServicesDep,
    csrf_token: CsrfField,
    watchlist_id: Annotated[str, Form(max_length=64)],
) -> RedirectResponse:
    session.check_csrf(csrf_token)
    services.inspector.mark_not_same_person(inspection_id, watchlist_id, session.actor)
    return RedirectResponse(f"/check/{inspection_id}", status_code=303)
