"""One decision per inspection: what a decision asked again is answered, and what conflicts.

The same decision (action and reason) asked again, a double submit or a retry after
a lost answer, is answered as it was taken, and nothing is written again; another is
refused with :class:`~passerelle.records.inspections.DecisionConflict` (409) naming
the decision taken, or the admission awaiting a supervisor. A supervisor's decline
leaves the inspection undecided, so the officer decides again as before.
"""

from __future__ import annotations

from passerelle.records.inspections import DecisionConflict, InspectionView
from passerelle.records.second_line import AdmissionView
from passerelle.screening.model import OfficerAction, OfficerDecision

__all__ = ["decision_taken", "officer_action"]


def decision_taken(
    view: InspectionView, awaiting: AdmissionView | None, action: str, reason_code: str
) -> OfficerDecision | None:
    """The decision already taken on the inspection when it is the one asked (answered
    again as it was); ``None`` when none is taken. Another decision: ``DecisionConflict``."""
    if view.action is not None:
        if (view.action, view.reason_code) == (action, reason_code):
            return OfficerDecision(
                view.id,
                officer_action(view.action),
                reason_code,
                view.decided_by or "",
                view.decided_at or view.at,
                view.crossing_id,
            )
        raise DecisionConflict(
            "action",
            f"inspection {view.id} was already decided: {view.action} ({view.reason_code}) "
            f"by {view.decided_by}",
        )
    if awaiting is not None:
        if (action, reason_code) == ("admit", awaiting.reason_code):
            return OfficerDecision(
                view.id,
                "admit",
                reason_code,
                awaiting.requested_by,
                awaiting.requested_at,
                None,
                awaiting_confirmation=True,
            )
        raise DecisionConflict(
            "action",
            f"inspection {view.id} awaits a supervisor's confirmation of "
            f"{awaiting.requested_by}'s admission ({awaiting.reason_code})",
        )
    return None


def officer_action(value: str) -> OfficerAction:
    """The stored action as an :data:`OfficerAction` (``refuse`` for anything else)."""
    return "admit" if value == "admit" else "refer" if value == "refer" else "refuse"
