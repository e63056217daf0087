"""``/alerts``: the node's alerts: list, show, issue, and moves through their life cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import AlertDetailOut, AlertListOut, AlertOut, refusals
from passerelle.api.schemas import AlertChange, AlertIn
from passerelle.http.deps import ServicesDep, allowed
from passerelle.records.alerts import ALERT_STATUSES
from passerelle.store.alerts import UnknownAlert
from passerelle.store.audit import Actor

__all__ = ["router"]

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
    alerts = services.alerts.search(actor, purpose, status)
    return AlertListOut.model_validate(
        {"alerts": [alert.as_dict() for alert in alerts], "statuses": sorted(ALERT_STATUSES)}
    )


@router.get("/{alert_id}", responses=refusals(404))
def show_alert(
    alert_id: str, actor: Managing, services: ServicesDep, purpose: Purpose = "alert management"
) -> AlertDetailOut:
    """One alert and its history (audited, found or not)."""
    found = services.alerts.show(actor, purpose, alert_id)
    if found is None:
        raise UnknownAlert(alert_id)
    return AlertDetailOut.model_validate(found.as_dict())


@router.post("", status_code=201)
def issue_alert(actor: Managing, services: ServicesDep, alert: AlertIn) -> AlertOut:
    """Issue an alert (same JSON, same checks as ``passerelle alert issue``)."""
    return AlertOut.model_validate(services.alerts.issue(actor, alert.draft).as_dict())


@router.post("/{alert_id}/withdraw", responses=refusals(404, 409))
def withdraw_alert(
    alert_id: str, body: AlertChange, actor: Managing, services: ServicesDep
) -> AlertOut:
    """Withdraw an alert for good, saying why."""
    return AlertOut.model_validate(
        services.alerts.move(actor, alert_id, "withdraw", body.reason).as_dict()
    )
