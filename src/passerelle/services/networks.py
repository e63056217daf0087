"""The analysts' networks of travellers, read for a period and audited.

A network names travellers (their documents) and what links them, so reading one
is a disclosure: each reading checks ``review_hits`` and writes one
``network.read`` record with the purpose, the period, the link kinds and the
persons shown, whichever face asked (the page ``/analysis/networks`` or
``GET /api/v1/analysis/networks``). The records are read where the analysts' heavy reads
run (``Node.analysis``: the replica when the node has one), the audit record is then
written on the primary before the network is answered: one that cannot be recorded is
not shown.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from passerelle.access import Permission
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.networks import Network, NetworkParameters, build_network, default_parameters
from passerelle.node import Node
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "NETWORK_READ", "NetworkReading", "period_of"]

NETWORK_READ = "network.read"
DEFAULT_DAYS = 90
MAX_DAYS = 366


def period_of(start: date | None, end: date | None, *, today: date) -> tuple[datetime, datetime]:
    """The UTC instants from ``start`` 00:00 to the day after ``end`` (both days included);
    by default the :data:`DEFAULT_DAYS` days up to ``today``. At most :data:`MAX_DAYS`.

    >>> period_of(date(2026, 11, 1), date(2026, 11, 30), today=date(2026, 12, 7))[1]
    datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """
    last = end or today
    first = start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput("start", worded(N_("must be on or before the end of the period")))
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(
            "start", worded(N_("the period may span at most %(most)s days"), most=MAX_DAYS)
        )
    since = datetime.combine(first, time(0), UTC)
    return since, datetime.combine(last + timedelta(days=1), time(0), UTC)


class NetworkReading:
    """Audited readings of the networks of travellers."""

    def __init__(self, node: Node, parameters: NetworkParameters | None = None) -> None:
        self.node = node
        self.parameters = parameters or default_parameters()

    def network(
        self,
        actor: Actor,
        purpose: str,
        *,
        since: datetime,
        until: datetime,
        kinds: Collection[str] | None = None,
        focus: str | None = None,
    ) -> Network:
        """The network of the period's records (``network.read``, the persons listed).

        ``focus`` says what the reader opened (a community, a person), for the record.
        """
        with audited_lookup(
            self.node,
            actor,
            NETWORK_READ,
            permissions=(Permission.REVIEW_HITS,),
            purpose=purpose,
            query={
                "since": since.isoformat(),
                "until": until.isoformat(),
                "kinds": sorted(kinds) if kinds else "all",
                "focus": focus,
            },
        ) as lookup:
            with self.node.analysis.read() as session:
                network = build_network(session, since, until, self.parameters, kinds)
            with self.node.database.write() as session:
                lookup.listed(
                    session,
                    [person.key for person in network.persons],
                    key="persons",
                    communities=len(network.communities),
                    links=len(network.links),
                )
        return network
