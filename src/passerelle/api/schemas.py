"""Request bodies of the API: frozen pydantic models that refuse unknown fields."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    StrictBool,
    model_validator,
)
from pydantic_core import PydanticCustomError

from passerelle.api.models.alerts import (
    AlertActionCode,
    AlertCategory,
    AlertReferenceImage,
    AlertSubject,
    RestrictedMatter,
)
from passerelle.api.models.text import PlainTextBody
from passerelle.documents.chip import ChipData
from passerelle.documents.chip.model import MAX_SOD_BYTES
from passerelle.documents.chip.transfer import read_chip
from passerelle.exc import InvalidInput
from passerelle.http.ids import DbId
from passerelle.records.alerts import AlertDraft, parse_alert

__all__ = [
    "AdmissionAnswerBody",
    "AlertChange",
    "AlertIn",
    "CaseCloseBody",
    "CaseLinkBody",
    "CaseOpenBody",
    "ChipBody",
    "FingerprintBody",
    "FollowUpDecisionBody",
    "FollowUpRequestBody",
    "InspectionBody",
    "NotSamePersonBody",
    "NoteBody",
    "OfficerDecisionBody",
    "ReviewBody",
    "SecondLineOutcomeBody",
    "VisualZoneBody",
    "WatchlistSharingBody",
    "decode_photo",
]


def _base64_length(size: int) -> int:
    """The longest base64 text of ``size`` bytes (with padding)."""
    return (size + 2) // 3 * 4


class Body(PlainTextBody):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class VisualZoneBody(Body):
    """A document typed by hand from its data page, when no MRZ can be read.

    Checked field by field (``documents.typed``): a bad one is answered 422 naming
    ``visual_zone.<field>``. Names in Latin letters as printed (accents are folded);
    dates ``YYYY-MM-DD``; states as ICAO 9303 codes.
    """

    name_fields = frozenset({"surname", "given_names"})

    document_code: str = Field(
        max_length=2, description="The type as printed: `P`, `PD`, `I`... (1 or 2 letters)."
    )
    issuing_state: str = Field(max_length=3, description="ICAO 9303 code: `MAR`, `D`...")
    document_number: str = Field(max_length=40, description="As printed (blanks dropped).")
    surname: str = Field(max_length=80)
    given_names: str | None = Field(default=None, max_length=80)
    birth_date: str | None = Field(
        default=None, max_length=10, description="`YYYY-MM-DD`; absent when unknown."
    )
    nationality: str = Field(max_length=3, description="ICAO 9303 code.")
    sex: str | None = Field(
        default=None, max_length=1, description="`M`, `F`, or `X` / absent (unspecified)."
    )
    expiry_date: str = Field(max_length=10, description="`YYYY-MM-DD`.")


class FingerprintBody(Body):
    """One finger captured at the booth: its ISO/ANSI position and its 500 ppi image."""

    multiline_fields = frozenset({"image"})

    position: int = Field(
        ge=0,
        le=10,
        description="ISO/ANSI finger position: 0 unknown, 1 right thumb, 2 right index ... "
        "6 left thumb ... 10 left little.",
    )
    image: str = Field(
        min_length=1,
        description="The 500 ppi image (PNG, JPEG, BMP or PNM), base64 (a `data:` URL prefix "
        "is accepted); at most `PASSERELLE_FINGER_MAX_BYTES` (413 beyond), 120 to 2048 "
        "pixels each way.",
    )


_DATA_GROUP = Annotated[str, Field(pattern=r"^(1[0-6]|[1-9])$")]


class ChipBody(Body):
    """The chip as the reader read it (ICAO Doc 9303 Part 10): EF.SOD and the data groups,
    base64 (docs/chip.md). A part that is not base64, or over its limit (EF.SOD 64 KiB, a
    data group 1 MiB), is answered 422 naming it (``chip.data_groups.2``)."""

    sod: str = Field(
        min_length=1,
        max_length=_base64_length(MAX_SOD_BYTES),
        description="EF.SOD (tag 77, CMS SignedData), base64.",
    )
    data_groups: dict[_DATA_GROUP, str] = Field(
        max_length=16,
        description='The data groups read, by number: `{"1": base64, "2": base64, ...}`; DG1 '
        "is required for the chip to verify.",
    )

    def chip(self) -> ChipData:
        """The chip's bytes; ``InvalidInput`` naming the part that is not base64."""
        chip, _mrz = read_chip(
            {"sod": self.sod, "data_groups": dict(self.data_groups)}, field="chip"
        )
        return chip


class TravelBody(Body):
    """The journey's context, each optional (``records.travel`` normalises them): a bad one
    is answered 422 naming ``travel.<field>``."""

    vehicle_plate: str | None = Field(
        default=None, max_length=32, description="The vehicle's registration (`12345-A-6`)."
    )
    party_reference: str | None = Field(
        default=None, max_length=64, description="A booking or travelling group reference."
    )
    address: str | None = Field(
        default=None, max_length=200, description="Where the traveller stays in the country."
    )
    phone: str | None = Field(
        default=None,
        max_length=32,
        description="A phone number, international form (`+212 661 23 45 67`).",
    )


class InspectionBody(Body):
    """``POST /inspections``: the document (its MRZ as read, or its visual zone typed by
    hand: exactly one), why, where, which way, and optional photos."""

    multiline_fields = frozenset({"mrz", "document_photo", "live_photo"})

    mrz: str | None = Field(
        default=None,
        min_length=1,
        max_length=400,
        description="The MRZ lines as read. Exactly one of `mrz` and `visual_zone`.",
    )
    visual_zone: VisualZoneBody | None = Field(
        default=None,
        description="The document typed by hand when no MRZ can be read (the inspection "
        "then carries a `typed_by_hand` finding).",
    )
    purpose: str = Field(min_length=1, max_length=500, description="Why the traveller is checked.")
    crossing_point: str = Field(min_length=1, max_length=64)
    booth: str | None = Field(
        default=None,
        max_length=32,
        description="The booth of the crossing point (e.g. `B3`); absent: the officer's "
        "assigned booth when they are assigned to this point. Colleagues at the same booth "
        "read and decide the inspection (the node's officer scope).",
    )
    direction: Literal["entry", "exit"]
    document_photo: str | None = Field(default=None, description="The chip/page portrait, base64.")
    live_photo: str | None = Field(
        default=None, description="The photo taken at the booth, base64."
    )
    federation: bool | None = Field(
        default=None,
        description="Ask the partners too (true), not (false), or as the node is set (absent).",
    )
    fingerprints: list[FingerprintBody] | None = Field(
        default=None,
        max_length=10,
        description="Fingers captured at the booth (1 to 10, one per position): searched in "
        "the node's fingerprint lists and, with the partners, sent as minutiae (never images).",
    )
    stay_exemption: str | None = Field(
        default=None,
        max_length=64,
        description="A category the stay rule does not bind, stated by the officer (one of "
        "the codes of the node's catalogue, `stay_rule.exemptions`).",
    )
    chip: ChipBody | None = Field(
        default=None,
        description="The document's chip as the reader read it: passive authentication "
        "(source `chip`; docs/chip.md lists its finding codes and decisions).",
    )
    travel: TravelBody | None = Field(
        default=None,
        description="The journey's context (vehicle, party, address, phone), stored with the "
        "inspection for the analysts' networks (personal data: docs/security.md).",
    )
    request_id: str | None = Field(
        default=None,
        max_length=200,
        description="The client's own id of this request (8 to 64 letters, digits, `.`, `_`, "
        "`:` or `-`; a UUID fits), sent again unchanged with a retry: the officer's inspection "
        "already made under it is the answer (same `inspection_id`, same verdict, nothing "
        "recorded twice); one made for another document, crossing point or direction is "
        "refused with 409 naming `request_id`. Absent: every request is a new inspection.",
    )


class OfficerDecisionBody(Body):
    """What the officer did with the traveller, and the reason code."""

    action: Literal["admit", "refer", "refuse"]
    reason_code: str = Field(min_length=1, max_length=64)


class AdmissionAnswerBody(Body):
    """A supervisor's answer to an officer's admission of a HIT (never their own)."""

    multiline_fields = frozenset({"note"})

    answer: Literal["confirm", "decline"]
    note: str | None = Field(
        default=None, max_length=2000, description="Required to decline: why, for the officer."
    )


class SecondLineOutcomeBody(Body):
    """The second-line outcome of a referred traveller."""

    multiline_fields = frozenset({"notes"})

    outcome: Literal["admitted_after_check", "refused", "arrested", "handed_over"]
    notes: str | None = Field(
        default=None,
        max_length=2000,
        description="Required for `refused`, `arrested` and `handed_over`.",
    )
    handed_to: str | None = Field(
        default=None, max_length=200, description="The service, required for `handed_over`."
    )


class NotSamePersonBody(Body):
    """The officer's word that the traveller is not this watchlist candidate."""

    watchlist_id: str = Field(min_length=1, max_length=64)


class AlertReportBody(Body):
    """``POST /inspections/{id}/reports``: the officer's report of a hit on an alert."""

    multiline_fields = frozenset({"observed", "companions", "vehicle", "route"})

    alert: str = Field(
        min_length=1, max_length=72, description="The alert as the finding names it (`reference`)."
    )
    observed: str = Field(min_length=1, max_length=4000, description="What was observed.")
    companions: str | None = Field(default=None, max_length=1000)
    vehicle: str | None = Field(default=None, max_length=1000)
    route: str | None = Field(default=None, max_length=1000, description="Route, destination.")


class ReviewBody(Body):
    """An analyst's note on a hit (required to dismiss one)."""

    multiline_fields = frozenset({"note"})

    note: str | None = Field(default=None, max_length=2000)


class AlertChange(Body):
    """Why an alert is withdrawn, hit or re-armed (recorded in its history)."""

    reason: str = Field(min_length=1, max_length=500)


class AlertIn(BaseModel):
    """``POST /alerts``: an alert to issue, the JSON ``passerelle alert issue`` reads.

    The API and the CLI check it by the same rules and refuse it in the same words:
    a bad value is answered 422 naming the field (``subject.kind``, ``valid_until``).
    """

    # Checked by ``store.alert_values.parse_alert`` and by nothing else: its
    # ``InvalidInput(field, reason)`` is no ``ValueError``, so it leaves pydantic as it
    # is and the error table answers it (the house error body, ``field`` named). The
    # fields only describe the body for the document and hold the values parse_alert
    # normalised; ``draft`` is what to issue.
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = Field(
        default=None, description="1 to 64 letters, digits, `.`, `_`, `:` or `-`; else a uuid."
    )
    category: AlertCategory = Field(description="Which subjects it may concern depends on it.")
    subject: AlertSubject
    issuing_authority: str = Field(description="At most 128 characters.")
    action: str = Field(description="What to do on a hit: at most 4,000 characters.")
    action_code: AlertActionCode | None = Field(
        default=None,
        description="What a hit asks for: `arrest`, `refuse_crossing`, `seize`, "
        "`specific_check`, `discreet_check` or `inform`; the category's default when left out.",
    )
    valid_from: date | None = Field(default=None, description="The day of issue when left out.")
    valid_until: date | None = Field(default=None, description="No end when left out.")
    shareable: bool = Field(default=True, description="False keeps the alert on this node.")
    restricted_matter: RestrictedMatter | None = Field(
        default=None, description="Such alerts never leave the node, whatever the agreement."
    )
    reference_images: tuple[AlertReferenceImage, ...] | None = Field(
        default=None,
        description="A `forged_document` alert's images of the forgery (docs/forged-documents.md): "
        "at most 4 PNG or JPEG, 256 KiB each, 512 KiB together; shared with the alert.",
    )
    _draft: AlertDraft = PrivateAttr()

    @model_validator(mode="wrap")
    @classmethod
    def _checked_by_parse_alert(
        cls, data: object, handler: ModelWrapValidatorHandler[AlertIn]
    ) -> AlertIn:
        if isinstance(data, AlertIn):
            return data
        if not isinstance(data, Mapping):
            raise PydanticCustomError("dict_type", "Input should be a valid dictionary")
        draft = parse_alert(data)  # InvalidInput(field, reason): a 422 naming the field
        parsed = handler(draft.as_json())  # the values as parse_alert normalised them
        parsed._draft = draft
        return parsed

    @property
    def draft(self) -> AlertDraft:
        """The alert to issue, as ``parse_alert`` read it."""
        return self._draft


class NoteBody(Body):
    """A note for a thread (a hit review's or a case's): at most 2,000 characters."""

    multiline_fields = frozenset({"text"})

    text: str = Field(max_length=2000, description="The note; blank is refused.")


class CaseOpenBody(Body):
    """``POST /cases``: the hit reviews to follow up together, a title, an optional first note."""

    multiline_fields = frozenset({"note"})

    review_ids: list[DbId] = Field(min_length=1, max_length=100)
    title: str = Field(max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class CaseLinkBody(Body):
    """More hit reviews for an open case (a review is in one case at most)."""

    review_ids: list[DbId] = Field(min_length=1, max_length=100)


class CaseCloseBody(Body):
    """How the case ends (final: a closed case takes no more changes)."""

    multiline_fields = frozenset({"resolution"})

    resolution: str = Field(max_length=2000)


class FollowUpRequestBody(Body):
    """``POST /federation/followups``: a partner's hit reference and why its record is needed."""

    multiline_fields = frozenset({"justification"})

    reference: str = Field(max_length=64, description="As the federation hit gives it: BEL:BEL-…")
    justification: str = Field(max_length=2000, description="Read by the owner's analyst.")


class FollowUpDecisionBody(Body):
    """An analyst's note on approving (optional) or refusing (required) a partner's request."""

    multiline_fields = frozenset({"note"})

    note: str | None = Field(default=None, max_length=2000)


class WatchlistSharingBody(Body):
    """A watchlist person's sharing flags, and why they change (audited).

    ``shareable`` false keeps the person home: never disclosed to a partner, whatever
    the agreement. ``restricted_matter`` (``political``, ``military``, ``religious``,
    ``racial``, or null) is never disclosed either. Both replace what is held.
    """

    shareable: StrictBool
    restricted_matter: Literal["political", "military", "religious", "racial"] | None = None
    reason: str = Field(min_length=1, max_length=1000)


def decode_photo(value: str | None, field: str) -> bytes | None:
    """A base64 photo (a ``data:`` URL prefix is accepted) as bytes; ``InvalidInput`` if not."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.startswith("data:"):
        text = text.partition(",")[2]
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(field, "is not valid base64") from exc
