"""``/federation/followups``: asking a partner for the record behind its hit, and answering one.

Analysts only (``review_hits``): officers, auditors and administrators are
refused. ``POST`` sends the request to the owner at once (422 naming
``reference`` when the owner refuses it); ``approve`` releases the record to
the asker, ``refuse`` (a note is required) tells it only "refused".
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import (
    FollowUpListOut,
    FollowUpOut,
    OutboxOut,
    RefusedSharesOut,
    refusals,
)
from passerelle.api.schemas import FollowUpDecisionBody, FollowUpRequestBody
from passerelle.federation.transport.outbox_status import outbox_status
from passerelle.http.deps import ServicesDep, allowed
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(prefix="/federation", tags=["federation"], responses=refusals(401, 403))

Analyst = Annotated[Actor, Depends(allowed(Permission.REVIEW_HITS))]


# exclude_unset: a released record carries only its own record type's keys (ReleasedRecordOut)
@router.post(
    "/followups",
    status_code=201,
    response_model_exclude_unset=True,
    responses=refusals(422, 502, 503),
)
def request_follow_up(
    body: FollowUpRequestBody, actor: Analyst, services: ServicesDep
) -> FollowUpOut:
    """Ask the partner that answered a hit for its record, with a justification."""
    view = services.follow_ups().request(body.reference, body.justification, by=actor)
    return FollowUpOut.model_validate(view.as_dict())


@router.get("/followups", response_model_exclude_unset=True, responses=refusals(422))
def list_follow_ups(
    actor: Analyst,
    services: ServicesDep,
    direction: Annotated[Literal["incoming", "outgoing"], Query()] = "incoming",
) -> FollowUpListOut:
    """Partners' requests to this node (``incoming``) or this node's (``outgoing``); audited."""
    views = services.follow_ups().listed(direction, by=actor)
    return FollowUpListOut.model_validate(
        {"direction": direction, "followups": [v.as_dict() for v in views]}
    )


@router.get("/refused-shares", responses=refusals(422))
def list_refused_shares(
    actor: Analyst,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    purpose: Annotated[
        str, Query(min_length=1, max_length=500, description="Why (audited).")
    ] = "federation oversight",
) -> RefusedSharesOut:
    """Records kept from partners by the sharing rules, newest first, with why (this node's
    analysts only: the partner was told ``no_hit``); audited (``federation.refused_shares``)."""
    shares = services.records.refused_shares(actor, purpose, limit=limit)
    return RefusedSharesOut.model_validate(
        {"refused_shares": [share.as_dict() for share in shares]}
    )


@router.get("/outbox")
def list_outbox(actor: Analyst, services: ServicesDep) -> OutboxOut:
    """Messages to each partner: waiting (to send or retry), parked (refused for good),
    delivered."""
    partners = outbox_status(services.node.database)
    return OutboxOut.model_validate({"outbox": [partner.as_json() for partner in partners]})


@router.post(
    "/followups/{followup_id}/approve",
    response_model_exclude_unset=True,
    responses=refusals(404, 409, 422),
)
def approve_follow_up(
    followup_id: str, body: FollowUpDecisionBody, actor: Analyst, services: ServicesDep
) -> FollowUpOut:
    """Release the referenced record (only it) to the asking partner."""
    view = services.follow_ups().approve(followup_id, body.note, by=actor)
    return FollowUpOut.model_validate(view.as_dict())


@router.post(
    "/followups/{followup_id}/refuse",
    response_model_exclude_unset=True,
    responses=refusals(404, 409, 422),
)
def refuse_follow_up(
    followup_id: str, body: FollowUpDecisionBody, actor: Analyst, services: ServicesDep
) -> FollowUpOut:
    """Refuse a partner's request (the note stays on this node)."""
    view = services.follow_ups().refuse(followup_id, body.note or "", by=actor)
    return FollowUpOut.model_validate(view.as_dict())
