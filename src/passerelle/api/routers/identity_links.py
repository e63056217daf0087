"""``/identity-links``: the multiple-identity links, their evidence, and their resolution.

Listing (``identity_link.list``) and reading one link's evidence (``identity_link.read``,
found or not: both records' personal data) are audited with the purpose given; a
resolution is audited by the repository (``identity_link.resolve``). Analysts
(``review_hits``) read and resolve; supervisors (``change_link_colour``) read and may
change a resolved link's colour, which an analyst may not (422, field ``colour``).
``POST /identity-links/ask`` asks every partner whether a record is known there under
another identity; a hit opens a yellow link (``origin`` ``partner``), and
``POST /identity-links/{id}/follow-up`` asks that partner for the record behind it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import refusals
from passerelle.api.models.federation import FollowUpOut
from passerelle.api.models.identity_links import (
    AskedPartnersOut,
    AskIdentityBody,
    IdentityLinkListOut,
    IdentityLinkOut,
    LinkEvidenceDetailOut,
    LinkFollowUpBody,
    LinkResolutionBody,
)
from passerelle.http.deps import ServicesDep, allowed
from passerelle.http.ids import PathId
from passerelle.records.identity_links import LinkEnd
from passerelle.services.identity_links import LINK_WORK
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(
    prefix="/identity-links", tags=["identity links"], responses=refusals(401, 403, 422)
)

Reading = Annotated[Actor, Depends(allowed(Permission.REVIEW_HITS, Permission.CHANGE_LINK_COLOUR))]
Reviewing = Annotated[Actor, Depends(allowed(Permission.REVIEW_HITS))]
Purpose = Annotated[str, Query(min_length=1, max_length=500)]


@router.get("")
def list_identity_links(
    actor: Reading,
    services: ServicesDep,
    colour: Literal["yellow", "red", "green", "white"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    purpose: Purpose = LINK_WORK,
) -> IdentityLinkListOut:
    """Links of one colour (every colour when none), most probable first, with the counts
    of each colour (audited: ``identity_link.list``)."""
    listed = services.identity_links().listed(actor, purpose, colour=colour, limit=limit)
    return IdentityLinkListOut.model_validate(
        {"links": [link.as_dict() for link in listed.links], "counts": listed.counts}
    )


@router.post("/ask")
def ask_partners(
    body: AskIdentityBody, actor: Reviewing, services: ServicesDep
) -> AskedPartnersOut:
    """Ask every partner covering identity queries whether this record's person is known
    there under another identity; each hit opens a yellow link (audited as a search)."""
    asked = services.identity_asking().ask(actor, body.purpose, LinkEnd(body.kind, body.ref))
    return AskedPartnersOut.model_validate(
        {
            "record": asked.record.as_dict(),
            "answers": [
                {
                    "peer": a.peer,
                    "status": a.status,
                    "reference": a.reference,
                    "score_band": a.score_band,
                }
                for a in asked.answers
            ],
            "link_ids": list(asked.link_ids),
        }
    )


@router.get("/{link_id}", responses=refusals(404))
def get_identity_link(
    link_id: PathId, actor: Reading, services: ServicesDep, purpose: Purpose = LINK_WORK
) -> LinkEvidenceDetailOut:
    """One link with both records side by side (the disclosure is audited:
    ``identity_link.read``)."""
    evidence = services.identity_links().evidence(actor, purpose, link_id)
    return LinkEvidenceDetailOut.model_validate(evidence.as_dict())


@router.post("/{link_id}/resolution", responses=refusals(404))
def resolve_identity_link(
    link_id: PathId, body: LinkResolutionBody, actor: Reading, services: ServicesDep
) -> IdentityLinkOut:
    """Give the link its colour with a note (audited); a resolved link changes colour only
    for a supervisor."""
    view = services.identity_links().resolve(actor, link_id, colour=body.colour, note=body.note)
    return IdentityLinkOut.model_validate(view.as_dict())


@router.post("/{link_id}/follow-up", status_code=201, responses=refusals(404, 502, 503))
def ask_link_follow_up(
    link_id: PathId, body: LinkFollowUpBody, actor: Reviewing, services: ServicesDep
) -> FollowUpOut:
    """Ask the partner behind a cross-border link for its record (a follow-up the
    partner's analyst approves or refuses)."""
    view = services.identity_links().ask_follow_up(actor, link_id, body.justification)
    return FollowUpOut.model_validate(view.as_dict())
