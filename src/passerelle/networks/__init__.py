"""Networks of travellers: who crosses with whom, who shares what, and the communities.

A **person** is a traveller keyed by document (``doc:STATE:NUMBER``); a **link**
joins two persons by one kind of evidence and carries the records behind it and a
sentence saying why it exists (``model``). The kinds (``parameters.EDGE_KINDS``):
travelling in the same vehicle at the same crossing, crossing at the same point
and way within minutes *repeatedly* (once is chance), the same holder on two
documents, a shared address, phone or booking, hits of the same alert, reviews in
the same case. Windows, thresholds and weights are data (``parameters.toml``).

``build_network(session, since, until, parameters, kinds)`` reads the period's
records (``sources``), pairs co-travellers in DuckDB (``pairing``: sorted by point
and time, paired within the window, never every pair of a day's traffic), builds
the links (``building``) and finds the communities with igraph and Leiden, their
central persons, routes and growth (``analysis``).

A link is a lead for an analyst, never a finding about a person on its own.
"""

from passerelle.networks.analysis import communities_of, records_of, weighted_graph
from passerelle.networks.building import build_links, checked_kinds
from passerelle.networks.model import (
    CentralPerson,
    Community,
    Evidence,
    LeftOut,
    Link,
    MonthSize,
    Network,
    Person,
    RouteUse,
    document_of,
)
from passerelle.networks.network import NetworkPart, build_network, community_part, neighbourhood
from passerelle.networks.pairing import PairedRecords, TimedRecords, pair_within
from passerelle.networks.parameters import EDGE_KINDS, NetworkParameters, default_parameters

__all__ = [
    "EDGE_KINDS",
    "CentralPerson",
    "Community",
    "Evidence",
    "LeftOut",
    "Link",
    "MonthSize",
    "Network",
    "NetworkParameters",
    "NetworkPart",
    "PairedRecords",
    "Person",
    "RouteUse",
    "TimedRecords",
    "build_links",
    "build_network",
    "checked_kinds",
    "communities_of",
    "community_part",
    "default_parameters",
    "document_of",
    "neighbourhood",
    "pair_within",
    "records_of",
    "weighted_graph",
]
