"""``/alerts``: the node's alerts as the API shows them, and their subjects.

The subject models serve both ways: in :class:`AlertOut` and, for the
document, in the ``POST /alerts`` body (``schemas.AlertIn``, which
``store.alert_values.parse_alert`` checks).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from passerelle.api.models.base import IsoDate, IsoDateTime, Out

__all__ = [
    "AlertActionCode",
    "AlertCategory",
    "AlertDetailOut",
    "AlertDocumentSubject",
    "AlertEventOut",
    "AlertListOut",
    "AlertOut",
    "AlertPersonSubject",
    "AlertStatus",
    "AlertSubject",
    "AlertVehicleSubject",
    "RestrictedMatter",
]

AlertCategory = Literal[
    "wanted", "missing_person", "travel_ban", "surveillance", "stolen_document", "stolen_vehicle"
]
AlertStatus = Literal["active", "hit", "withdrawn", "expired"]
AlertActionCode = Literal[
    "arrest", "refuse_crossing", "seize", "specific_check", "discreet_check", "inform"
]
RestrictedMatter = Literal["political", "military", "religious", "racial"]


class AlertPersonSubject(Out):
    """A person, by the names they are known under (any script) and birth date."""

    # sent with its birth_date (null when unknown); may be left out of a request
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    kind: Literal["person"]
    names: tuple[str, ...] = Field(description="1 to 10 names, any script; the first is main.")
    birth_date: str | None = Field(
        default=None, description="`YYYY-MM-DD`, `YYYY-MM` or `YYYY` when only part is known."
    )


class AlertDocumentSubject(Out):
    """A travel document, by issuing state (ISO 3166-1 alpha-3) and number."""

    kind: Literal["document"]
    issuing_state: str
    document_number: str


class AlertVehicleSubject(Out):
    """A vehicle, by plate and the state it is registered in (ISO 3166-1 alpha-3)."""

    kind: Literal["vehicle"]
    plate: str
    registration_country: str


AlertSubject = Annotated[
    AlertPersonSubject | AlertDocumentSubject | AlertVehicleSubject,
    Field(discriminator="kind"),
]
"""Who or what an alert is about, told apart by ``kind``."""


class AlertOut(Out):
    """A stored alert: what it is about, what to do, its validity and status."""

    id: str
    kind: Literal["person", "document", "vehicle"]
    category: AlertCategory
    subject: AlertSubject
    issuing_authority: str
    action: str = Field(description="What to do at the border on a hit.")
    action_code: AlertActionCode = Field(
        description="What a hit asks for (docs/api.md, Alert actions); the category's "
        "default when the issuer named none."
    )
    valid_from: IsoDate
    valid_until: IsoDate | None
    status: AlertStatus
    created_at: IsoDateTime
    updated_at: IsoDateTime
    shareable: bool = Field(description="False: never sent to a partner.")
    restricted_matter: RestrictedMatter | None = Field(
        description="Never sent to a partner, whatever the agreement."
    )


class AlertEventOut(Out):
    """One step of an alert's life: from which status to which, who, when and why."""

    at: IsoDateTime
    from_: AlertStatus | None = Field(alias="from", description="`null` for the issue.")
    to: AlertStatus
    actor: str
    reason: str | None


class AlertDetailOut(AlertOut):
    """One alert and its history, oldest step first."""

    history: tuple[AlertEventOut, ...]


class AlertListOut(Out):
    """``GET /alerts``: the alerts, oldest first, and the statuses one may filter on."""

    alerts: tuple[AlertOut, ...]
    statuses: tuple[AlertStatus, ...]
