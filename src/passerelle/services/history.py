"""A traveller's history beside a verdict: the document's last crossings and last inspections
before this one (``traveller.history``: it discloses where the traveller went, so it is
audited, once per reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passerelle.access import Permission
from passerelle.access.scope import scoped_inspection
from passerelle.node import Node
from passerelle.records.inspections import InspectionView
from passerelle.services.common import AuditAction
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.crossings import CrossingView, crossings_of
from passerelle.store.hit_queue import inspections_of
from passerelle.store.inspections import InspectionRepository

__all__ = ["HISTORY_LENGTH", "TravellerHistory", "TravellerPast"]

HISTORY_LENGTH = 5
"""How many past crossings and past inspections a verdict shows."""


@dataclass(frozen=True, slots=True)
class TravellerPast:
    """The document's crossings and inspections before an inspection, newest first."""

    issuing_state: str | None
    document_number: str | None
    crossings: tuple[CrossingView, ...]
    inspections: tuple[InspectionView, ...]

    @property
    def known(self) -> bool:
        """Whether the document was read, so that a history could be looked for."""
        return bool(self.issuing_state and self.document_number)

    def as_dict(self) -> dict[str, Any]:
        return {
            "crossings": [
                {
                    "at": c.at.isoformat(),
                    "crossing_point": c.crossing_point,
                    "direction": c.direction,
                }
                for c in self.crossings
            ],
            "inspections": [
                {
                    "id": i.id,
                    "at": i.at.isoformat(),
                    "crossing_point": i.crossing_point,
                    "direction": i.direction,
                    "decision": i.decision,
                    "officer_action": i.action,
                    "reason_code": i.reason_code,
                }
                for i in self.inspections
            ],
        }


class TravellerHistory:
    """The past of the document an inspection read (``traveller.history``)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.repository = InspectionRepository(node.audit)

    def before(
        self, actor: Actor, purpose: str, inspection_id: str, *, limit: int = HISTORY_LENGTH
    ) -> TravellerPast:
        """The last ``limit`` crossings and inspections of the inspection's document up to
        its time, the crossing it logged and itself left out; nothing (and no audit record)
        when the document's state and number were not read. An unknown inspection is
        recorded ``not_found``."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.TRAVELLER_HISTORY,
                permissions=(Permission.INSPECT, Permission.REVIEW_HITS),
                purpose=purpose,
                query={"inspection": inspection_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            view = scoped_inspection(self.node, session, self.repository, actor, inspection_id)
            state, number = view.issuing_state, view.document_number
            if not (state and number):
                return TravellerPast(state, number, (), ())
            crossings = _crossings_before(
                crossings_of(session, state, number), view.at, view.crossing_id, limit
            )
            inspections = inspections_of(
                session, state, number, before=view.at, exclude=view.id, limit=limit
            )
            lookup.found(
                session,
                {
                    "issuing_state": state,
                    "document_number": number,
                    "crossings": [c.id for c in crossings],
                    "inspections": [i.id for i in inspections],
                },
            )
        return TravellerPast(state, number, tuple(crossings), tuple(inspections))


def _crossings_before(
    found: list[CrossingView], at: datetime, own: int | None, limit: int
) -> list[CrossingView]:
    """The newest ``limit`` crossings at or before ``at``, the inspection's own left out."""
    earlier = [c for c in found if c.at <= at and c.id != own]
    return list(reversed(earlier[-limit:]))
