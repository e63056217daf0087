"""Reports of alert hits: filed on an inspection, listed on the inspection and on the alert."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from passerelle.access import Permission
from passerelle.api.models import AlertReportListOut, AlertReportOut, refusals
from passerelle.api.schemas import AlertReportBody
from passerelle.http.deps import ServicesDep, allowed
from passerelle.records.alert_reports import parse_report
from passerelle.store.audit import Actor

__all__ = ["router"]

router = APIRouter(tags=["alert reports"], responses=refusals(401, 403, 422))

Inspecting = Annotated[Actor, Depends(allowed(Permission.INSPECT))]
Managing = Annotated[Actor, Depends(allowed(Permission.MANAGE_ALERTS))]


@router.post("/inspections/{inspection_id}/reports", status_code=201, responses=refusals(404, 409))
def file_report(
    inspection_id: str, body: AlertReportBody, actor: Inspecting, services: ServicesDep
) -> AlertReportOut:
    """File the report an alert hit by this inspection asks for (a discreet check, a specific
    check, information): once per inspection and alert. A partner's alert's report is sent
    back to that partner. 422 naming `alert` when the inspection did not hit it or it expects
    no report; 409 when already filed."""
    draft = parse_report(body.model_dump())
    report = services.alert_reports().file(actor, inspection_id, draft)
    return AlertReportOut.model_validate(report.as_dict())


@router.get("/inspections/{inspection_id}/reports", responses=refusals(404))
def inspection_reports(
    inspection_id: str,
    actor: Annotated[Actor, Depends(allowed(Permission.INSPECT, Permission.REVIEW_HITS))],
    services: ServicesDep,
    purpose: Annotated[
        str, Query(min_length=1, max_length=500, description="Why (audited).")
    ] = "inspection follow-up",
) -> AlertReportListOut:
    """The reports filed from one inspection (audited: ``alert.report_read``)."""
    reports = services.alert_reports().read_of_inspection(actor, purpose, inspection_id)
    return AlertReportListOut.model_validate({"reports": [r.as_dict() for r in reports]})


@router.get("/alerts/{alert_id}/reports")
def alert_reports(
    alert_id: str,
    actor: Managing,
    services: ServicesDep,
    purpose: Annotated[
        str, Query(min_length=1, max_length=500, description="Why (audited).")
    ] = "alert management",
) -> AlertReportListOut:
    """The reports on one of this node's alerts: filed here, or sent back by the partners
    whose officers met its subject (audited)."""
    reports = services.alert_reports().on_own_alerts(actor, purpose, alert_id)
    return AlertReportListOut.model_validate({"reports": [r.as_dict() for r in reports]})
