"""A period's network in one call, and the parts of it a page shows.

>>> from datetime import UTC, datetime
>>> with database.read() as session:                                   # doctest: +SKIP
...     network = build_network(session, datetime(2026, 11, 1, tzinfo=UTC),
...                             datetime(2026, 12, 1, tzinfo=UTC), default_parameters())
>>> part = community_part(network, 1)                                  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from passerelle.exc import NotFound
from passerelle.networks.analysis import communities_of, persons_of
from passerelle.networks.building import build_links, checked_kinds
from passerelle.networks.model import Link, Network, Person
from passerelle.networks.parameters import NetworkParameters

__all__ = ["NetworkPart", "build_network", "community_part", "neighbourhood"]


def build_network(
    session: Session,
    since: datetime,
    until: datetime,
    parameters: NetworkParameters,
    kinds: Collection[str] | None = None,
) -> Network:
    """The links of ``kinds`` (all by default) among the period's records, and communities."""
    asked = checked_kinds(kinds)
    links, left_out = build_links(session, since, until, parameters, asked)
    community, communities = communities_of(links, parameters)
    return Network(
        since=since,
        until=until,
        kinds=asked,
        persons=persons_of(links, community),
        links=links,
        communities=communities,
        left_out=left_out,
    )


@dataclass(frozen=True, slots=True)
class NetworkPart:
    """Some persons and the links among them: a community, or a person's neighbours."""

    persons: tuple[Person, ...]
    links: tuple[Link, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "persons": [p.as_dict() for p in self.persons],
            "links": [link.as_dict() for link in self.links],
        }


def _part(network: Network, keys: set[str]) -> NetworkPart:
    return NetworkPart(
        tuple(p for p in network.persons if p.key in keys),
        tuple(link for link in network.links if link.source in keys and link.target in keys),
    )


def community_part(network: Network, number: int) -> NetworkPart:
    """A community's persons and the links among them (``NotFound`` when there is none)."""
    community = network.community(number)
    if community is None:
        raise NotFound("community", f"no community {number} in this network")
    return _part(network, set(community.persons))


def neighbourhood(network: Network, person: str) -> NetworkPart:
    """A person, the persons linked to them, and every link among those."""
    keys = {person}
    for link in network.links:
        if person in (link.source, link.target):
            keys.update((link.source, link.target))
    if len(keys) == 1 and not any(p.key == person for p in network.persons):
        raise NotFound("person", f"{person} has no link in this network")
    return _part(network, keys)
