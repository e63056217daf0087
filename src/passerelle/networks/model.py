"""The networks as values: persons, the records behind a link, links, communities.

A **person** is a traveller keyed by document, ``doc:STATE:NUMBER`` (as the hit
reviews key them, ``store.inspections.traveller_key``; a review without a document
keys its person ``person:NAME:BIRTH``). Two keys of one human stay two persons until
an identity link merges them; a :data:`shared_document` link says where one may.

A **link** joins two persons by one kind of evidence (``parameters.EDGE_KINDS``),
carries the records behind it (:class:`Evidence`: a crossing, an inspection, a hit
review, a case; when and where) and a sentence saying why it exists. A link is a
lead for a human, never a finding on its own (docs/analytics.md, "Networks").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from passerelle.i18n.wording import Wording

__all__ = [
    "CentralPerson",
    "Community",
    "Evidence",
    "LeftOut",
    "Link",
    "MonthSize",
    "Network",
    "Person",
    "RouteUse",
    "document_of",
]

RecordKind = Literal["crossing", "inspection", "hit_review", "case"]


def document_of(key: str) -> tuple[str, str] | None:
    """The ``(state, number)`` of a ``doc:STATE:NUMBER`` key, else None.

    >>> document_of("doc:MAR:AB1234567"), document_of("person:DOE:1990-01-01")
    (('MAR', 'AB1234567'), None)
    """
    kind, _, rest = key.partition(":")
    state, _, number = rest.partition(":")
    return (state, number) if kind == "doc" and state and number else None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record behind a link: which, whose, when and where."""

    record: RecordKind
    id: str
    person: str
    at: datetime | None = None
    point: str | None = None
    direction: str | None = None
    inspection: str | None = None
    """The inspection the record is or belongs to (a hit review's), whose page shows it."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "id": self.id,
            "person": self.person,
            "at": self.at.isoformat() if self.at else None,
            "point": self.point,
            "direction": self.direction,
            "inspection": self.inspection,
        }


@dataclass(frozen=True, slots=True)
class Link:
    """Two persons joined by one kind of evidence (``source < target``)."""

    source: str
    target: str
    kind: str
    occasions: int
    """How many times the evidence was met (co-travels, shared records)."""
    records: tuple[Evidence, ...]
    """The records behind it (at most ``max_records_per_edge``, the earliest first)."""
    reason: Wording
    """Why the link exists, in a sentence a page writes in its reader's language."""

    @property
    def id(self) -> str:
        return f"{self.kind}|{self.source}|{self.target}"

    @property
    def first_at(self) -> datetime | None:
        return min((r.at for r in self.records if r.at is not None), default=None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "occasions": self.occasions,
            "reason": self.reason.english,
            "records": [r.as_dict() for r in self.records],
        }


@dataclass(frozen=True, slots=True)
class Person:
    """A traveller of the network: the key, the document when known, how linked."""

    key: str
    links: int
    community: int | None = None

    @property
    def document(self) -> tuple[str, str] | None:
        return document_of(self.key)

    @property
    def label(self) -> str:
        document = self.document
        return f"{document[0]} {document[1]}" if document else self.key.partition(":")[2]

    def as_dict(self) -> dict[str, Any]:
        document = self.document
        return {
            "key": self.key,
            "label": self.label,
            "issuing_state": document[0] if document else None,
            "document_number": document[1] if document else None,
            "links": self.links,
            "community": self.community,
        }


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A shared value held by too many travellers to be a lead (a hotel, a coach)."""

    kind: str
    persons: int

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "persons": self.persons}


@dataclass(frozen=True, slots=True)
class CentralPerson:
    """How central a person is in their community (degree, betweenness, PageRank)."""

    key: str
    degree: int
    betweenness: float
    pagerank: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "degree": self.degree,
            "betweenness": round(self.betweenness, 4),
            "pagerank": round(self.pagerank, 4),
        }


@dataclass(frozen=True, slots=True)
class RouteUse:
    """A crossing point, a direction and a local hour a community's co-travels used."""

    point: str
    direction: str
    hour: int
    crossings: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "direction": self.direction,
            "hour": self.hour,
            "crossings": self.crossings,
        }


@dataclass(frozen=True, slots=True)
class MonthSize:
    """How many of a community's persons had been linked by the end of a month."""

    month: str
    persons: int

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month, "persons": self.persons}


@dataclass(frozen=True, slots=True)
class Community:
    """Persons more linked to each other than to the rest, with who is central and where."""

    number: int
    persons: tuple[str, ...]
    links: int
    kinds: tuple[tuple[str, int], ...]
    central: tuple[CentralPerson, ...]
    routes: tuple[RouteUse, ...]
    growth: tuple[MonthSize, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "persons": list(self.persons),
            "links": self.links,
            "kinds": dict(self.kinds),
            "central": [c.as_dict() for c in self.central],
            "routes": [r.as_dict() for r in self.routes],
            "growth": [g.as_dict() for g in self.growth],
        }


@dataclass(frozen=True, slots=True)
class Network:
    """The persons and links of a period, and the communities found in them."""

    since: datetime
    until: datetime
    kinds: tuple[str, ...]
    persons: tuple[Person, ...]
    links: tuple[Link, ...]
    communities: tuple[Community, ...]
    left_out: tuple[LeftOut, ...] = ()

    def community(self, number: int) -> Community | None:
        return next((c for c in self.communities if c.number == number), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "kinds": list(self.kinds),
            "persons": [p.as_dict() for p in self.persons],
            "links": [link.as_dict() for link in self.links],
            "communities": [c.as_dict() for c in self.communities],
            "left_out": [item.as_dict() for item in self.left_out],
        }
