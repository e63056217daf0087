"""``/second-line``: admissions of a HIT awaiting a supervisor, and travellers referred."""

from __future__ import annotations

from pydantic import Field

from passerelle.api.models.base import IsoDateTime, Out
from passerelle.api.models.inspections import AdmissionOut, Decision, SecondLineOut

__all__ = ["QueueEntryOut", "SecondLineQueueOut", "WaitingAdmissionOut", "WaitingReferralOut"]


class QueueEntryOut(Out):
    """The traveller as the second-line officer first reads them."""

    inspection_id: str
    at: IsoDateTime = Field(description="When the traveller was checked.")
    crossing_point: str
    direction: str
    decision: Decision
    name: str = Field(description="Surname and given names as the document reads.")
    document: str = Field(description="`STATE:NUMBER`; empty when the number was not read.")
    found: tuple[str, ...] = Field(description="What the check found that hit or referred.")


class WaitingAdmissionOut(Out):
    """An admission of a HIT waiting for a supervisor's confirmation."""

    admission: AdmissionOut
    traveller: QueueEntryOut


class WaitingReferralOut(Out):
    """A traveller waiting in second line, with who referred and why (`reason_label`)."""

    referral: SecondLineOut
    reason_label: str = Field(description="The reason's label in the node's catalogue.")
    traveller: QueueEntryOut


class SecondLineQueueOut(Out):
    """The second-line queue of a crossing point (or all), newest first."""

    crossing_point: str | None
    confirmations: tuple[WaitingAdmissionOut, ...]
    referrals: tuple[WaitingReferralOut, ...]
