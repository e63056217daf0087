"""The stay rule on the verdict: its figures where it binds the traveller, and where it does
not, the words "not applied" and why (``records.stay_rule``, the ``stay_not_applied`` finding).
"""

from __future__ import annotations

from passerelle.i18n import N_, gettext
from passerelle.screening import InspectionResult
from passerelle.web.wording import finding_text

__all__ = ["STAY_NOT_APPLIED", "stay_light_words", "stay_not_applied"]

STAY_NOT_APPLIED = N_("not applied")
"""The stay light's words when the rule does not bind the traveller."""


def stay_not_applied(result: InspectionResult) -> str | None:
    """Why the stay rule was not applied (the finding's words), or None when it was."""
    for finding in result.findings:
        if finding.source == "stay" and finding.code == "stay_not_applied":
            return finding_text(finding)
    return None


def stay_light_words(result: InspectionResult) -> str | None:
    """``not applied`` for a traveller the rule does not bind; None: the light's usual words."""
    return gettext(STAY_NOT_APPLIED) if stay_not_applied(result) is not None else None
