"""The values of alerts: what one is about, the draft to issue, the stored views, the errors.

Pure values and validation (no session here); ``alerts.AlertRegistry`` stores
them. An alert file or request is one JSON object::

    {"id": "MAR-2026-0042",                      (optional: uuid4 hex when left out)
     "category": "stolen_document",
     "subject": {"kind": "document", "issuing_state": "MAR", "document_number": "UM4731285"},
     "issuing_authority": "DGSN Rabat",
     "action": "Seize the document and refer the traveller to second line.",
     "action_code": "seize",                     (optional: the category's default,
                                                  ``records.alert_actions``)
     "valid_from": "2026-01-01",                 (optional: the day of issue)
     "valid_until": "2027-01-01",                (optional: no end)
     "shareable": true,                          (optional: true; false keeps it home)
     "restricted_matter": null}                  (optional: political, military,
                                                  religious or racial: never shared)

Subjects: ``{"kind": "person", "names": ["Mohamed Ben Ali", "محمد بن علي"],
"birth_date": "1985-03-02" | "1985" | null}``, ``{"kind": "document",
"issuing_state", "document_number"}``, ``{"kind": "vehicle", "plate",
"registration_country"}`` (ISO 3166-1 alpha-3, like every state code here), and for a
``forged_document`` alert ``{"kind": "document_series", ...}``, the series a forgery
imitates (``records.forgeries``), which alone may carry ``reference_images`` beside
the subject (a list of ``{"media_type", "data" (base64), "caption"}``).
A bad value raises ``InvalidInput`` naming the field, ``subject.<name>`` for
the subject's. ``shareable`` and ``restricted_matter`` are read by the
federation's legal-basis filter (``passerelle.federation.sharing.legal_basis``): an alert not
shareable, or concerning a restricted matter, never leaves the node.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from passerelle.exc import InvalidInput, NotFound
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.alert_actions import action_code as checked_action_code
from passerelle.records.alert_actions import default_for_alert
from passerelle.records.fields import (
    RESTRICTED_MATTERS,
    document_number,
    iso_date,
    no_unknown_fields,
    number_key,
    one_of,
    partial_date,
    required_text,
    restricted_matter,
    shareable,
    state_code,
)
from passerelle.records.forgeries import (
    FORGERY_CATEGORY,
    SERIES_KIND,
    ReferenceImage,
    SeriesSubject,
    parse_reference_images,
    parse_series_subject,
    series_from_json,
    series_key,
)
from passerelle.records.text import plain_name

__all__ = [
    "ALERT_STATUSES",
    "CATEGORIES",
    "FINAL_STATUSES",
    "KINDS_BY_CATEGORY",
    "LIVE_STATUSES",
    "RESTRICTED_MATTERS",
    "AlertDraft",
    "AlertEventView",
    "AlertTransitionRefused",
    "AlertView",
    "DocumentSubject",
    "PersonSubject",
    "SeriesSubject",
    "Subject",
    "UnknownAlert",
    "VehicleSubject",
    "document_key",
    "parse_alert",
    "person_key",
    "plate_key",
    "subject_from_json",
    "subject_key",
]

KINDS_BY_CATEGORY: Mapping[str, frozenset[str]] = {
    "wanted": frozenset({"person"}),
    "missing_person": frozenset({"person"}),
    "travel_ban": frozenset({"person"}),
    "surveillance": frozenset({"person", "document", "vehicle"}),
    "stolen_document": frozenset({"document"}),
    "stolen_vehicle": frozenset({"vehicle"}),
    FORGERY_CATEGORY: frozenset({SERIES_KIND}),
}
CATEGORIES = frozenset(KINDS_BY_CATEGORY)
KINDS = frozenset({"person", "document", "vehicle", SERIES_KIND})
ALERT_STATUSES = frozenset({"active", "hit", "withdrawn", "expired"})
LIVE_STATUSES = frozenset({"active", "hit"})
FINAL_STATUSES = frozenset({"withdrawn", "expired"})
_FIELDS = frozenset(
    {"id", "category", "subject", "issuing_authority", "action", "valid_from", "valid_until"}
) | {"shareable", "restricted_matter", "action_code", "reference_images"}
_PLATE_SEPARATORS = frozenset(" -.|/·")
_MAX_NAMES = 10
_MAX_ACTION = 4000


@dataclass(frozen=True, slots=True)
class PersonSubject:
    """A person, by the names they are known under (any script) and birth date."""

    kind: ClassVar[str] = "person"
    names: tuple[str, ...]
    birth_date: str | None = None
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` when only part is known."""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "names": list(self.names), "birth_date": self.birth_date}


@dataclass(frozen=True, slots=True)
class DocumentSubject:
    """A travel document, by issuing state and number."""

    kind: ClassVar[str] = "document"
    issuing_state: str
    document_number: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
        }


@dataclass(frozen=True, slots=True)
class VehicleSubject:
    """A vehicle, by plate and the state it is registered in."""

    kind: ClassVar[str] = "vehicle"
    plate: str
    registration_country: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "plate": self.plate,
            "registration_country": self.registration_country,
        }


Subject = PersonSubject | DocumentSubject | VehicleSubject | SeriesSubject


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """An alert to issue, before it has a status."""

    category: str
    subject: Subject
    issuing_authority: str
    action: str
    valid_from: date | None = None
    valid_until: date | None = None
    id: str | None = None
    shareable: bool = True
    restricted_matter: str | None = None
    action_code: str | None = None
    """One of ``alert_actions.ACTION_CODES``; None: the category's default."""
    reference_images: tuple[ReferenceImage, ...] = ()
    """Images of a forgery (``forged_document`` alerts only)."""

    def as_json(self) -> dict[str, Any]:
        """The draft written as the JSON object ``parse_alert`` reads."""
        images = {"reference_images": [i.as_json() for i in self.reference_images]}
        return (images if self.reference_images else {}) | {
            "id": self.id,
            "category": self.category,
            "subject": self.subject.as_json(),
            "issuing_authority": self.issuing_authority,
            "action": self.action,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "shareable": self.shareable,
            "restricted_matter": self.restricted_matter,
            "action_code": self.action_code,
        }


def fold_name(name: str) -> str:
    """A name for exact comparison: lower case, accents dropped, punctuation as spaces.

    >>> fold_name("  Zoé-Marie  O'Brien ")
    'zoe marie o brien'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def plate_key(plate: str) -> str:
    """A plate's lookup key: upper case, separators dropped, O read as 0 and I as 1.

    >>> plate_key("ab-123 co")
    'AB123C0'
    """
    return number_key("".join(c for c in plate if c not in _PLATE_SEPARATORS and not c.isspace()))


def document_key(issuing_state: str, number: str) -> str:
    """The subject key of a document alert.

    >>> document_key("mar", "um4731285")
    'document:MAR:UM4731285'
    """
    return f"document:{issuing_state.strip().upper()}:{number_key(number)}"


def person_key(name: str, birth_date: str | None) -> str:
    """The subject key of a person alert: birth date (as given) and first name, folded."""
    return f"person:{birth_date or '-'}:{fold_name(name)}"[:128]


def subject_key(subject: Subject) -> str:
    """The indexed key alerts on ``subject`` are found by."""
    if isinstance(subject, DocumentSubject):
        return document_key(subject.issuing_state, subject.document_number)
    if isinstance(subject, VehicleSubject):
        return f"vehicle:{subject.registration_country}:{plate_key(subject.plate)}"
    if isinstance(subject, SeriesSubject):
        return series_key(subject.issuing_state, subject.document_code)
    return person_key(subject.names[0], subject.birth_date)


def _plate(record: Mapping[str, Any]) -> str:
    plate = " ".join(required_text(record, "subject.plate", max_length=24).upper().split())
    key = plate_key(plate)
    if not key or not all(c.isalnum() for c in key) or len(key) > 16:
        raise InvalidInput(
            "subject.plate",
            worded(
                N_("%(plate)s must be 1 to 16 letters and digits (spaces, - allowed)"),
                plate=repr(plate),
            ),
        )
    return plate


def _names(record: Mapping[str, Any]) -> tuple[str, ...]:
    names = record.get("subject.names")
    if not isinstance(names, list) or not names:
        raise InvalidInput("subject.names", worded(N_("must be a non-empty list of names")))
    if len(names) > _MAX_NAMES:
        raise InvalidInput(
            "subject.names", worded(N_("holds more than %(max_names)s names"), max_names=_MAX_NAMES)
        )
    values = [
        plain_name("subject.names", required_text({"subject.names": n}, "subject.names"))
        for n in names
    ]
    if not fold_name(values[0]):
        raise InvalidInput(
            "subject.names", worded(N_("%(value)s holds no letters"), value=repr(values[0]))
        )
    return tuple(" ".join(v.split()) for v in values)


def _subject(value: Any, category: str) -> Subject:
    if not isinstance(value, dict):
        raise InvalidInput(
            "subject",
            worded(
                N_("must be an object with a kind: person, document, vehicle or document_series")
            ),
        )
    record = {f"subject.{name}": item for name, item in value.items()}
    kind = one_of(record, "subject.kind", KINDS)
    if kind not in KINDS_BY_CATEGORY[category]:
        allowed = ", ".join(sorted(KINDS_BY_CATEGORY[category]))
        raise InvalidInput(
            "subject.kind",
            worded(
                N_("a %(category)s alert concerns: %(allowed)s, not %(kind)s"),
                category=category,
                allowed=allowed,
                kind=kind,
            ),
        )
    subject: Subject
    if kind == SERIES_KIND:
        subject = parse_series_subject(record)
    elif kind == "person":
        no_unknown_fields(record, {"subject.kind", "subject.names", "subject.birth_date"})
        birth_date, _ = partial_date(record, "subject.birth_date")
        subject = PersonSubject(_names(record), birth_date)
    elif kind == "document":
        no_unknown_fields(
            record, {"subject.kind", "subject.issuing_state", "subject.document_number"}
        )
        subject = DocumentSubject(
            state_code(record, "subject.issuing_state"),
            document_number(record, "subject.document_number"),
        )
    else:
        no_unknown_fields(record, {"subject.kind", "subject.plate", "subject.registration_country"})
        subject = VehicleSubject(_plate(record), state_code(record, "subject.registration_country"))
    return subject


def _alert_id(record: Mapping[str, Any]) -> str | None:
    value = record.get("id")
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= 64
        or not value.isascii()
        or not all(c.isalnum() or c in "._:-" for c in value)
    ):
        raise InvalidInput(
            "id",
            worded(
                N_("%(value)s must be 1 to 64 letters, digits, '.', '_', ':' or '-'"),
                value=repr(value),
            ),
        )
    return value


def parse_alert(record: Mapping[str, Any]) -> AlertDraft:
    """An alert to issue from its JSON object; raises ``InvalidInput(field, reason)``.

    >>> parse_alert({"category": "stolen_vehicle", "issuing_authority": "Police",
    ...              "action": "Stop the vehicle.", "subject": {"kind": "vehicle",
    ...              "plate": "ab-123-cd", "registration_country": "fra"}}).subject
    VehicleSubject(plate='AB-123-CD', registration_country='FRA')
    """
    no_unknown_fields(record, _FIELDS)
    category = one_of(record, "category", CATEGORIES)
    if "subject" not in record:
        raise InvalidInput("subject", worded(N_("is required: a person, a document or a vehicle")))
    subject = _subject(record["subject"], category)
    images = parse_reference_images(record.get("reference_images"))
    if images and category != FORGERY_CATEGORY:
        raise InvalidInput(
            "reference_images",
            worded(
                N_("only a %(forgery_category)s alert carries reference images"),
                forgery_category=FORGERY_CATEGORY,
            ),
        )
    return AlertDraft(
        category=category,
        subject=subject,
        issuing_authority=required_text(record, "issuing_authority", max_length=128),
        action=required_text(record, "action", max_length=_MAX_ACTION, multiline=True),
        valid_from=iso_date(record, "valid_from", required=False),
        valid_until=iso_date(record, "valid_until", required=False),
        id=_alert_id(record),
        shareable=shareable(record),
        restricted_matter=restricted_matter(record),
        action_code=checked_action_code(record, category),
        reference_images=images,
    )


def subject_from_json(kind: str, data: Mapping[str, Any]) -> Subject:
    """A stored subject back as a value (trusted: it was validated when issued)."""
    if kind == "person":
        return PersonSubject(tuple(data["names"]), data.get("birth_date"))
    if kind == "document":
        return DocumentSubject(data["issuing_state"], data["document_number"])
    if kind == SERIES_KIND:
        return series_from_json(data)
    return VehicleSubject(data["plate"], data["registration_country"])


class UnknownAlert(NotFound):
    """No alert has this id."""

    def __init__(self, alert_id: str) -> None:
        super().__init__("id", f"no alert {alert_id!r} on this node")


class AlertTransitionRefused(InvalidInput):
    """An alert cannot move from its status to the one asked (``field`` is ``status``)."""

    def __init__(self, reason: str, *, field: str = "status") -> None:
        super().__init__(field, reason)


@dataclass(frozen=True, slots=True)
class AlertView:
    """A stored alert."""

    id: str
    kind: str
    category: str
    subject: Subject
    subject_key: str
    issuing_authority: str
    action: str
    valid_from: date
    valid_until: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    shareable: bool = True
    """False: never sent to a partner (``federation.sharing.legal_basis``)."""
    restricted_matter: str | None = None
    """One of ``RESTRICTED_MATTERS``: never sent to a partner, whatever the agreement."""
    action_code: str = ""
    """What a hit asks for (``records.alert_actions``); empty: the category's default."""

    @property
    def asks(self) -> str:
        """The action code a hit on this alert asks for (the category's when none is stored)."""
        return self.action_code or default_for_alert(self.category)

    def in_force(self, on: date) -> bool:
        """Whether the alert is live and ``on`` lies within its validity."""
        return (
            self.status in LIVE_STATUSES
            and self.valid_from <= on
            and (self.valid_until is None or on <= self.valid_until)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "category": self.category,
            "subject": self.subject.as_json(),
            "issuing_authority": self.issuing_authority,
            "action": self.action,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "shareable": self.shareable,
            "restricted_matter": self.restricted_matter,
            "action_code": self.asks,
        }


@dataclass(frozen=True, slots=True)
class AlertEventView:
    """One step of an alert's life: from which status to which, who, when and why."""

    at: datetime
    from_status: str | None
    to_status: str
    actor: str
    reason: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "from": self.from_status,
            "to": self.to_status,
            "actor": self.actor,
            "reason": self.reason,
        }
