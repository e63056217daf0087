"""``GET /analysis/networks``: travellers, the links between them with their records and
reasons, and the communities found."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from passerelle.api.models.base import Out

__all__ = [
    "CentralPersonOut",
    "CommunityOut",
    "EvidenceOut",
    "LeftOutOut",
    "LinkOut",
    "MonthSizeOut",
    "NetworkOut",
    "NetworkPersonOut",
    "RouteUseOut",
]


class EvidenceOut(Out):
    """One record behind a link."""

    record: Literal["crossing", "inspection", "hit_review", "case"]
    id: str
    person: str
    at: str | None
    point: str | None
    direction: str | None
    inspection: str | None = Field(
        description="The inspection the record is or belongs to (`GET /inspections/{id}`)."
    )


class LinkOut(Out):
    """Two travellers joined by one kind of evidence, with why and the records behind it."""

    id: str
    source: str
    target: str
    kind: str
    occasions: int
    reason: str = Field(description="Why the link exists, in a sentence (English).")
    records: tuple[EvidenceOut, ...]


class NetworkPersonOut(Out):
    """A traveller of the network, keyed by document (`doc:STATE:NUMBER`)."""

    key: str
    label: str
    issuing_state: str | None
    document_number: str | None
    links: int
    community: int | None


class CentralPersonOut(Out):
    key: str
    degree: int
    betweenness: float
    pagerank: float


class RouteUseOut(Out):
    point: str
    direction: str
    hour: int = Field(description="The UTC hour of the co-travels.")
    crossings: int


class MonthSizeOut(Out):
    month: str
    persons: int


class CommunityOut(Out):
    """Travellers more linked to each other than to the rest."""

    number: int
    persons: tuple[str, ...]
    links: int
    kinds: dict[str, int]
    central: tuple[CentralPersonOut, ...]
    routes: tuple[RouteUseOut, ...]
    growth: tuple[MonthSizeOut, ...]


class LeftOutOut(Out):
    kind: str
    persons: int


class NetworkOut(Out):
    """The period's communities, and the persons and links asked: the whole network, a
    community's (`community`) or a person's neighbours (`person`)."""

    since: str
    until: str
    kinds: tuple[str, ...]
    communities: tuple[CommunityOut, ...]
    persons: tuple[NetworkPersonOut, ...]
    links: tuple[LinkOut, ...]
    left_out: tuple[LeftOutOut, ...]
