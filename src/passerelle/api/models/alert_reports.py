"""Reports of alert hits: ``POST /inspections/{id}/reports`` and the lists of reports."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from passerelle.api.models.alerts import AlertActionCode
from passerelle.api.models.base import IsoDateTime, Out

__all__ = ["AlertReportListOut", "AlertReportOut"]


class AlertReportOut(Out):
    """An officer's report of a hit on an alert, for the alert's issuer."""

    id: str
    alert: str = Field(description="The alert as the inspection names it: id, or `STATE:id`.")
    alert_id: str = Field(description="The alert's id at its issuer.")
    issuing_state: str | None = Field(description="The partner whose alert it is; `null`: ours.")
    reported_by: str | None = Field(
        description="The partner that sent the report back; `null`: filed at this node."
    )
    inspection_id: str | None = Field(description="`null` for a report received from a partner.")
    action_code: AlertActionCode
    crossing_point: str
    direction: Literal["entry", "exit"]
    seen_at: IsoDateTime
    traveller: dict[str, str | None] = Field(description="The document as read at the border.")
    observed: str
    companions: str | None
    vehicle: str | None
    route: str | None
    filed_by: str
    filed_at: IsoDateTime


class AlertReportListOut(Out):
    """Reports, oldest first."""

    reports: tuple[AlertReportOut, ...]
