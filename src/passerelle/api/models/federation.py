"""``/federation``: follow-up requests between partners, refused shares, the outbox."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, JsonValue

from passerelle.api.models.base import IsoDateTime, Out

__all__ = [
    "FollowUpListOut",
    "FollowUpOut",
    "OutboxOut",
    "PartnerOutboxOut",
    "RefusedShareOut",
    "RefusedSharesOut",
    "ReleasedRecordOut",
]


class ReleasedRecordOut(Out):
    """The record an owner released: an SLTD record, an alert or a watchlist person.

    The keys below are those a Passerelle owner sends, each only for its
    ``record_type`` (none is always there); any other key is shown as the partner
    sent it.
    """

    # What a Passerelle owner sends: ``exchange.followup_values.released_record``.

    # Extra keys allowed: the record is written by the partner node, whatever its
    # version, and this node checks only that it is an object when it arrives
    # (``exchange.followup_handlers.receive_answer``); it is shown as it was received.
    model_config = ConfigDict(extra="allow")

    record_type: str | None = Field(default=None, description="`sltd`, `alert` or `watchlist`.")
    id: str | None = None
    issuing_state: str | None = None
    document_number: str | None = None
    document_code: str | None = None
    status: str | None = None
    reported_on: str | None = None
    reported_by: str | None = None
    category: str | None = None
    subject: dict[str, JsonValue] | None = None
    action: str | None = None
    contact: str | None = None
    names: tuple[str, ...] | None = None
    birth_date: str | None = None
    nationalities: tuple[str, ...] | None = None


class FollowUpOut(Out):
    """A follow-up request as stored on this node, either direction."""

    id: str
    direction: Literal["incoming", "outgoing"]
    peer: str = Field(description="The partner's state code.")
    reference: str
    justification: str
    requested_by: str
    requested_at: IsoDateTime
    deadline_at: IsoDateTime
    status: str = Field(description="`pending`, `approved`, `refused` or `expired`.")
    decided_by: str | None
    decided_at: IsoDateTime | None
    decision_note: str | None
    released: ReleasedRecordOut | None = Field(
        description="The record released (approved requests); `null` otherwise."
    )


class FollowUpListOut(Out):
    """``GET /federation/followups``: one direction's requests."""

    direction: Literal["incoming", "outgoing"]
    followups: tuple[FollowUpOut, ...]


class RefusedShareOut(Out):
    """A record kept from a partner by the sharing rules (the partner was told ``no_hit``)."""

    seq: int = Field(description="The audit record it was read from.")
    at: IsoDateTime
    peer: str
    kind: str
    record_type: str
    record_id: str
    code: str = Field(description="Stable: `restricted_matter`, `not_shareable`, ...")
    reason: str


class RefusedSharesOut(Out):
    """``GET /federation/refused-shares``: newest first."""

    refused_shares: tuple[RefusedShareOut, ...]


class PartnerOutboxOut(Out):
    """One partner's messages: waiting (to send or retry), parked (refused for good), sent."""

    peer: str
    waiting: int
    parked: int
    delivered: int
    oldest_waiting: IsoDateTime | None


class OutboxOut(Out):
    """``GET /federation/outbox``: every partner with messages, by state."""

    outbox: tuple[PartnerOutboxOut, ...]
