"""Communities, central persons, routes and growth of a network, with igraph and Leiden.

The links become one weighted, undirected igraph graph (a pair's weight is the sum over
its links of the kind's weight times its occasions, ``parameters.toml``); Leiden
(igraph's, constant Potts model, seeded) splits it into communities. Persons with no link
between them are never put in one community: a component is never merged with another.
For each community of at least ``min_community_size`` persons:

- the central persons: by betweenness (who bridges sub-groups), then PageRank and degree;
- the routes: the crossing points, directions and UTC hours of its co-travels;
- its growth: how many of its persons had been linked by the end of each month.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence

import igraph

from passerelle.networks.model import (
    CentralPerson,
    Community,
    Evidence,
    Link,
    MonthSize,
    Person,
    RouteUse,
)
from passerelle.networks.parameters import NetworkParameters

__all__ = ["communities_of", "detect_communities", "persons_of", "records_of", "weighted_graph"]

_CO_TRAVEL = ("co_travel_time", "co_travel_vehicle")
_RANDOM = threading.Lock()
"""igraph's random generator is the process's: one seeded detection at a time."""
_MAX_ROUTES = 10


def weighted_graph(
    links: Sequence[Link], parameters: NetworkParameters
) -> tuple[igraph.Graph, list[str]]:
    """The persons as vertices (sorted keys) and one weighted edge per linked pair."""
    names = sorted({key for link in links for key in (link.source, link.target)})
    index = {name: n for n, name in enumerate(names)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for link in links:
        pair = (index[link.source], index[link.target])
        weights[pair] += parameters.weight(link.kind) * max(1, link.occasions)
    graph = igraph.Graph(n=len(names), edges=list(weights), directed=False)
    graph.es["weight"] = list(weights.values())
    return graph, names


def detect_communities(graph: igraph.Graph, *, seed: int, resolution: float = 1.0) -> list[int]:
    """Each vertex's community: Leiden (igraph's, in C) with the constant Potts model at
    ``resolution`` (the least weight per pair a community holds on average), weighted,
    iterated until no vertex moves, seeded (igraph draws from the generator it is given,
    swapped in for the call under a lock, then put back)."""
    if graph.vcount() == 0:
        return []
    with _RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = graph.community_leiden(
                objective_function="CPM",
                weights="weight",
                resolution=resolution,
                n_iterations=-1,
            )
        finally:
            igraph.set_random_number_generator(random)
    return [int(m) for m in found.membership]


def _central(graph: igraph.Graph, names: list[str], keep: int) -> tuple[CentralPerson, ...]:
    betweenness = graph.betweenness(directed=False)
    pagerank = graph.pagerank(weights="weight", directed=False)
    degree = graph.degree()
    ranked = sorted(
        range(graph.vcount()),
        key=lambda v: (-betweenness[v], -pagerank[v], -degree[v], names[v]),
    )
    return tuple(
        CentralPerson(names[v], int(degree[v]), float(betweenness[v]), float(pagerank[v]))
        for v in ranked[:keep]
    )


def _routes(links: Sequence[Link]) -> tuple[RouteUse, ...]:
    seen: set[tuple[str, str]] = set()
    uses: Counter[tuple[str, str, int]] = Counter()
    for link in links:
        if link.kind not in _CO_TRAVEL:
            continue
        for record in link.records:
            if (record.record, record.id) in seen or record.at is None:
                continue
            seen.add((record.record, record.id))
            uses[(record.point or "", record.direction or "", record.at.hour)] += 1
    ranked = sorted(uses.items(), key=lambda item: (-item[1], item[0]))[:_MAX_ROUTES]
    return tuple(RouteUse(p, d, h, n) for (p, d, h), n in ranked)


def _growth(persons: Sequence[str], links: Sequence[Link]) -> tuple[MonthSize, ...]:
    first: dict[str, str] = {}
    for link in links:
        at = link.first_at
        if at is None:
            continue
        month = at.strftime("%Y-%m")
        for key in (link.source, link.target):
            if key not in first or month < first[key]:
                first[key] = month
    if not first:
        return ()
    joined = Counter(first.get(key, max(first.values())) for key in persons)
    months = sorted(joined)
    out: list[MonthSize] = []
    total = 0
    year, number = (int(part) for part in months[0].split("-"))
    while f"{year:04d}-{number:02d}" <= months[-1]:
        label = f"{year:04d}-{number:02d}"
        total += joined.get(label, 0)
        out.append(MonthSize(label, total))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return tuple(out)


def communities_of(
    links: Sequence[Link], parameters: NetworkParameters
) -> tuple[dict[str, int], tuple[Community, ...]]:
    """Each person's community number and the communities (largest first, numbered 1...)."""
    graph, names = weighted_graph(links, parameters)
    membership = detect_communities(graph, seed=parameters.seed, resolution=parameters.resolution)
    members: dict[int, list[int]] = defaultdict(list)
    for vertex, community in enumerate(membership):
        members[community].append(vertex)
    kept = sorted(
        (
            vertices
            for vertices in members.values()
            if len(vertices) >= parameters.min_community_size
        ),
        key=lambda vertices: (-len(vertices), names[vertices[0]]),
    )
    number_of: dict[str, int] = {}
    out: list[Community] = []
    for number, vertices in enumerate(kept, start=1):
        persons = tuple(sorted(names[v] for v in vertices))
        inside = set(persons)
        for key in persons:
            number_of[key] = number
        own = [link for link in links if link.source in inside and link.target in inside]
        sub = graph.induced_subgraph(sorted(vertices))
        sub_names = [names[v] for v in sorted(vertices)]
        out.append(
            Community(
                number=number,
                persons=persons,
                links=len(own),
                kinds=tuple(sorted(Counter(link.kind for link in own).items())),
                central=_central(sub, sub_names, parameters.central_persons),
                routes=_routes(own),
                growth=_growth(persons, own),
            )
        )
    return number_of, tuple(out)


def persons_of(links: Sequence[Link], community: dict[str, int]) -> tuple[Person, ...]:
    """The linked persons, with how many links each has and their community (if any)."""
    count: Counter[str] = Counter()
    for link in links:
        count[link.source] += 1
        count[link.target] += 1
    return tuple(Person(key, count[key], community.get(key)) for key in sorted(count))


def records_of(links: Sequence[Link], person: str) -> tuple[Evidence, ...]:
    """A person's own records behind their links, the earliest first, each once."""
    seen: dict[tuple[str, str], Evidence] = {}
    for link in links:
        for record in link.records:
            if record.person == person:
                seen.setdefault((record.record, record.id), record)
    return tuple(sorted(seen.values(), key=lambda r: (r.at.isoformat() if r.at else "", r.id)))
