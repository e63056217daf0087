"""Which reasons an officer may give for a decision on an inspection: its direction's.

The catalogue may give entry and exit their own reasons
(``records.decision_reasons``); the booth and the API check a decision against
the reasons of the inspection's direction, before anything is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from passerelle.access.scope import scoped_inspection
from passerelle.node import Node
from passerelle.records.catalogues import Catalogues, DecisionReasons
from passerelle.screening import Inspector
from passerelle.store.audit import Actor

__all__ = ["DecisionReasoning"]


class DecisionReasoning:
    """The node's decision reasons, as they apply to one stored inspection."""

    def __init__(
        self,
        node: Node,
        inspector: Inspector,
        catalogues: Catalogues | Callable[[], Catalogues],
    ) -> None:
        """``catalogues``: the catalogue, or what gives the one in force at each call."""
        self.node = node
        self.inspector = inspector
        self._catalogues = catalogues

    @property
    def catalogues(self) -> Catalogues:
        """The catalogue in force now."""
        given = self._catalogues
        return given if isinstance(given, Catalogues) else given()

    def direction(self, inspection_id: str) -> str:
        """``entry`` or ``exit``: the inspection's direction (``UnknownInspection`` if none)."""
        with self.node.database.read() as session:
            return self.inspector.repository.get(session, inspection_id).direction

    def reasons_of(self, inspection_id: str) -> DecisionReasons:
        """The reasons offered on the inspection's direction."""
        return self.catalogues.reasons_for(self.direction(inspection_id))

    def check(self, actor: Actor, inspection_id: str, action: str, reason_code: str) -> None:
        """Refuse (``InvalidInput`` naming ``reason_code``) a reason not offered for ``action``
        on the inspection's direction; an inspection out of ``actor``'s scope is refused
        first, as unknown (404), so a wrong reason tells nothing of another booth's checks."""
        node = self.node
        with node.database.read() as session:
            view = scoped_inspection(node, session, self.inspector.repository, actor, inspection_id)
        self.catalogues.check_decision(action, reason_code, view.direction)

    def label(self, reason_code: str, direction: str) -> str:
        """The reason's label on ``direction`` (the code when the catalogue lacks it)."""
        return self.catalogues.reasons_for(direction).label_of(reason_code)
