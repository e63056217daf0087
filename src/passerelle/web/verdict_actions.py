"""What the verdict page shows of the action the alerts ask for: the banner, the quiet note.

A hit that asks for an arrest, a travel ban's refusal, a seizure or a specific
check gets its own banner, so the officer reads what to do before why. A discreet
check (or an alert for information) changes neither the decision nor the banner:
the screen a traveller can read across the booth shows the usual verdict, and the
officer gets a small neutral note ("Report: follow the instruction") whose
instruction, contact and report form stay folded until opened
(``verdict_actions.html``). A report filed shows as recorded in its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from passerelle.i18n import N_
from passerelle.records.alert_actions import ACTIONS
from passerelle.records.alert_reports import AlertReportView
from passerelle.screening import InspectionRecord, InspectionResult
from passerelle.services.alert_reports import reportable
from passerelle.web.wording import action_label, finding_action, finding_contact, finding_text

__all__ = ["ACTION_BANNERS", "action_banner", "action_notes"]

ACTION_BANNERS: dict[str, tuple[str, str]] = {
    "arrest": (
        N_("HIT — ARREST"),
        N_(
            "Keep the traveller at the booth, calmly, and call the duty officer. "
            "Follow the action below."
        ),
    ),
    "refuse_crossing": (
        N_("HIT — TRAVEL BAN"),
        N_("Do not let the traveller cross: entry or exit is refused. Follow the action below."),
    ),
    "seize": (
        N_("HIT — SEIZE"),
        N_("Keep the document: it is to be seized against a receipt. Follow the action below."),
    ),
    "specific_check": (
        N_("REFER — SPECIFIC CHECK"),
        N_("Second line searches and questions the traveller, then reports. See why below."),
    ),
}
"""Each loud action's banner: title and what to do (a discreet check has none), marked for the
catalogues and translated where the verdict shows them."""


def action_banner(result: InspectionResult) -> tuple[str, str] | None:
    """The banner of the action the verdict stands on, or None for the decision's own.

    Only when the decision is the action's (a seizure's hit, a specific check's
    referral): a referral for an expired passport that also hit a discreet check
    keeps the referral's banner, and a discreet check never gets one.
    """
    action = ACTIONS.get(result.action or "")
    if action is None or action.effect != result.decision:
        return None
    return ACTION_BANNERS.get(action.code)


def action_notes(
    record: InspectionRecord, reports: Sequence[AlertReportView] = ()
) -> dict[str, Any]:
    """The verdict's context for ``verdict_actions.html``: a note per alert that asks for a
    report, with the report filed on it (None until filed)."""
    result = record.result
    filed = {report.alert_reference: report for report in reports}
    notes = []
    for finding in reportable(result.findings):
        action = ACTIONS[finding.alert_action or "inform"]
        report = filed.get(finding.reference or "")
        notes.append(
            {
                "reference": finding.reference,
                "label": action_label(action.code),
                "quiet": action.effect == "report",
                "message": finding_text(finding),
                "instruction": finding_action(finding),
                "contact": finding_contact(finding),
                "report": (
                    {
                        "by": report.filed_by,
                        "at": report.filed_at,
                        "observed": report.observed,
                    }
                    if report
                    else None
                ),
            }
        )
    return {"action_notes": notes, "inspection_id": result.inspection_id}
