"""``/alerts``: the node's alerts: list, show, issue, and moves through their life cycle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from passerelle.access import Permission
from passerelle.api.schemas import AlertChange
from passerelle.http.deps import ServicesDep, allowed
from passerelle.records.alerts import ALERT_STATUSES, parse_alert
from passerelle.store.alerts import UnknownAlert
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
    alerts = services.alerts.search(actor, purpose, status)
    return {"alerts": [alert.as_dict() for alert in alerts], "statuses": sorted(ALERT_STATUSES)}


@router.get("/{alert_id}")
def show_alert(
    alert_id: str, actor: Managing, services: ServicesDep, purpose: Purpose = "alert management"
) -> dict[str, Any]:
    """One alert and its history (audited)."""
    found = services.alerts.show(actor, purpose, alert_id)
    if found is None:
        raise UnknownAlert(alert_id)
    return found.as_dict()


@router.post("", status_code=201)
def issue_alert(
    actor: Managing, services: ServicesDep, alert: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Issue an alert (same JSON as ``passerelle alert issue``)."""
    return services.alerts.issue(actor, parse_alert(alert)).as_dict()


@router.post("/{alert_id}/withdraw")
def withdraw_alert(
    alert_id: str, body: AlertChange, actor: Managing, services: ServicesDep
) -> dict[str, Any]:
    """Withdraw an alert for good, saying why."""
    return services.alerts.move(actor, alert_id, "withdraw", body.reason).as_dict()
