"""``/identity-links``: multiple-identity links, their evidence, resolutions and questions."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from passerelle.api.models.base import IsoDateTime, Out
from passerelle.api.models.text import PlainTextBody

__all__ = [
    "AskIdentityBody",
    "AskedPartnersOut",
    "IdentityLinkListOut",
    "IdentityLinkOut",
    "LinkComparisonOut",
    "LinkEndOut",
    "LinkEvidenceOut",
    "LinkFollowUpBody",
    "LinkResolutionBody",
    "LinkedRecordOut",
]

Colour = Literal["yellow", "red", "green", "white"]
RecordKind = Literal["inspection", "watchlist", "alert", "partner_alert", "partner"]


class LinkEndOut(Out):
    """One end of a link: a record's kind and its reference in that kind."""

    kind: RecordKind
    ref: str


class LinkComparisonOut(Out):
    """One compared field: the level the model gave it and its weight."""

    model_config = ConfigDict(frozen=True, extra="allow")

    field: str
    level: str
    weight: float


class LinkEvidenceOut(Out):
    """Why the link exists (the comparisons; a partner's score band for a partner's link)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    comparisons: tuple[LinkComparisonOut, ...] = ()
    match_weight: float | None = None


class IdentityLinkOut(Out):
    """A link: its ends, MID colour, probability, evidence, origin and resolution."""

    id: int
    left: LinkEndOut
    right: LinkEndOut
    colour: Colour
    origin: Literal["linkage", "partner"]
    probability: float
    evidence: LinkEvidenceOut
    created_at: IsoDateTime
    run_id: int | None
    partner_state: str | None
    followup_id: str | None
    resolved_by: str | None
    resolved_at: IsoDateTime | None
    resolution_note: str | None


class IdentityLinkListOut(Out):
    """``GET /identity-links``: the links of a colour, most probable first, and the counts."""

    links: tuple[IdentityLinkOut, ...]
    counts: dict[str, int]


class PassageOut(Out):
    at: IsoDateTime
    point: str
    direction: str
    decision: str
    inspection_id: str


class LinkedRecordOut(Out):
    """One end's record as this node holds it (``held`` false: nothing to show)."""

    kind: RecordKind
    ref: str
    held: bool
    names: tuple[str, ...]
    birth_date: str | None
    nationalities: tuple[str, ...]
    sex: str | None
    documents: tuple[str, ...]
    category: str | None
    passages: tuple[PassageOut, ...]
    review_ids: tuple[int, ...]
    disclosed_by: str | None
    photo: bool
    """A reference photo is on file under the record's id (the analysts' page shows it,
    audited ``face.reference``)."""


class LinkFollowUpOut(Out):
    id: str
    status: str
    requested_by: str
    requested_at: IsoDateTime


class LinkEvidenceDetailOut(IdentityLinkOut):
    """``GET /identity-links/{id}``: the link with both records side by side."""

    records: tuple[LinkedRecordOut, LinkedRecordOut]
    follow_up: LinkFollowUpOut | None


class PartnerAnswerOut(Out):
    peer: str
    status: Literal["hit", "no_hit", "timeout", "unreachable", "refused", "invalid"]
    reference: str | None
    score_band: str | None


class AskedPartnersOut(Out):
    """``POST /identity-links/ask``: each partner's answer and the links its hits opened."""

    record: LinkEndOut
    answers: tuple[PartnerAnswerOut, ...]
    link_ids: tuple[int, ...]


class _Body(PlainTextBody):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class LinkResolutionBody(_Body):
    """``POST /identity-links/{id}/resolution``: the colour and why (required)."""

    multiline_fields = frozenset({"note"})

    colour: Literal["red", "green", "white"] = Field(
        description="red: multiple identity (fraud suspected); green: different persons; "
        "white: the same person, lawfully under several identities."
    )
    note: str = Field(max_length=2000, description="Why; blank is refused.")


class LinkFollowUpBody(_Body):
    """``POST /identity-links/{id}/follow-up``: why the partner's record is needed."""

    multiline_fields = frozenset({"justification"})

    justification: str = Field(max_length=2000, description="Sent to the partner; required.")


class AskIdentityBody(_Body):
    """``POST /identity-links/ask``: the record to ask partners about, and why."""

    kind: Literal["inspection", "watchlist"]
    ref: str = Field(min_length=1, max_length=128)
    purpose: str = Field(min_length=1, max_length=500)
