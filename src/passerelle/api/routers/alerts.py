"""``/alerts``: the node's alerts: list, show, issue, and moves through their life cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.deps import ServicesDep, allowed
from passerelle.api.models import AlertDetailOut, AlertListOut, AlertOut, refusals
from passerelle.api.schemas import AlertChange, AlertIn
from passerelle.exchange import alert_sync
from passerelle.store.alert_values import ALERT_STATUSES
from passerelle.store.alerts import AlertRegistry
from passerelle.store.audit import Actor

__all__ = ["router"]

alert_sync.install()  # alerts issued or withdrawn here are queued for partners

router = APIRouter(prefix="/alerts", tags=["alerts"], responses=refusals(401, 403, 422))

Managing = Annotated[Actor, Depends(allowed(Permission.MANAGE_ALERTS))]
Purpose = Annotated[str, Query(min_length=1, max_length=500, description="Why (audited).")]


@router.get("")
def list_alerts(
    actor: Managing,
    services: ServicesDep,
    purpose: Purpose = "alert management",
    status: Annotated[str | None, Query(description="Only this status.")] = None,
) -> AlertListOut:
    """The node's alerts, oldest first (audited as a search)."""
    node = services.node
    with node.database.write() as session:
        alerts = AlertRegistry(node.audit).list(session, status)
        node.audit.record(
            session,
            actor=actor,
            action="alert.search",
            purpose=purpose,
            at=node.clock(),
            query={"status": status},
            result={"ids": [a.id for a in alerts]},
        )
    return AlertListOut.model_validate(
        {"alerts": [alert.as_dict() for alert in alerts], "statuses": sorted(ALERT_STATUSES)}
    )


@router.get("/{alert_id}", responses=refusals(404))
def show_alert(
    alert_id: str, actor: Managing, services: ServicesDep, purpose: Purpose = "alert management"
) -> AlertDetailOut:
    """One alert and its history (audited)."""
    node = services.node
    registry = AlertRegistry(node.audit)
    with node.database.write() as session:
        alert, events = registry.get(session, alert_id), registry.history(session, alert_id)
        node.audit.record(
            session,
            actor=actor,
            action="alert.show",
            purpose=purpose,
            at=node.clock(),
            query={"id": alert_id},
            result={"status": alert.status},
        )
    return AlertDetailOut.model_validate(
        {**alert.as_dict(), "history": [event.as_dict() for event in events]}
    )


@router.post("", status_code=201)
def issue_alert(actor: Managing, services: ServicesDep, alert: AlertIn) -> AlertOut:
    """Issue an alert (same JSON, same checks as ``passerelle alert issue``)."""
    node = services.node
    with node.database.write() as session:
        issued = AlertRegistry(node.audit).issue(
            session, alert.draft, actor=actor, now=node.clock()
        )
    return AlertOut.model_validate(issued.as_dict())


@router.post("/{alert_id}/withdraw", responses=refusals(404, 409))
def withdraw_alert(
    alert_id: str, body: AlertChange, actor: Managing, services: ServicesDep
) -> AlertOut:
    """Withdraw an alert for good, saying why."""
    node = services.node
    with node.database.write() as session:
        alert = AlertRegistry(node.audit).withdraw(
            session, alert_id, actor=actor, now=node.clock(), reason=body.reason
        )
    return AlertOut.model_validate(alert.as_dict())
