"""An alert a partner shared with this node, as a value (``partner_alerts`` rows read as it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from passerelle.records.alert_actions import default_for_alert

__all__ = ["PartnerAlertView"]


@dataclass(frozen=True, slots=True)
class PartnerAlertView:
    """An alert a partner shared, as this node last heard of it."""

    issuing_state: str
    alert_id: str
    category: str
    kind: str
    subject: dict[str, Any]
    action: str
    contact: str
    status: str
    version: int
    valid_from: date
    valid_until: date | None
    action_code: str = ""
    """What a hit asks for (``records.alert_actions``); empty: the category's default."""

    @property
    def asks(self) -> str:
        """The action code a hit on this alert asks for (the category's when none is held)."""
        return self.action_code or default_for_alert(self.category)

    def in_force(self, on: date) -> bool:
        return (
            self.status == "active"
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )
