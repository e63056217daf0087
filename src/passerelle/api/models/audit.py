"""``/audit``: audit records as auditors read them, and the verdict on the chain."""

from __future__ import annotations

from pydantic import Field, JsonValue

from passerelle.api.models.base import IsoDateTime, Out

__all__ = ["AuditRecordOut", "AuditRecordsOut", "ChainVerdictOut"]


class AuditRecordOut(Out):
    """One audit record: who did what, when and why, and what they asked and got."""

    seq: int
    at: IsoDateTime
    actor: str
    actor_kind: str = Field(description="`user`, `peer` or `system`.")
    role: str
    action: str = Field(description="Stable key: `inspection.read`, `alert.search`, ...")
    purpose: str | None
    # Free-form on purpose: each action records its own query and result (an alert
    # search its status filter, a hit review read its case and note count); they are
    # JSON objects and nothing more is common to them. ``null`` once retention removed it.
    query: dict[str, JsonValue] | None
    result: dict[str, JsonValue] | None


class AuditRecordsOut(Out):
    """``GET /audit``: records, newest first."""

    records: tuple[AuditRecordOut, ...]


class ChainVerdictOut(Out):
    """``GET /audit/verify``: the whole chain intact, or the first record that does not hold."""

    intact: bool
    records: int = Field(description="Records walked.")
    first_broken: int | None = Field(description="The seq of the first record that fails.")
    reason: str | None
    redacted_payloads: int = Field(description="Payloads removed by retention (not a break).")
