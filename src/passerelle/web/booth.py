"""The officer's booth: ``/check`` (scan, photos, a fingerprint, check) and ``/check/{id}``
(verdict, decision).

Each rendering of the form carries a fresh request id (a hidden field, ``request_id``;
``screening.replays``): the same form sent twice (a double click, a resubmission after a
network error) is one inspection, answered again with its verdict; the booth's script
keeps the id while the officer sends the same scan again and takes a new one for a new
scan (``static/app.js``).

The crossing points offered and the decision reasons come from the node's
catalogues (``NodeServices.catalogues``, read from its catalogue file when the
node starts): with crossing points listed, the form offers those and takes no
other; without, the officer types the point.
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from passerelle.access import Permission, SessionView
from passerelle.access.rates import PhotoRateExceeded
from passerelle.biometrics.fingerprint.captures import (
    FINGER_NAMES,
    FingerImageTooLarge,
    LiveFinger,
    check_live_fingers,
)
from passerelle.biometrics.photo import refuse_oversized
from passerelle.documents.chip import ChipData
from passerelle.documents.chip.transfer import read_chip
from passerelle.exc import InvalidInput
from passerelle.http.deps import ServicesDep
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.catalogues import Catalogues
from passerelle.records.inspections import RequestIdReused
from passerelle.screening import InspectionRequest, OfficerAction
from passerelle.web.hand_entry import (
    HAND_ENTRY_LABELS,
    form_fields,
    stated_exemption,
    visual_zone,
)
from passerelle.web.presenting import present
from passerelle.web.presenting_paperwork import paperwork_context
from passerelle.web.refusals import refusal
from passerelle.web.rendering import page, page_session
from passerelle.web.second_line import present_second_line
from passerelle.web.traveller import traveller_context
from passerelle.web.verdict_actions import action_notes

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Officer = Annotated[SessionView, Depends(page_session(Permission.INSPECT))]
CsrfField = Annotated[str, Form()]
MAX_PHOTO_BYTES = 6 * 2**20
MAX_CHIP_FILE_BYTES = 4 * 2**20
"""The largest chip file taken at the booth (EF.SOD and the data groups, base64)."""
REQUEST_ID_PREFIX = "booth-"
"""How the ids the booth form carries begin (the rest: 24 random URL-safe characters)."""
BOOTH_PURPOSE = "border control"
"""The purpose recorded when the verdict shows the traveller's history at the booth."""


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request, session: Officer, services: ServicesDep) -> HTMLResponse:
    context = _form_context(services.catalogues, assigned_booth=_assigned_booth(services, session))
    return page(request, "check.html", context, session=session)


def _assigned_booth(services: ServicesDep, session: SessionView) -> str:
    """The booth the officer is assigned to (shown as the booth field's default), or ''."""
    user = services.access.user(session.actor.name)
    return (user.booth or "") if user is not None else ""


def new_request_id() -> str:
    """A fresh id for one scan's inspection request (``InspectionRequest.request_id``)."""
    return REQUEST_ID_PREFIX + secrets.token_urlsafe(18)


def _form_context(
    catalogues: Catalogues, typed: dict[str, str] | None = None, **given: str
) -> dict[str, object]:
    return {
        "request_id": new_request_id(),
        "mrz": given.get("mrz", ""),
        "crossing_point": given.get("crossing_point", ""),
        "booth": given.get("booth", ""),
        "assigned_booth": given.get("assigned_booth", ""),
        "direction": given.get("direction", "entry"),
        "purpose": given.get("purpose", "border control"),
        "points": catalogues.crossing_points,
        "error": given.get("error"),
        "hand_entry": HAND_ENTRY_LABELS,
        "typed": typed or {},
        "exemptions": catalogues.stay_rule.categories,
        "stay_exemption": given.get("stay_exemption", ""),
        "finger_names": list(enumerate(FINGER_NAMES)),
        "finger_position": int(given.get("finger_position", "2")),
    }


@router.post("/check", response_model=None)
async def check(
    request: Request,
    session: Officer,
    services: ServicesDep,
    csrf_token: CsrfField,
    crossing_point: Annotated[str, Form(max_length=64)],
    direction: Annotated[str, Form()],
    purpose: Annotated[str, Form(max_length=500)],
    mrz: Annotated[str, Form(max_length=400)] = "",
    booth: Annotated[str, Form(max_length=32)] = "",
    stay_exemption: Annotated[str, Form(max_length=64)] = "",
    document_photo: UploadFile | None = None,
    live_photo: UploadFile | None = None,
    fingerprint: UploadFile | None = None,
    finger_position: Annotated[int, Form(ge=0, le=10)] = 2,
    chip: UploadFile | None = None,
    request_id: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse | RedirectResponse:
    """Run the inspection and show its verdict (the form comes back with the reason if refused).

    The document is the MRZ as scanned, or its visual zone typed by hand (``vz_<field>``,
    ``web.hand_entry``) when no MRZ can be read; ``chip`` the reader's chip file
    (docs/chip.md). ``request_id`` the form's id of this scan: sent again, the same
    inspection's verdict; already used for another document, the form comes back (409)
    with a fresh id."""
    session.check_csrf(csrf_token)
    typed = await form_fields(request)
    kept = {  # what the form shows again when it comes back refused
        "mrz": mrz,
        "crossing_point": crossing_point,
        "direction": direction,
        "purpose": purpose,
        "stay_exemption": stay_exemption,
        "booth": booth,
        "assigned_booth": _assigned_booth(services, session),
        "finger_position": str(finger_position),
    }
    try:
        photos = [
            await _photo(upload, name)
            for upload, name in ((document_photo, "document_photo"), (live_photo, "live_photo"))
        ]
        fingers = await _fingers(fingerprint, finger_position, services.finger_limits.max_bytes)
        check_live_fingers(fingers, limits=services.finger_limits)
        chip_read = await _chip(chip)
        if any(photos) or fingers:
            services.photo_rate.take(session.actor.name)
        for photo, name in zip(photos, ("document_photo", "live_photo"), strict=True):
            if photo is not None:
                refuse_oversized(photo, field=name, limits=services.photo_limits)
        request_ = InspectionRequest(
            mrz=mrz if mrz.strip() else None,
            visual_zone=visual_zone(typed),
            stay_exemption=stated_exemption(services.catalogues.stay_rule, stay_exemption),
            purpose=purpose,
            crossing_point=services.catalogues.crossing_point(crossing_point),
            direction=direction,  # type: ignore[arg-type]  # checked by InspectionRequest
            officer=session.actor,
            at=services.node.clock(),
            document_photo=photos[0],
            live_photo=photos[1],
            booth=booth.strip() or None,
            fingerprints=fingers,
            chip=chip_read,
            request_id=request_id.strip() or None,
        )
    except (InvalidInput, PhotoRateExceeded) as exc:
        limited = isinstance(exc, PhotoRateExceeded)
        why = refusal(exc if isinstance(exc, InvalidInput) else InvalidInput("photos", exc.reason))
        context = _form_context(services.catalogues, typed, **kept, error=why)
        status = 429 if limited else 413 if isinstance(exc, FingerImageTooLarge) else 422
        answer = page(request, "check.html", context, session=session, status_code=status)
        if isinstance(exc, PhotoRateExceeded):
            answer.headers["retry-after"] = str(exc.retry_after_s)
        return answer
    from starlette.concurrency import run_in_threadpool

    try:
        result = await run_in_threadpool(services.inspector.inspect, request_)
    except RequestIdReused as reused:  # a form kept from another scan: check again, anew
        context = _form_context(services.catalogues, typed, **kept, error=refusal(reused))
        return page(request, "check.html", context, session=session, status_code=409)
    return RedirectResponse(f"/check/{result.inspection_id}", status_code=303)


async def _photo(upload: UploadFile | None, field: str) -> bytes | None:
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(
            field, worded(N_("is larger than %(value)s MiB"), value=MAX_PHOTO_BYTES // 2**20)
        )
    return data or None


async def _chip(upload: UploadFile | None) -> ChipData | None:
    """The chip file the reader wrote (``documents.chip.transfer``), ``InvalidInput`` naming
    the part that cannot be read."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_CHIP_FILE_BYTES + 1)
    if len(data) > MAX_CHIP_FILE_BYTES:
        raise InvalidInput(
            "chip", worded(N_("is larger than %(value)s MiB"), value=MAX_CHIP_FILE_BYTES // 2**20)
        )
    try:
        parsed = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("chip", worded(N_("is not the reader's JSON chip file"))) from exc
    return read_chip(parsed)[0]


async def _fingers(
    upload: UploadFile | None, position: int, max_bytes: int
) -> tuple[LiveFinger, ...]:
    """The fingerprint the officer attached, at its position (read up to one byte past the
    budget: ``check_live_fingers`` refuses it then)."""
    if upload is None or not upload.filename:
        return ()
    data = await upload.read(max_bytes + 1)
    return (LiveFinger(position, data),) if data else ()


@router.get("/check/{inspection_id}", response_class=HTMLResponse)
def verdict(
    request: Request, inspection_id: str, session: Officer, services: ServicesDep
) -> HTMLResponse:
    return _verdict_page(request, inspection_id, session, services)


def _verdict_page(
    request: Request,
    inspection_id: str,
    session: SessionView,
    services: ServicesDep,
    *,
    refused: InvalidInput | None = None,
    reason_code: str = "",
) -> HTMLResponse:
    """The verdict page; after a ``refused`` decision, 422 with the reason at the decision
    form and the officer's ``reason_code`` still chosen (the verdict stays on screen)."""
    record = services.records.inspection(session.actor, BOOTH_PURPOSE, inspection_id)
    reasons = services.decisions.reasons_of(inspection_id)
    context = {
        **present(record, reasons),
        **paperwork_context(record, services, session.actor),
        **present_second_line(record, session.actor, reasons),
        **traveller_context(services, session.actor, record, BOOTH_PURPOSE),
    }
    filed = services.alert_reports().of_inspection(session.actor, inspection_id)
    context |= action_notes(record, filed)
    if refused is None:
        return page(request, "verdict.html", context, session=session)
    context["decision_error"] = refusal(refused)
    context["decision_error_field"] = refused.field
    if any(r.code == reason_code for group in reasons.groups for r in group.reasons):
        context["default_reason"] = reason_code
    return page(request, "verdict.html", context, session=session, status_code=422)


@router.post("/check/{inspection_id}/decision", response_model=None)
def decide(
    request: Request,
    inspection_id: str,
    session: Officer,
    services: ServicesDep,
    csrf_token: CsrfField,
    action: Annotated[str, Form()],
    reason_code: Annotated[str, Form(max_length=64)],
) -> HTMLResponse | RedirectResponse:
    """Record the decision; one the catalogue does not allow (an unknown action, a reason
    under another action) comes back as the verdict page with the reason, nothing recorded."""
    session.check_csrf(csrf_token)
    try:
        if action not in ("admit", "refer", "refuse"):
            raise InvalidInput(
                "action",
                worded(N_("%(action)s is not one of admit, refer, refuse"), action=repr(action)),
            )
        services.decisions.check(session.actor, inspection_id, action, reason_code)
    except InvalidInput as refused:
        return _verdict_page(
            request, inspection_id, session, services, refused=refused, reason_code=reason_code
        )
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
