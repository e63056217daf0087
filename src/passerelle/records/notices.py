"""What a printed notice says: the refusal notice and the seizure receipt, as values.

The node prints them for the traveller (``http.printing`` renders the PDF); the
services gather the facts here from the stored inspection, the node's
catalogue and the seizure, and audit the disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from passerelle.exc import InvalidInput
from passerelle.records.seizures import SeizureView

__all__ = ["NotRefused", "NoticeReason", "RefusalNotice", "SeizureReceipt", "TravellerFacts"]


class NotRefused(InvalidInput):
    """A refusal notice asked for an inspection not decided ``refuse`` (a conflict: 409)."""


@dataclass(frozen=True, slots=True)
class TravellerFacts:
    """Who the notice is for and where: as the inspection read the document."""

    inspection_id: str
    surname: str
    given_names: str
    birth_date: str
    nationality: str
    document_type: str
    document_state: str
    document_number: str
    crossing_point: str
    direction: str
    at: datetime

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname) if p) or "—"


@dataclass(frozen=True, slots=True)
class NoticeReason:
    """A reason as printed: its code, the label in the officer's and traveller's languages,
    and the legal basis ('' when the catalogue gives none)."""

    code: str
    officer_label: str
    traveller_label: str
    legal_basis: str


@dataclass(frozen=True, slots=True)
class RefusalNotice:
    """A refusal of entry or exit, as the traveller receives it."""

    traveller: TravellerFacts
    reasons: tuple[NoticeReason, ...]
    officer: str
    decided_at: datetime
    officer_language: str
    traveller_language: str


@dataclass(frozen=True, slots=True)
class SeizureReceipt:
    """A receipt for what was seized from the traveller."""

    traveller: TravellerFacts
    seizure: SeizureView
    officer_language: str
    traveller_language: str
