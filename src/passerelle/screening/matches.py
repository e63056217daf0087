"""What the biometric and name checks of a border check matched: the watchlist persons the
traveller may be, the face hits in the galleries, the face compared with the document's.

Frozen values, with ``as_dict`` (the API's JSON) and ``from_dict`` (a stored one read back);
:mod:`passerelle.screening.model` gathers them into the inspection's result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from passerelle.i18n.wording import Wording

__all__ = ["FaceComparison", "FaceHit", "Matches", "WatchlistCandidate"]


@dataclass(frozen=True, slots=True)
class WatchlistCandidate:
    """A watchlist person the traveller may be: calibrated score, reasons, whether a hit."""

    id: str
    score: float
    reasons: tuple[str, ...]
    name: str
    hit: bool
    category: str | None = None
    wordings: tuple[Wording, ...] = ()
    """The reasons as their sentences' templates and parameters (empty: stored before the
    wordings; the pages show the English reasons)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "reasons": list(self.reasons),
            "name": self.name,
            "hit": self.hit,
            "category": self.category,
        }


@dataclass(frozen=True, slots=True)
class FaceHit:
    """A listed identity whose face is near the traveller's (1:N), at or above the threshold."""

    gallery: str
    identity: str
    score: float
    name: str | None = None
    """The name filed with the listed face (``None``: none given at enrolment)."""
    reference_photo: bool = False
    """Whether the listed face's reference photo was on file when the check ran."""

    def as_dict(self) -> dict[str, object]:
        return {
            "gallery": self.gallery,
            "identity": self.identity,
            "score": round(self.score, 4),
            "name": self.name,
            "reference_photo": self.reference_photo,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaceHit:
        return cls(
            data["gallery"],
            data["identity"],
            data["score"],
            data.get("name"),
            bool(data.get("reference_photo", False)),
        )


@dataclass(frozen=True, slots=True)
class FaceComparison:
    """The live photo against the document's portrait (1:1)."""

    match: bool
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"match": self.match, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class Matches:
    """What the registries and lists returned: ids and scores, for the officer and the review."""

    watchlist: tuple[WatchlistCandidate, ...] = ()
    faces: tuple[FaceHit, ...] = ()
    face_verification: FaceComparison | None = None
    sltd: tuple[str, ...] = ()
    """``STATE:NUMBER (status)`` of each stolen/lost record found."""
    alerts: tuple[str, ...] = ()
    """Ids of the alerts in force found on the document or the person."""

    def as_dict(self) -> dict[str, object]:
        return {
            "watchlist": [c.as_dict() for c in self.watchlist],
            "faces": [f.as_dict() for f in self.faces],
            "face_verification": (
                self.face_verification.as_dict() if self.face_verification else None
            ),
            "sltd": list(self.sltd),
            "alerts": list(self.alerts),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Matches:
        verification = data.get("face_verification")
        return cls(
            tuple(
                WatchlistCandidate(
                    c["id"],
                    c["score"],
                    tuple(c["reasons"]),
                    c["name"],
                    c["hit"],
                    c.get("category"),
                    tuple(Wording.from_dict(w) for w in c.get("wordings", ())),
                )
                for c in data.get("watchlist", ())
            ),
            tuple(FaceHit.from_dict(f) for f in data.get("faces", ())),
            FaceComparison(verification["match"], verification["score"]) if verification else None,
            tuple(data.get("sltd", ())),
            tuple(data.get("alerts", ())),
        )
