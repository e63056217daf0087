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
    "AlertReferenceImage",
    "AlertSeriesSubject",
    "AlertStatus",
    "AlertSubject",
    "AlertVehicleSubject",
    "DetectionMethod",
    "ForgeryType",
    "RestrictedMatter",
]

AlertCategory = Literal[
    "wanted",
    "missing_person",
    "travel_ban",
    "surveillance",
    "stolen_document",
    "stolen_vehicle",
    "forged_document",
]
AlertStatus = Literal["active", "hit", "withdrawn", "expired"]
AlertActionCode = Literal[
    "arrest", "refuse_crossing", "seize", "specific_check", "discreet_check", "inform"
]
RestrictedMatter = Literal["political", "military", "religious", "racial"]
ForgeryType = Literal["counterfeit", "forged", "pseudo", "stolen_blank"]
DetectionMethod = Literal[
    "visual", "uv", "ir", "transmitted_light", "magnification", "tactile", "mrz", "chip", "other"
]


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


class AlertSeriesSubject(Out):
    """A series of travel documents a forgery imitates (a ``forged_document`` alert), and how
    to recognise the forgery: at least one of ``series``, the range, ``number_pattern``."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    kind: Literal["document_series"]
    issuing_state: str = Field(description="ISO 3166-1 alpha-3.")
    document_code: str = Field(description="The MRZ document code, 1 or 2 letters: `P`, `PD`.")
    series: str | None = Field(default=None, description="Numbers starting with it.")
    number_from: str | None = Field(default=None, description="First number of the range.")
    number_to: str | None = Field(default=None, description="Last number, as long as the first.")
    number_pattern: str | None = Field(
        default=None, description="`#` a digit, `@` a letter, `?` any character, `*` any run."
    )
    forgery_type: ForgeryType
    detected_by: tuple[DetectionMethod, ...] = Field(description="How it was detected.")
    indicators: str = Field(description="What gives it away, in words: at most 4,000 characters.")


class AlertReferenceImage(Out):
    """An image of a forgery: PNG or JPEG, at most 256 KiB (four, 512 KiB together)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    media_type: Literal["image/png", "image/jpeg"]
    data: str = Field(description="The image, base64.")
    caption: str | None = Field(default=None, description="At most 200 characters.")


AlertSubject = Annotated[
    AlertPersonSubject | AlertDocumentSubject | AlertVehicleSubject | AlertSeriesSubject,
    Field(discriminator="kind"),
]
"""Who or what an alert is about, told apart by ``kind``."""


class AlertOut(Out):
    """A stored alert: what it is about, what to do, its validity and status."""

    id: str
    kind: Literal["person", "document", "vehicle", "document_series"]
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
