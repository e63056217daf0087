"""Officers' reports of alert hits (``alert_reports``): storing one once, and reading them.

A report filed at this node names its inspection; the pair (inspection, alert) is
unique, so a second report on the same alert from the same inspection is refused
(:class:`~passerelle.records.alert_reports.ReportAlreadyFiled`) before anything is
written. A report received from a partner on this node's alert has no inspection
here; its id (the partner's) is its key, so a redelivery stores nothing new.
The callers audit (``alert.report``, ``exchange.alert.report_receive``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.records.alert_reports import AlertReportView, ReportAlreadyFiled, ReportDraft
from passerelle.store.tables import AlertReport

__all__ = ["ReportEntry", "add_report", "report_view", "reports_of_inspection", "reports_on"]


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """Where and whom a report is about, beside the officer's words (:class:`ReportDraft`)."""

    id: str
    alert_reference: str
    alert_id: str
    issuing_state: str | None
    reported_by: str | None
    inspection_id: str | None
    action_code: str
    crossing_point: str
    direction: str
    seen_at: datetime
    traveller: dict[str, Any]
    filed_by: str
    filed_at: datetime


def report_view(row: AlertReport) -> AlertReportView:
    """The view of a stored report."""
    return AlertReportView(
        id=row.id,
        alert_reference=row.alert_reference,
        alert_id=row.alert_id,
        issuing_state=row.issuing_state,
        reported_by=row.reported_by,
        inspection_id=row.inspection_id,
        action_code=row.action_code,
        crossing_point=row.crossing_point,
        direction=row.direction,
        seen_at=row.seen_at,
        traveller=dict(row.traveller),
        observed=row.observed,
        companions=row.companions,
        vehicle=row.vehicle,
        route=row.route,
        filed_by=row.filed_by,
        filed_at=row.filed_at,
    )


def add_report(session: Session, entry: ReportEntry, draft: ReportDraft) -> AlertReportView | None:
    """Store a report; ``ReportAlreadyFiled`` when its inspection already reported on the
    alert; None (nothing written) when a report with its id is already stored."""
    if session.get(AlertReport, entry.id) is not None:
        return None
    if entry.inspection_id is not None:
        filed = session.scalar(
            select(AlertReport.id).where(
                AlertReport.inspection_id == entry.inspection_id,
                AlertReport.alert_reference == entry.alert_reference,
            )
        )
        if filed is not None:
            raise ReportAlreadyFiled(entry.alert_reference, entry.inspection_id)
    row = AlertReport(
        id=entry.id,
        alert_reference=entry.alert_reference,
        alert_id=entry.alert_id,
        issuing_state=entry.issuing_state,
        reported_by=entry.reported_by,
        inspection_id=entry.inspection_id,
        action_code=entry.action_code,
        crossing_point=entry.crossing_point,
        direction=entry.direction,
        seen_at=entry.seen_at,
        traveller=entry.traveller,
        observed=draft.observed,
        companions=draft.companions,
        vehicle=draft.vehicle,
        route=draft.route,
        filed_by=entry.filed_by,
        filed_at=entry.filed_at,
    )
    session.add(row)
    session.flush()
    return report_view(row)


def reports_on(
    session: Session, alert_id: str | None = None, issuing_state: str | None = None
) -> list[AlertReportView]:
    """The reports on an alert (every alert's when ``alert_id`` is None) of this node's own
    (``issuing_state`` None) or of a partner's, oldest first."""
    query = select(AlertReport).where(
        AlertReport.issuing_state.is_(None)
        if issuing_state is None
        else AlertReport.issuing_state == issuing_state
    )
    if alert_id is not None:
        query = query.where(AlertReport.alert_id == alert_id)
    rows = session.scalars(query.order_by(AlertReport.filed_at, AlertReport.id))
    return [report_view(row) for row in rows]


def reports_of_inspection(session: Session, inspection_id: str) -> list[AlertReportView]:
    """The reports filed from one inspection, oldest first."""
    rows = session.scalars(
        select(AlertReport)
        .where(AlertReport.inspection_id == inspection_id)
        .order_by(AlertReport.filed_at, AlertReport.id)
    )
    return [report_view(row) for row in rows]
