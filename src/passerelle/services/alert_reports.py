"""Reports of alert hits: the officer files one from the verdict, analysts read them on the alert.

An alert whose action expects a report (``alert_actions.REPORTED``: a discreet check,
a specific check, information) gets one from the officer who met it: what was
observed, companions, vehicle, route. :meth:`AlertReports.file` stores it once per
inspection and alert, audited ``alert.report`` in the same transaction; a report on a
partner's alert is queued in that transaction for the partner that issued it
(``federation.alerts.hit_reports``), so it reaches it even if the link is down now.
A report on this node's own alert stays here: analysts read it on the alert
(:meth:`AlertReports.on_own_alerts`, audited ``alert.report_read``), beside those
partners sent back on the alerts they were given.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from passerelle.access import Permission
from passerelle.access.scope import scoped_inspection
from passerelle.exc import InvalidInput
from passerelle.federation.alerts.hit_reports import queue_hit_report
from passerelle.node import Node
from passerelle.records.alert_actions import ACTIONS, REPORTED
from passerelle.records.alert_reports import AlertReportView, ReportDraft
from passerelle.screening.model import Finding, InspectionResult
from passerelle.services.common import AuditAction, permitted
from passerelle.services.lookups import audited_lookup
from passerelle.store.alert_reports import (
    ReportEntry,
    add_report,
    reports_of_inspection,
    reports_on,
)
from passerelle.store.audit import Actor
from passerelle.store.inspections import InspectionRepository
from passerelle.store.tables import Alert, PartnerAlert

__all__ = ["AlertReports", "reportable"]

_TRAVELLER = (
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "birth_date",
    "nationality",
)


def reportable(findings: Sequence[Finding]) -> list[Finding]:
    """The findings of an inspection that ask the officer for a report: alerts hit whose
    action expects one (one per alert, in the order found)."""
    seen: set[str] = set()
    out: list[Finding] = []
    for finding in findings:
        if (
            finding.source == "alerts"
            and finding.reference
            and finding.alert_action in REPORTED
            and finding.severity != "info"
            and finding.reference not in seen
        ):
            seen.add(finding.reference)
            out.append(finding)
    return out


class AlertReports:
    """Filing reports of alert hits and reading them."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.inspections = InspectionRepository(node.audit)

    def file(self, actor: Actor, inspection_id: str, draft: ReportDraft) -> AlertReportView:
        """File the officer's report on ``draft.alert``, hit by ``inspection_id`` (once).

        Refused naming the field, nothing written: an unknown inspection (``id``), an
        alert the inspection did not hit or whose action expects no report (``alert``),
        a second report on the same alert from the same inspection (``alert``).
        """
        permitted(actor, Permission.INSPECT)
        node = self.node
        now = node.clock()
        with node.database.write() as session:
            view = scoped_inspection(node, session, self.inspections, actor, inspection_id)
            result = InspectionResult.from_dict(view.result)
            finding = _asking(result, draft.alert, inspection_id)
            own = session.get(Alert, draft.alert)
            state: str | None = None
            alert_id = draft.alert
            if own is None:
                state, _, alert_id = draft.alert.partition(":")
                if session.get(PartnerAlert, (state, alert_id)) is None:
                    raise InvalidInput("alert", f"alert {draft.alert} is no longer held here")
            entry = ReportEntry(
                id=uuid.uuid4().hex,
                alert_reference=draft.alert,
                alert_id=alert_id,
                issuing_state=state,
                reported_by=None,
                inspection_id=inspection_id,
                action_code=finding.alert_action or "inform",
                crossing_point=view.crossing_point,
                direction=view.direction,
                seen_at=view.at,
                traveller={key: result.document.get(key) for key in _TRAVELLER},
                filed_by=actor.name,
                filed_at=now,
            )
            report = add_report(session, entry, draft)
            assert report is not None, "a fresh uuid is never stored already"
            sent = queue_hit_report(session, report, now=now)
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.ALERT_REPORT,
                purpose=f"report asked by alert {draft.alert} ({report.action_code})",
                at=now,
                query={"inspection": inspection_id, "alert": draft.alert},
                result={"report": report.id, "sent_to": state if sent else None},
            )
        return report

    def of_inspection(self, actor: Actor, inspection_id: str) -> list[AlertReportView]:
        """The reports filed from one inspection, shown on a page that read (and audited) the
        inspection: not a disclosure of its own (the API's reading is
        :meth:`read_of_inspection`)."""
        permitted(actor, Permission.INSPECT, Permission.REVIEW_HITS)
        with self.node.database.read() as session:
            scoped_inspection(self.node, session, self.inspections, actor, inspection_id)
            return reports_of_inspection(session, inspection_id)

    def read_of_inspection(
        self, actor: Actor, purpose: str, inspection_id: str
    ) -> list[AlertReportView]:
        """The reports filed from one inspection, asked for on their own (``alert.report_read``,
        the report ids listed)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.ALERT_REPORT_READ,
                permissions=(Permission.INSPECT, Permission.REVIEW_HITS),
                purpose=purpose,
                query={"inspection": inspection_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            scoped_inspection(self.node, session, self.inspections, actor, inspection_id)
            reports = reports_of_inspection(session, inspection_id)
            lookup.listed(session, [report.id for report in reports], key="reports")
        return reports

    def on_own_alerts(
        self, actor: Actor, purpose: str, alert_id: str | None = None
    ) -> list[AlertReportView]:
        """The reports on this node's alerts (one alert's when ``alert_id``), filed here or
        sent back by partners, oldest first (``alert.report_read``)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.ALERT_REPORT_READ,
                permissions=(Permission.MANAGE_ALERTS,),
                purpose=purpose,
                query={"alert": alert_id},
            ) as lookup,
            self.node.database.write() as session,
        ):
            reports = reports_on(session, alert_id)
            lookup.listed(session, [report.id for report in reports], key="reports")
        return reports


def _asking(result: InspectionResult, alert: str, inspection_id: str) -> Finding:
    """The finding of ``alert`` in ``result`` that asks for a report; else ``InvalidInput``."""
    for finding in reportable(result.findings):
        if finding.reference == alert:
            return finding
    hit = next((f for f in result.findings if f.source == "alerts" and f.reference == alert), None)
    action = ACTIONS.get(hit.alert_action or "") if hit is not None else None
    if action is not None:
        label = action.label
        raise InvalidInput("alert", f"alert {alert} asks for '{label}': no report is expected")
    raise InvalidInput("alert", f"{alert!r} is not an alert hit by inspection {inspection_id}")
