"""``/alerts``: the node's alerts: list, show, issue, and moves through their life cycle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from passerelle.access import Permission
from passerelle.api.schemas import AlertChange
from passerelle.http.deps import ServicesDep, allowed
from passerelle.records.alerts import ALERT_STATUSES, parse_alert
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(prefix="/alerts", tags=["alerts"])

Managing = Annotated[Actor, Depends(allowed(Permission.MANAGE_ALERTS))]
Purpose = Annotated[str, Query(min_length=1, max_length=500, description="Why (audited).")]


@router.get("")
def list_alerts(
    actor: Managing,
    services: ServicesDep,
    purpose: Purpose = "alert management",
    status: Annotated[str | None, Query(description="Only this status.")] = None,
) -> dict[str, Any]:
    """The node's alerts, oldest first (audited as a search)."""
    node = services.node
    with node.database.write() as session:
        alerts = services.alerts.list(session, status)
        node.audit.record(
            session,
            actor=actor,
            action="alert.search",
            purpose=purpose,
            at=node.clock(),
            query={"status": status},
            result={"ids": [a.id for a in alerts]},
        )
    return {"alerts": [alert.as_dict() for alert in alerts], "statuses": sorted(ALERT_STATUSES)}


@router.get("/{alert_id}")
def show_alert(
    alert_id: str, actor: Managing, services: ServicesDep, purpose: Purpose = "alert management"
) -> dict[str, Any]:
    """One alert and its history (audited)."""
    node = services.node
    registry = services.alerts
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
    return {**alert.as_dict(), "history": [event.as_dict() for event in events]}


@router.post("", status_code=201)
def issue_alert(
    actor: Managing, services: ServicesDep, alert: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Issue an alert (same JSON as ``passerelle alert issue``)."""
    node = services.node
    draft = parse_alert(alert)
    with node.database.write() as session:
        issued = services.alerts.issue(session, draft, actor=actor, now=node.clock())
    return issued.as_dict()


@router.post("/{alert_id}/withdraw")
def withdraw_alert(
    alert_id: str, body: AlertChange, actor: Managing, services: ServicesDep
) -> dict[str, Any]:
    """Withdraw an alert for good, saying why."""
    node = services.node
    with node.database.write() as session:
        alert = services.alerts.withdraw(
            session, alert_id, actor=actor, now=node.clock(), reason=body.reason
        )
    return alert.as_dict()
