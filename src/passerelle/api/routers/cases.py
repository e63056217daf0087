"""``/cases``: analysts follow hit reviews up together, with notes, until a resolution.

Cases hold analysts' notes on people, so they need ``review_hits`` (analysts
only): officers, auditors (who see the case actions in the audit trail),
administrators and partner nodes are refused. Listing the cases (``case.list``)
and reading one (``case.read``, found or not) are audited; every change is audited
by the repository.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from passerelle.access import Permission
from passerelle.api.models import CaseListOut, CaseOut, NoteOut, refusals
from passerelle.api.schemas import CaseCloseBody, CaseLinkBody, CaseOpenBody, NoteBody
from passerelle.http.deps import ServicesDep, allowed
from passerelle.store.audit import Actor
from passerelle.store.cases import CaseRepository, CaseView

__all__ = ["case_payload", "router"]

router = APIRouter(prefix="/cases", tags=["cases"], responses=refusals(401, 403, 422))

Reviewing = Annotated[Actor, Depends(allowed(Permission.REVIEW_HITS))]


def case_payload(repository: CaseRepository, session: Session, case: CaseView) -> CaseOut:
    """The case as the API shows it: its fields, notes, and its hit reviews in full."""
    reviews = repository.reviews_in(session, case.id)
    return CaseOut.model_validate(
        {**case.as_dict(), "reviews": [review.as_dict() for review in reviews]}
    )


@router.get("")
def list_cases(
    actor: Reviewing,
    services: ServicesDep,
    status: Literal["open", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    purpose: Annotated[str, Query(min_length=1, max_length=500)] = "case work",
) -> CaseListOut:
    """Cases, open ones first and newest first, with how many notes each holds (audited:
    ``case.list``)."""
    listed = services.records.cases_listed(actor, purpose, status=status, limit=limit)
    return CaseListOut.model_validate(
        {"cases": [case.as_dict(with_notes=False) for case in listed]}
    )


@router.post("", status_code=201, responses=refusals(404, 409))
def open_case(body: CaseOpenBody, actor: Reviewing, services: ServicesDep) -> CaseOut:
    """Open a case (``CASE-YYYY-NNNN``) on hit reviews not yet in a case; audited."""
    node = services.node
    repository = CaseRepository(node.audit)
    with node.database.write() as session:
        case = repository.open(
            session,
            review_ids=body.review_ids,
            title=body.title,
            note=body.note,
            by=actor,
            now=node.clock(),
        )
        return case_payload(repository, session, case)


@router.get("/{case_id}", responses=refusals(404))
def get_case(
    case_id: str,
    actor: Reviewing,
    services: ServicesDep,
    purpose: Annotated[str, Query(min_length=1, max_length=500)] = "case work",
) -> CaseOut:
    """A case with its notes and hit reviews (the disclosure is audited: ``case.read``)."""
    return CaseOut.model_validate(services.records.case(actor, purpose, case_id).as_dict())


@router.post("/{case_id}/notes", status_code=201, responses=refusals(404, 409))
def add_note(case_id: str, body: NoteBody, actor: Reviewing, services: ServicesDep) -> NoteOut:
    """Add a note to an open case's thread; a closed case refuses it."""
    node = services.node
    with node.database.write() as session:
        note = CaseRepository(node.audit).add_note(
            session, case_id, body.text, by=actor, now=node.clock()
        )
    return NoteOut.model_validate(note.as_dict())


@router.post("/{case_id}/reviews", responses=refusals(404, 409))
def link_reviews(
    case_id: str, body: CaseLinkBody, actor: Reviewing, services: ServicesDep
) -> CaseOut:
    """Link more hit reviews to an open case (each review is in one case at most)."""
    node = services.node
    repository = CaseRepository(node.audit)
    with node.database.write() as session:
        case = repository.link(session, case_id, body.review_ids, by=actor, now=node.clock())
        return case_payload(repository, session, case)


@router.post("/{case_id}/close", responses=refusals(404, 409))
def close_case(
    case_id: str, body: CaseCloseBody, actor: Reviewing, services: ServicesDep
) -> CaseOut:
    """Close an open case with its resolution (final)."""
    node = services.node
    repository = CaseRepository(node.audit)
    with node.database.write() as session:
        case = repository.close(
            session, case_id, resolution=body.resolution, by=actor, now=node.clock()
        )
        return case_payload(repository, session, case)
