"""Managing the node's alerts: searching and reading them (audited here), issuing and moving
them through their life (audited by the registry, queued for partners by its listener)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from passerelle.access import Permission
from passerelle.node import Node
from passerelle.records.alerts import AlertDraft, AlertEventView, AlertView
from passerelle.services.common import AuditAction, permitted
from passerelle.services.lookups import audited_lookup
from passerelle.store.alert_numbers import next_alert_id
from passerelle.store.alerts import AlertRegistry, UnknownAlert
from passerelle.store.audit import Actor

__all__ = ["AlertDesk", "AlertFile", "AlertMove"]

AlertMove = Literal["hit", "rearm", "withdraw"]
"""The moves an analyst makes by hand (expiry is the daily sweep's)."""


@dataclass(frozen=True, slots=True)
class AlertFile:
    """One alert and its history, oldest step first."""

    alert: AlertView
    history: tuple[AlertEventView, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**self.alert.as_dict(), "history": [event.as_dict() for event in self.history]}


class AlertDesk:
    """The analysts' alert management, over the registry the composition root built (the one
    whose listener queues every step for the partners)."""

    def __init__(self, node: Node, registry: AlertRegistry) -> None:
        self.node = node
        self.registry = registry

    def search(self, actor: Actor, purpose: str, status: str | None = None) -> list[AlertView]:
        """The node's alerts (only ``status`` ones when given), oldest first (``alert.search``,
        the ids listed)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.ALERT_SEARCH,
                permissions=(Permission.MANAGE_ALERTS,),
                purpose=purpose,
                query={"status": status},
            ) as lookup,
            self.node.database.write() as session,
        ):
            alerts = self.registry.list(session, status)
            lookup.listed(session, [alert.id for alert in alerts])
        return alerts

    def show(self, actor: Actor, purpose: str, alert_id: str) -> AlertFile | None:
        """One alert and its history, or None when there is no such alert (``alert.show``,
        recorded either way, ``found`` or ``not_found``: looking for an alert that is not
        there is a search too)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.ALERT_SHOW,
                permissions=(Permission.MANAGE_ALERTS,),
                purpose=purpose,
                query={"id": alert_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            try:
                alert = self.registry.get(session, alert_id)
            except UnknownAlert:
                lookup.missing(session, {"status": None})
                return None
            found = AlertFile(alert, tuple(self.registry.history(session, alert_id)))
            lookup.found(session, {"status": alert.status})
        return found

    def issue(self, actor: Actor, draft: AlertDraft) -> AlertView:
        """Issue a new alert (``alert.issue``, and queued for the partners it may reach); one
        without an id gets the node's next (``MAR-A-2026-0007``, :mod:`store.alert_numbers`),
        whichever face issues it: the pages, the API or the command line."""
        permitted(actor, Permission.MANAGE_ALERTS)
        node = self.node
        with node.database.write() as session:
            now = node.clock()
            if draft.id is None:
                numbered = next_alert_id(session, node.settings.node, now.year)
                draft = replace(draft, id=numbered)
            return self.registry.issue(session, draft, actor=actor, now=now)

    def move(self, actor: Actor, alert_id: str, move: AlertMove, reason: str) -> AlertView:
        """Record a hit on an alert, re-arm it, or withdraw it for good, saying why."""
        permitted(actor, Permission.MANAGE_ALERTS)
        node = self.node
        registry = self.registry
        step = {"hit": registry.record_hit, "rearm": registry.rearm, "withdraw": registry.withdraw}
        with node.database.write() as session:
            return step[move](session, alert_id, actor=actor, now=node.clock(), reason=reason)

    def expire_due(self, actor: Actor, as_of: date) -> list[AlertView]:
        """Expire every live alert past its ``valid_until`` on ``as_of`` (the daily sweep)."""
        permitted(actor, Permission.MANAGE_ALERTS)
        node = self.node
        with node.database.write() as session:
            return self.registry.expire_due(session, as_of, node.clock(), actor=actor)
