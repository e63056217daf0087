"""The seizures' bodies: what the officer seized (``POST /inspections/{id}/seizures``)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from passerelle.api.models.base import IsoDateTime, Out
from passerelle.api.models.text import PlainTextBody
from passerelle.records.seizures import MAX_ITEMS, MAX_REASON, MAX_REFERENCE

__all__ = ["SeizureBody", "SeizureOut", "SeizuresOut"]


class SeizureBody(PlainTextBody):
    """A seizure: the travel document itself (default) and/or other items, why, the alert."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    multiline_fields = frozenset({"items", "reason"})

    document: bool = Field(
        default=True, description="The travel document itself is seized (its state, number, type)."
    )
    items: str = Field(default="", max_length=MAX_ITEMS, description="Other items, in words.")
    reason: str = Field(max_length=MAX_REASON, description="Why they were seized.")
    alert_reference: str | None = Field(
        default=None, max_length=MAX_REFERENCE, description="The alert followed, if any."
    )


class SeizureOut(Out):
    """A recorded seizure; ``number`` is its receipt's (1, 2... per inspection)."""

    inspection_id: str
    number: int
    document: bool
    document_state: str | None
    document_number: str | None
    document_type: str | None
    items: str
    reason: str
    alert_reference: str | None
    officer: str
    at: IsoDateTime


class SeizuresOut(Out):
    """An inspection's seizures, by number."""

    seizures: tuple[SeizureOut, ...]
