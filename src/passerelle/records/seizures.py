"""Seizures at the border: what an officer took from a traveller, why, and on which alert.

On any inspection the officer may record a seizure: by default the travel
document itself (its issuing state, number and type, as read), and other items
described in words; why; the alert it follows, if any. Each seizure of an
inspection has a number (1, 2, ...) that its receipt carries.

>>> draft = parse_seizure(document=True, items="", reason="Reported stolen", alert_reference="")
>>> draft.document, draft.reason, draft.alert_reference
(True, 'Reported stolen', None)
>>> parse_seizure(document=False, items=" ", reason="x", alert_reference=None)
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: items: say what was seized (the document, or the items in words)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passerelle.exc import InvalidInput, NotFound
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "MAX_ITEMS",
    "MAX_REASON",
    "MAX_REFERENCE",
    "SeizureDraft",
    "SeizureView",
    "UnknownSeizure",
    "parse_seizure",
]

MAX_ITEMS = 2000
MAX_REASON = 500
MAX_REFERENCE = 128


class UnknownSeizure(NotFound):
    """No seizure of this number on the inspection (a ``NotFound`` in the faces)."""


@dataclass(frozen=True, slots=True)
class SeizureDraft:
    """A seizure to record: the document or not, other items, why, the alert followed."""

    document: bool
    items: str
    reason: str
    alert_reference: str | None


@dataclass(frozen=True, slots=True)
class SeizureView:
    """A recorded seizure: its number in the inspection, the document taken (state, number,
    type, when it was), the other items, why, the alert, who and when."""

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
    at: datetime

    @property
    def described(self) -> str:
        """What was seized, in one line.

        >>> SeizureView("i", 1, True, "MAR", "AB123", "P", "", "x", None, "o",
        ...             datetime(2026, 1, 1)).described
        'Travel document P MAR AB123'
        """
        parts = []
        if self.document:
            shown = " ".join(
                p for p in (self.document_type, self.document_state, self.document_number) if p
            )
            parts.append(f"Travel document {shown}".strip())
        if self.items:
            parts.append(self.items)
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "inspection_id": self.inspection_id,
            "number": self.number,
            "document": self.document,
            "document_state": self.document_state,
            "document_number": self.document_number,
            "document_type": self.document_type,
            "items": self.items,
            "reason": self.reason,
            "alert_reference": self.alert_reference,
            "officer": self.officer,
            "at": self.at.isoformat(),
        }


def _text(value: str | None, field: str, longest: int, *, required: bool, why: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(field, why)
    if len(text) > longest:
        raise InvalidInput(field, worded(N_("is longer than %(most)s characters"), most=longest))
    return text


def parse_seizure(
    *, document: bool, items: str | None, reason: str | None, alert_reference: str | None
) -> SeizureDraft:
    """A seizure as given by a face, checked: something seized (the document or items),
    a reason, lengths within bounds; :class:`InvalidInput` naming the field otherwise."""
    items_ = _text(items, "items", MAX_ITEMS, required=False, why="")
    if not document and not items_:
        raise InvalidInput(
            "items", worded(N_("say what was seized (the document, or the items in words)"))
        )
    reason_ = _text(reason, "reason", MAX_REASON, required=True, why="say why it was seized")
    reference = _text(alert_reference, "alert_reference", MAX_REFERENCE, required=False, why="")
    return SeizureDraft(document, items_, reason_, reference or None)
