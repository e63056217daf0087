"""A border check's request: one traveller at the booth, checked before anything is asked.

:class:`InspectionRequest` refuses, naming the field (``InvalidInput`` with its reason worded
for the booth's page), what cannot be inspected: no MRZ and no typed visual zone, both, an
empty MRZ, a typed birth date after the day, no purpose, a crossing point or booth out of
shape, a direction that is neither entry nor exit, a naive time, a photo over 20 MiB, a
request id out of shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from passerelle.biometrics.fingerprint.captures import LiveFinger
from passerelle.documents import DocumentCheck, TypedDocument
from passerelle.documents.chip import ChipData
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.fields import says_nothing
from passerelle.records.travel import TravelContext
from passerelle.records.workplaces import booth_label
from passerelle.store.audit import Actor

__all__ = ["REQUEST_ID", "Direction", "InspectionRequest"]

Direction = Literal["entry", "exit"]
_MAX_PHOTO_BYTES = 20 * 1024 * 1024
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
"""A client's request id: 8 to 64 letters, digits, '.', '_', ':' or '-' (a UUID fits)."""


@dataclass(frozen=True, slots=True)
class InspectionRequest:
    """One traveller at the booth: the document, the photos, where, which way, who and why.

    ``mrz`` is the machine readable zone as read (any case, CR/LF, stray blanks), or a
    ``DocumentCheck`` a reader already made (its lines are checked again, as of ``at``);
    when no MRZ can be read, ``mrz`` is None and ``visual_zone`` is the document as the
    officer typed it (``documents.typed``): exactly one of the two.
    ``at`` is when the traveller presents (timezone-aware): expiry is judged on its day.
    ``federation`` asks the partners too (True), not (False), or as the node is set (None).
    ``stay_exemption`` is the code of a category the stay rule does not bind that the
    officer states (``records.stay_rule``; the inspector checks it is one of the node's).
    Raises ``InvalidInput(field, reason)`` for a request that cannot be inspected.
    """

    mrz: str | DocumentCheck | None
    purpose: str
    crossing_point: str
    direction: Direction
    officer: Actor
    at: datetime
    document_photo: bytes | None = None
    live_photo: bytes | None = None
    federation: bool | None = None
    visual_zone: TypedDocument | None = None
    stay_exemption: str | None = None
    booth: str | None = None
    """The booth of the crossing point (``records.workplaces.booth_label``); when None, the
    officer's assigned booth if they are assigned to this point."""
    fingerprints: tuple[LiveFinger, ...] = ()
    """Fingers captured at the booth (position and image), checked against
    ``biometrics.fingerprint.captures`` limits by whoever received them."""
    chip: ChipData | None = None
    """The chip as the reader read it (EF.SOD and data groups): passive authentication
    (``screening.chip``)."""
    travel: TravelContext | None = None
    """The journey's context as given (vehicle, party, address, phone; ``records.travel``),
    stored with the inspection for the analysts' networks (``passerelle.networks``)."""
    request_id: str | None = None
    """The client's own id for this request (``REQUEST_ID``), sent again with a retry: the
    inspection already stored under it for the same officer is the answer
    (``screening.replays``). None: every request is a new inspection."""

    def __post_init__(self) -> None:
        if self.mrz is None and self.visual_zone is None:
            raise InvalidInput(
                "mrz", worded(N_("is required: scan the MRZ, or type the visual zone"))
            )
        if self.mrz is not None and self.visual_zone is not None:
            raise InvalidInput(
                "visual_zone", worded(N_("give the MRZ or the typed visual zone, not both"))
            )
        if isinstance(self.mrz, str) and not self.mrz.strip():
            raise InvalidInput(
                "mrz", worded(N_("is empty: scan the document's machine readable zone"))
            )
        born = self.visual_zone.birth_date if self.visual_zone is not None else None
        if born is not None and self.at.tzinfo is not None and born > self.at.date():
            raise InvalidInput(
                "visual_zone.birth_date", worded(N_("is after the day of the check"))
            )
        if says_nothing(self.purpose):
            raise InvalidInput(
                "purpose", worded(N_("is required: say why the traveller is checked"))
            )
        if not self.crossing_point.strip() or len(self.crossing_point.strip()) > 64:
            raise InvalidInput("crossing_point", worded(N_("must be 1 to 64 characters")))
        if self.direction not in ("entry", "exit"):
            raise InvalidInput(
                "direction",
                worded(
                    N_("%(direction)s is not one of entry, exit"), direction=repr(self.direction)
                ),
            )
        booth_label(self.booth)
        if self.request_id is not None and not REQUEST_ID.fullmatch(self.request_id):
            raise InvalidInput(
                "request_id",
                worded(
                    N_(
                        "must be 8 to 64 letters, digits, '.', '_', ':' or '-', starting with a "
                        "letter or digit (a UUID fits)"
                    )
                ),
            )
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise InvalidInput("at", worded(N_("must be timezone-aware (carry a UTC offset)")))
        for name in ("document_photo", "live_photo"):
            photo = getattr(self, name)
            if photo is not None and len(photo) > _MAX_PHOTO_BYTES:
                raise InvalidInput(
                    name,
                    worded(N_("is larger than %(value)s MiB"), value=_MAX_PHOTO_BYTES // 2**20),
                )
