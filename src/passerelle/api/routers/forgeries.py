"""``/forgeries``: the document examiner's catalogue of forged-document alerts, own and
partners', and their reference images (supervisors and analysts: ``examine_documents``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import refusals
from passerelle.api.models.forgeries import ForgeryImagesOut, ForgeryListOut
from passerelle.exc import NotFound
from passerelle.http.deps import ServicesDep, allowed
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(prefix="/forgeries", tags=["forgeries"], responses=refusals(401, 403, 422))

Examining = Annotated[Actor, Depends(allowed(Permission.EXAMINE_DOCUMENTS))]
OWN = "own"
"""The owner of this node's own alerts in the path (else the partner's state)."""


@router.get("")
def list_forgeries(
    actor: Examining,
    services: ServicesDep,
    purpose: Annotated[
        str, Query(min_length=1, max_length=500, description="Why (audited).")
    ] = "document examination",
) -> ForgeryListOut:
    """Every forged-document alert held, own and partners' (audited: ``forgery.search``)."""
    entries = services.forgeries().entries(actor, purpose)
    return ForgeryListOut.model_validate({"forgeries": [entry.as_dict() for entry in entries]})


@router.get("/{owner}/{alert_id}/images", responses=refusals(404))
def forgery_images(
    owner: str, alert_id: str, actor: Examining, services: ServicesDep
) -> ForgeryImagesOut:
    """A forgery alert's reference images (`owner`: `own`, or the partner's state); 404 when
    the node holds no such forgery alert."""
    images = services.forgeries().images(actor, None if owner == OWN else owner, alert_id)
    if images is None:
        raise NotFound("alert_id", f"no forgery alert {alert_id!r} of {owner} on this node")
    return ForgeryImagesOut.model_validate({"images": [image.as_json() for image in images]})
