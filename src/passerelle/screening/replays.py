"""A retried inspection request, answered with the inspection it already made.

A booth's client names each inspection request with an id of its own
(``InspectionRequest.request_id``) and sends the same id again when the answer did
not come back: the connection was cut, the host behind the load balancer died, the
balancer answered 502. The node keeps the id on the inspection, unique per officer
(``ux_inspections_request``, migration 0029), so that:

- a retry that finds its inspection stored is answered with it (same inspection id,
  same verdict) before any check runs, and nothing is written again: no second
  inspection, crossing, hit review or ``inspection.search`` audit record. The replay
  is not audited either: it discloses to the same officer what the first answer did,
  whose disclosure the first record holds (``inspection.replayed`` is logged);
- two hosts that run the same request at once (a retry sent while the first attempt
  was still running elsewhere) both try to store it: the unique index lets one in, the
  other's transaction is rolled back whole and it answers with the winner's inspection;
- an id already used by the officer for another document, crossing point or direction
  is refused (``RequestIdReused``, 409 naming ``request_id``): a client reusing ids must
  not be given another traveller's verdict.

An id is the officer's own: another officer's request under the same id is another
inspection. A request that the node could not store (the database down) left nothing
under its id: its retry runs the checks again.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from passerelle.documents import DocumentCheck
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.node import Node
from passerelle.records.inspections import RequestIdReused
from passerelle.screening.model import InspectionRequest, InspectionResult
from passerelle.store.db import DatabaseFault
from passerelle.store.inspections import InspectionRepository, InspectionView

__all__ = ["answered_before"]

log = logging.getLogger(__name__)


def answered_before(
    node: Node,
    repository: InspectionRepository,
    request: InspectionRequest,
    check: DocumentCheck | None,
) -> InspectionResult | None:
    """The inspection the officer already made under the request's id, as it stands now
    (its crossing as the officer's decision left it); None when there is none, when the
    request carries no id, or when the database cannot be read (the checks then run and
    their store says what failed).

    Raises ``RequestIdReused`` when that inspection is of another document (``check``'s
    issuing state and number, when read), crossing point or direction.
    """
    if request.request_id is None:
        return None
    try:
        with node.database.lookup() as session:  # one indexed statement, no transaction
            view = repository.requested(session, request.officer.name, request.request_id)
    except DatabaseFault:
        return None
    if view is None:
        return None
    _refuse_another_request(view, request, check)
    log.info("inspection.replayed", extra={"inspection": view.id, "decision": view.decision})
    return replace(InspectionResult.from_dict(view.result), crossing_id=view.crossing_id)


def _refuse_another_request(
    view: InspectionView, request: InspectionRequest, check: DocumentCheck | None
) -> None:
    """``RequestIdReused`` unless ``request`` is the one ``view`` was stored for."""
    point = request.crossing_point.strip().upper()
    document = (view.issuing_state, view.document_number)
    asked = (check.issuing_state, (check.document_number or "")[:24] or None) if check else None
    same_place = view.crossing_point == point and view.direction == request.direction
    if same_place and (asked is None or asked == document):
        return
    raise RequestIdReused(
        "request_id",
        worded(
            N_(
                "%(request_id)s was already used for inspection %(inspection)s of another "
                "document, crossing point or direction: give each new inspection a new id"
            ),
            request_id=repr(request.request_id),
            inspection=view.id,
        ),
    )
