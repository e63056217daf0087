"""``/sltd``, ``/watchlist``, ``/crossings``: what the registries answer a search."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from passerelle.api.models.base import IsoDate, IsoDateTime, Out

__all__ = [
    "CrossingOut",
    "CrossingsOut",
    "SltdCheckOut",
    "SltdRecordOut",
    "StayOut",
    "WatchlistMatchOut",
    "WatchlistPersonOut",
    "WatchlistSearchOut",
    "WatchlistSharingOut",
]


class SltdRecordOut(Out):
    """A stolen, lost, revoked or invalidated document record, and how it matched."""

    issuing_state: str
    document_number: str
    document_code: str
    status: Literal["stolen", "lost", "revoked", "invalidated"]
    reported_on: IsoDate
    reported_by: str
    version: int
    match: Literal["exact", "lookalike", "truncated_number"]


class SltdCheckOut(Out):
    """``GET /sltd/{state}/{number}``: whether the document is reported, with the records."""

    hit: bool
    records: tuple[SltdRecordOut, ...]


class WatchlistMatchOut(Out):
    """A watchlist person whose names match the query, why, and their false positives."""

    id: str
    name: str
    score: float
    would_alert: bool = Field(
        description="The score reaches the engine's alert threshold: the border check would "
        "alert on this person."
    )
    reasons: tuple[str, ...]
    false_positives: int


class WatchlistSearchOut(Out):
    """``GET /watchlist/search``: candidates, best first (a ranked list, not an alert)."""

    matches: tuple[WatchlistMatchOut, ...]
    alert_threshold: float = Field(description="The score from which the border check alerts.")


class WatchlistPersonOut(Out):
    """``GET /watchlist/{id}``: one watchlist entry, with its false positives so far."""

    id: str
    names: tuple[str, ...]
    birth_date: str | None = Field(description="`YYYY-MM-DD`, `YYYY-MM` or `YYYY`.")
    nationalities: tuple[str, ...]
    sex: str | None
    category: str
    issued_by: str
    valid_until: IsoDate | None
    status: str
    content_hash: str
    created_at: IsoDateTime
    updated_at: IsoDateTime
    withdrawn_at: IsoDateTime | None
    shareable: bool
    restricted_matter: str | None
    false_positives: int


class WatchlistSharingOut(Out):
    """``PUT /watchlist/{id}/sharing``: the person's sharing flags as now held."""

    id: str
    shareable: bool
    restricted_matter: str | None
    content_hash: str
    updated_at: IsoDateTime


class CrossingOut(Out):
    """A recorded border crossing."""

    id: int
    issuing_state: str
    document_number: str
    nationality: str | None
    crossing_point: str
    direction: Literal["entry", "exit"]
    at: IsoDateTime
    officer: str
    recorded_at: IsoDateTime


class StayOut(Out):
    """Days of stay used and left today under the rule in force."""

    days_used: int
    days_left: int
    overstay_days: int
    inside: bool
    max_days: int
    window_days: int


class CrossingsOut(Out):
    """``GET /crossings/{state}/{number}``: the document's crossings and its stay today."""

    crossings: tuple[CrossingOut, ...]
    stay: StayOut
