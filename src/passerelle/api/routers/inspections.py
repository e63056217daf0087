"""``/inspections``: the border check, its record, the officer's decision and feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from passerelle.access import Permission
from passerelle.api.models import HitReviewOut, InspectionOut, InspectionResultOut, refusals
from passerelle.api.schemas import (
    InspectionBody,
    NotSamePersonBody,
    OfficerDecisionBody,
    decode_photo,
)
from passerelle.biometrics.fingerprint.captures import LiveFinger, check_live_fingers
from passerelle.biometrics.photo import refuse_oversized
from passerelle.documents import typed_document
from passerelle.http.deps import ServicesDep, allowed
from passerelle.records.catalogues import DEFAULT_REASONS, DecisionReasons
from passerelle.records.travel import TravelContext
from passerelle.screening import InspectionRecord, InspectionRequest
from passerelle.store.audit import Actor

__all__ = ["inspection_payload", "router"]

router = APIRouter(prefix="/inspections", tags=["inspections"], responses=refusals(401, 403, 422))

Inspecting = Annotated[Actor, Depends(allowed(Permission.INSPECT))]
_TOO_MUCH = refusals(413, 429)
"""A fingerprint image over its byte budget; photo-bearing requests over the user's rate."""


# exclude_unset: the document's optional-data keys depend on its format (DocumentCheckOut).
# The answer is validated into its model here and written as JSON at once: handed back as
# the model, FastAPI would validate it again (in another thread hop) before writing it,
# the same bytes for more CPU on the node's busiest route.
@router.post(
    "",
    status_code=201,
    response_model=InspectionResultOut,
    response_model_exclude_unset=True,
    responses=_TOO_MUCH,
)
def inspect(body: InspectionBody, actor: Inspecting, services: ServicesDep) -> Response:
    """Run every check on one traveller and answer ``clear``, ``refer`` or ``hit`` with reasons.

    A photo over the node's pixel budget (``PASSERELLE_FACE_MAX_PIXELS``) is refused
    with 422 naming the field, from its header, before anything is checked. Photo-bearing
    requests are limited per user (``PASSERELLE_PHOTO_RATE_PER_MINUTE``, ``_BURST``):
    beyond, 429 with ``Retry-After``. Fingerprint images count as photos there; one over
    ``PASSERELLE_FINGER_MAX_BYTES`` is refused with 413, one of another format or size
    with 422, each naming the field (``fingerprints[0].image``). The chip's parts
    (``chip.sod``, ``chip.data_groups.N``) that are not base64 or over their limit are
    refused with 422 naming the part; what the chip holds is checked and answered as
    findings of source ``chip`` (docs/chip.md). A ``request_id`` makes the request safe to
    retry: the inspection already made under it is answered (docs/deployment.md)."""
    typed = body.visual_zone
    if body.stay_exemption is not None:
        services.catalogues.stay_rule.category(body.stay_exemption)
    photos = {
        field: decode_photo(value, field)
        for field, value in (
            ("document_photo", body.document_photo),
            ("live_photo", body.live_photo),
        )
    }
    fingers = tuple(
        LiveFinger(finger.position, decode_photo(finger.image, f"fingerprints[{at}].image") or b"")
        for at, finger in enumerate(body.fingerprints or ())
    )
    check_live_fingers(fingers, limits=services.finger_limits)
    chip = body.chip.chip() if body.chip is not None else None
    if any(photos.values()) or fingers:
        services.photo_rate.take(actor.name)
    for field, photo in photos.items():
        if photo is not None:
            refuse_oversized(photo, field=field, limits=services.photo_limits)
    request = InspectionRequest(
        mrz=body.mrz,
        visual_zone=typed_document(typed.model_dump()) if typed is not None else None,
        stay_exemption=body.stay_exemption,
        purpose=body.purpose,
        crossing_point=services.catalogues.crossing_point(body.crossing_point),
        direction=body.direction,
        officer=actor,
        at=services.node.clock(),
        document_photo=photos["document_photo"],
        live_photo=photos["live_photo"],
        federation=body.federation,
        booth=body.booth,
        fingerprints=fingers,
        chip=chip,
        travel=TravelContext.parse(**body.travel.model_dump()) if body.travel else None,
        request_id=body.request_id,
    )
    answer = InspectionResultOut.model_validate(services.inspector.inspect(request).as_dict())
    return Response(
        answer.model_dump_json(by_alias=True, exclude_unset=True),
        status_code=201,
        media_type="application/json",
    )


@router.get("/{inspection_id}", response_model_exclude_unset=True, responses=refusals(404))
def get_inspection(
    inspection_id: str,
    actor: Annotated[Actor, Depends(allowed(Permission.INSPECT, Permission.REVIEW_HITS))],
    services: ServicesDep,
    purpose: Annotated[
        str, Query(min_length=1, max_length=500, description="Why (audited).")
    ] = "inspection follow-up",
) -> InspectionOut:
    """A stored inspection: its result, the officer's decision and its hit reviews (audited)."""
    record = services.records.inspection(actor, purpose, inspection_id)
    return inspection_payload(record, services.decisions.reasons_of(inspection_id))


def inspection_payload(
    record: InspectionRecord, reasons: DecisionReasons = DEFAULT_REASONS
) -> InspectionOut:
    """The inspection as the API shows it: result, officer's decision (with the reason's label
    in ``reasons``, the inspection direction's), reviews."""
    payload = record.result.as_dict()
    decision = record.officer_decision
    payload["officer_decision"] = (
        {
            "action": decision.action,
            "reason_code": decision.reason_code,
            "reason_label": reasons.label_of(decision.reason_code),
            "by": decision.by,
            "at": decision.at.isoformat(),
            "crossing_id": decision.crossing_id,
            "confirmed_by": decision.confirmed_by,
        }
        if decision
        else None
    )
    payload["reviews"] = [review.as_dict() for review in record.reviews]
    payload["decision_state"] = (
        "recorded"
        if decision
        else "awaiting_confirmation"
        if record.awaiting_confirmation
        else "undecided"
    )
    payload["admission"] = record.admission.as_dict() if record.admission else None
    payload["second_line"] = record.referral.as_dict() if record.referral else None
    payload["travel"] = record.travel.as_dict() if record.travel else None
    return InspectionOut.model_validate(payload)


@router.post(
    "/{inspection_id}/decision", response_model_exclude_unset=True, responses=refusals(404, 409)
)
def decide(
    inspection_id: str, body: OfficerDecisionBody, actor: Inspecting, services: ServicesDep
) -> InspectionOut:
    """The officer admits, refers or refuses the traveller (once), with a reason code.

    An `admit` on a HIT is not recorded yet: the answer's `decision_state` is
    `awaiting_confirmation` (no crossing logged) until a supervisor confirms it
    (`POST /inspections/{id}/confirmation`). A `refer` puts the traveller in the
    second-line queue (`GET /second-line`).

    Idempotent: the same action and reason sent again answer the decision as taken
    (nothing recorded twice); another decision once one is taken (or awaits a
    supervisor) is refused with 409 naming it. An inspection out of the officer's scope
    (another booth's, another point's) is answered 404, as one that does not exist."""
    services.decisions.check(actor, inspection_id, body.action, body.reason_code)
    reasons = services.decisions.reasons_of(inspection_id)
    services.inspector.record_decision(inspection_id, body.action, body.reason_code, actor)
    return inspection_payload(services.inspector.get(inspection_id), reasons)


@router.post("/{inspection_id}/not-same-person", responses=refusals(404))
def not_same_person(
    inspection_id: str, body: NotSamePersonBody, actor: Inspecting, services: ServicesDep
) -> HitReviewOut:
    """The traveller is not this watchlist candidate: stored as false-positive feedback."""
    review = services.inspector.mark_not_same_person(inspection_id, body.watchlist_id, actor)
    return HitReviewOut.model_validate(review.as_dict())
