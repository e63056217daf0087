"""An alert a partner shared with this node, as a value (``partner_alerts`` rows read as it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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

    def in_force(self, on: date) -> bool:
        return (
            self.status == "active"
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )
