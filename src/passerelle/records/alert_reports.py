"""An officer's report of a hit on an alert, for the alert's issuer: the values and their checks.

A discreet check asks the officer to let the traveller pass as usual and tell the
issuer what they saw; a specific check, to search and question them and report;
an alert for information, to say what was seen if anything (``alert_actions.REPORTED``).
The report is filed from the verdict, once per inspection and alert. A report body
(a form, the API's JSON, or a partner's ``alert.hit_report``) is one object::

    {"alert": "MAR-2026-0042",                  (the alert as the inspection names it:
                                                 its id, or STATE:id for a partner's)
     "observed": "Travelled with two men; nervous at the question on the route.",
     "companions": "Two men, about 30, Moroccan passports",   (optional)
     "vehicle": "Grey Dacia Logan, 12345-A-6",                (optional)
     "route": "Tanger Med to Algeciras, then Madrid"}         (optional)

A bad value raises ``InvalidInput`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.fields import no_unknown_fields, required_text
from passerelle.records.text import plain_text

__all__ = ["MAX_OBSERVED", "AlertReportView", "ReportAlreadyFiled", "ReportDraft", "parse_report"]

MAX_OBSERVED = 4000
_MAX_DETAIL = 1000
_FIELDS = frozenset({"alert", "observed", "companions", "vehicle", "route"})


class ReportAlreadyFiled(InvalidInput):
    """A report on this alert was already filed for this inspection (``field``: ``alert``)."""

    def __init__(self, alert: str, inspection_id: str) -> None:
        super().__init__(
            "alert", f"a report on alert {alert} was already filed for inspection {inspection_id}"
        )


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """What the officer reports of one alert's hit, before it is filed."""

    alert: str
    observed: str
    companions: str | None = None
    vehicle: str | None = None
    route: str | None = None

    def details(self) -> dict[str, str | None]:
        """The report's words (what travels to the issuer)."""
        return {
            "observed": self.observed,
            "companions": self.companions,
            "vehicle": self.vehicle,
            "route": self.route,
        }


def _optional(record: Mapping[str, Any], field: str) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, worded(N_("must be text")))
    text = value.strip()
    if len(text) > _MAX_DETAIL:
        raise InvalidInput(
            field, worded(N_("is longer than %(most)s characters"), most=_MAX_DETAIL)
        )
    return plain_text(field, text, multiline=True) or None


def parse_report(record: Mapping[str, Any]) -> ReportDraft:
    """A report from its JSON object; raises ``InvalidInput(field, reason)``.

    >>> parse_report({"alert": "A-1", "observed": " Two companions. ", "route": ""})
    ReportDraft(alert='A-1', observed='Two companions.', companions=None, vehicle=None, \
route=None)
    >>> parse_report({"alert": "A-1", "observed": "  "})
    Traceback (most recent call last):
    ...
    passerelle.exc.InvalidInput: observed: is required: say what you observed
    """
    no_unknown_fields(record, _FIELDS)
    alert = record.get("alert")
    if not isinstance(alert, str) or not alert.strip() or len(alert.strip()) > 72:
        raise InvalidInput(
            "alert", worded(N_("is required: the alert reported on (1 to 72 characters)"))
        )
    plain_text("alert", alert)
    observed = record.get("observed")
    if not isinstance(observed, str) or not observed.strip():
        raise InvalidInput("observed", worded(N_("is required: say what you observed")))
    return ReportDraft(
        alert=alert.strip(),
        observed=required_text(record, "observed", max_length=MAX_OBSERVED, multiline=True),
        companions=_optional(record, "companions"),
        vehicle=_optional(record, "vehicle"),
        route=_optional(record, "route"),
    )


@dataclass(frozen=True, slots=True)
class AlertReportView:
    """A stored report: filed here (``inspection_id``) or received from ``reported_by``."""

    id: str
    alert_reference: str
    alert_id: str
    issuing_state: str | None
    """The partner whose alert it is; None: this node's own alert."""
    reported_by: str | None
    """The partner whose officer filed it; None: filed at this node."""
    inspection_id: str | None
    action_code: str
    crossing_point: str
    direction: str
    seen_at: datetime
    traveller: dict[str, Any]
    observed: str
    companions: str | None
    vehicle: str | None
    route: str | None
    filed_by: str
    filed_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "alert": self.alert_reference,
            "alert_id": self.alert_id,
            "issuing_state": self.issuing_state,
            "reported_by": self.reported_by,
            "inspection_id": self.inspection_id,
            "action_code": self.action_code,
            "crossing_point": self.crossing_point,
            "direction": self.direction,
            "seen_at": self.seen_at.isoformat(),
            "traveller": self.traveller,
            "observed": self.observed,
            "companions": self.companions,
            "vehicle": self.vehicle,
            "route": self.route,
            "filed_by": self.filed_by,
            "filed_at": self.filed_at.isoformat(),
        }
