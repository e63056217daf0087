"""``/inspections``: the answer of a border check, and the stored record with its decision.

:class:`InspectionResultOut` is ``InspectionResult.as_dict()``
(:mod:`passerelle.screening.model`); its ``document`` is the ``passerelle doc
check --json`` contract (:class:`DocumentCheckOut`), whose optional-data keys
depend on the format. Keys that a body carries only sometimes are declared with
a default and the routes serialize with ``response_model_exclude_unset``, so an
absent key stays absent instead of turning into ``null``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from passerelle.api.models.base import IsoDate, IsoDateTime, Out
from passerelle.api.models.hits import HitReviewOut

__all__ = [
    "AdmissionOut",
    "DocumentCheckOut",
    "DocumentFindingOut",
    "FaceComparisonOut",
    "FaceHitOut",
    "FindingOut",
    "InspectionOut",
    "InspectionResultOut",
    "MatchesOut",
    "OcrRepairOut",
    "OfficerDecisionOut",
    "SecondLineOut",
    "StayFiguresOut",
    "WatchlistCandidateOut",
]

Decision = Literal["clear", "refer", "hit"]
Source = Literal[
    "document", "sltd", "alerts", "watchlist", "face", "stay", "fingerprint", "federation", "chip"
]
Light = Literal["green", "blue", "amber", "red", "grey"]
ActionCode = Literal[
    "arrest", "refuse_crossing", "seize", "specific_check", "discreet_check", "inform"
]
MrzFormat = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB", "FRA-ID", "unknown", "typed"]


class OcrRepairOut(Out):
    """One character that, read otherwise, makes every check pass (1-based, as ICAO 9303)."""

    line: int
    position: int
    read: str
    proposed: str


class DocumentFindingOut(Out):
    """What the document check found: a stable code, the field, how serious, in words."""

    code: str = Field(description="Stable, for machines: `check_digit`, `expired`, ...")
    field: str
    severity: Literal["error", "warning", "info"]
    message: str
    repair: OcrRepairOut | None = Field(
        default=None, description="Sent only for a probable reader misread (`ocr_misread`)."
    )


class DocumentCheckOut(Out):
    """The MRZ as read and checked (ICAO Doc 9303): the ``doc check`` JSON contract.

    TD1 cards carry ``optional_data_1`` and ``optional_data_2``; every other format
    ``optional_data``. Fields are ``null`` when the MRZ could not be laid out. Format
    ``typed``: no MRZ was read, the officer typed the visual zone.
    """

    format: MrzFormat
    well_formed: bool
    document_code: str | None
    issuing_state: str | None
    document_number: str | None
    nationality: str | None
    surname: str | None
    given_names: str | None
    birth_date: IsoDate | None
    sex: str | None
    expiry_date: IsoDate | None
    optional_data: str | None = Field(default=None, description="Not sent for TD1.")
    optional_data_1: str | None = Field(default=None, description="TD1 only.")
    optional_data_2: str | None = Field(default=None, description="TD1 only.")
    expired: bool | None
    findings: tuple[DocumentFindingOut, ...]


class FindingOut(Out):
    """One thing a source found, in words for a first-line officer; what to do on a hit."""

    source: Literal[Source, "inspection"]
    code: str
    severity: Literal["hit", "refer", "report", "info"] = Field(
        description="`report`: the decision unchanged, a report asked (a discreet check)."
    )
    message: str
    action: str | None = Field(description="The issuer's instruction, in words.")
    contact: str | None
    reference: str | None = Field(
        description="The record: an alert id, a watchlist id, `STATE:NUMBER`."
    )
    alert_action: ActionCode | None = Field(
        default=None, description="What this hit asks for (alerts, watchlist, stolen/lost)."
    )


class WatchlistCandidateOut(Out):
    """A watchlist person the traveller may be: calibrated score, reasons, whether a hit."""

    id: str
    score: float
    reasons: tuple[str, ...]
    name: str
    hit: bool
    category: str | None


class FaceHitOut(Out):
    """A listed identity whose face is near the traveller's (1:N)."""

    gallery: str
    identity: str
    score: float
    name: str | None = Field(
        default=None, description="The name filed with the listed face; `null`: none given."
    )
    reference_photo: bool = Field(
        default=False,
        description="A reference photo of the listed face was on file when the check ran: the "
        "verdict page shows it (`/check/{inspection_id}/faces/{gallery}/{identity}.jpg`, "
        "signed-in officers and analysts, audited).",
    )


class FaceComparisonOut(Out):
    """The live photo against the document's portrait (1:1)."""

    match: bool
    score: float


class MatchesOut(Out):
    """What the registries and lists returned, by ids and scores."""

    watchlist: tuple[WatchlistCandidateOut, ...]
    faces: tuple[FaceHitOut, ...]
    face_verification: FaceComparisonOut | None
    sltd: tuple[str, ...] = Field(description="`STATE:NUMBER (status)` of each record found.")
    alerts: tuple[str, ...] = Field(description="Ids of the alerts in force found.")


class StayFiguresOut(Out):
    """Days of stay against the rule, as of the inspection's day."""

    days_used: int
    days_left: int
    max_days: int
    window_days: int
    overstay_days: int
    inside: bool
    latest_day: IsoDate | None = Field(
        description="Entering: the last day the traveller may stay; inside: the day to leave by."
    )


class InspectionResultOut(Out):
    """The answer of one border check: decision, reasons, one light per source, matches."""

    inspection_id: str
    at: IsoDateTime
    decision: Decision
    document: DocumentCheckOut
    findings: tuple[FindingOut, ...]
    sources: dict[Source, Light] = Field(
        description="A light per source run (`federation` only when the partners were "
        "involved, `chip` only when the chip was read, `fingerprint` only with fingers)."
    )
    matches: MatchesOut
    stay: StayFiguresOut | None
    crossing_id: int | None = Field(description="The crossing logged for a `clear`.")
    recorded: bool = Field(description="False only when the node could not store the check.")
    action: ActionCode | None = Field(
        default=None,
        description="The strongest action the hits ask for; `null`: none. A `clear` may "
        "carry `discreet_check` or `inform`: let the traveller pass as usual and report. "
        "Clients must read it (docs/api.md, Alert actions).",
    )


class OfficerDecisionOut(Out):
    """What the officer did with the traveller, and the crossing it logged (``admit``)."""

    action: Literal["admit", "refer", "refuse"]
    reason_code: str
    reason_label: str | None = Field(
        default=None,
        description="The reason's label in the node's catalogue, for the inspection's direction "
        "(the code itself when the catalogue no longer offers it).",
    )
    by: str
    at: IsoDateTime
    crossing_id: int | None
    confirmed_by: str | None = Field(
        default=None,
        description="The supervisor who confirmed an admission of a HIT (four eyes); "
        "`null` for any other decision.",
    )


DecisionState = Literal["undecided", "recorded", "awaiting_confirmation"]
AdmissionStatus = Literal["awaiting", "confirmed", "declined"]
SecondLineOutcome = Literal["admitted_after_check", "refused", "arrested", "handed_over"]


class AdmissionOut(Out):
    """An officer's admission of a HIT put to a supervisor, and the supervisor's answer."""

    id: int
    inspection_id: str
    reason_code: str
    requested_by: str
    requested_at: IsoDateTime
    status: AdmissionStatus = Field(
        description="`awaiting` a supervisor; `confirmed` (admitted, crossing logged); "
        "`declined` (the inspection is undecided again)."
    )
    supervisor: str | None
    answered_at: IsoDateTime | None
    note: str | None = Field(description="Why the supervisor declined (or a remark).")


class SecondLineOut(Out):
    """A traveller referred to second line and, once recorded, the outcome."""

    inspection_id: str
    crossing_point: str
    reason_code: str
    referred_by: str
    referred_at: IsoDateTime
    outcome: SecondLineOutcome | None = Field(description="`null` while in the queue.")
    outcome_by: str | None
    outcome_at: IsoDateTime | None
    notes: str | None
    handed_to: str | None = Field(description="The service a `handed_over` traveller went to.")
    crossing_id: int | None = Field(description="The crossing `admitted_after_check` logged.")


class TravelOut(Out):
    """An inspection's travel context as stored (normalised: ``records.travel``)."""

    vehicle_plate: str | None
    party_reference: str | None
    address: str | None
    phone: str | None


class InspectionOut(InspectionResultOut):
    """A stored inspection: its result, the officer's decision (``null``: none yet), its hits."""

    officer_decision: OfficerDecisionOut | None
    reviews: tuple[HitReviewOut, ...]
    decision_state: DecisionState = Field(
        default="undecided",
        description="`recorded`: `officer_decision` stands; `awaiting_confirmation`: the "
        "officer admitted a HIT and a supervisor must confirm (nothing recorded yet, no "
        "crossing); `undecided`: no decision yet.",
    )
    admission: AdmissionOut | None = Field(
        default=None, description="The latest admission of a HIT put to a supervisor."
    )
    second_line: SecondLineOut | None = Field(
        default=None, description="The second-line referral, when the officer referred."
    )
    travel: TravelOut | None = Field(
        default=None, description="The journey's context given with the check, if any."
    )
