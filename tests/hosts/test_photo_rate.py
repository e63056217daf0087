"""The photo rate is the node's: two hosts on one PostgreSQL database take from one bucket
per user, also at once, also when one host's clock is an hour behind (host B's)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from passerelle.access.rates import NodePhotoRate, PhotoRateExceeded, RateLimit
from passerelle.node import Node
from passerelle.wiring.services import photo_rate


def test_two_hosts_allow_the_nodes_burst_not_twice_it(hosts: tuple[Node, Node]) -> None:
    a, b = (photo_rate(host) for host in hosts)  # as each host's services are built
    burst = a.limit.burst
    for index in range(burst):
        (a if index % 2 else b).take("officer.shared")
    for rate in (a, b):
        with pytest.raises(PhotoRateExceeded) as refused:
            rate.take("officer.shared")
        assert refused.value.retry_after_s >= 1
    a.take("officer.other")  # another officer's bucket is full


def test_concurrent_photos_through_two_hosts_take_each_token_once(
    hosts: tuple[Node, Node],
) -> None:
    limit = RateLimit(per_minute=0.06, burst=5)  # no token comes back during the test
    rates = [NodePhotoRate(host.database, limit) for host in hosts]

    def send(index: int) -> bool:
        try:
            rates[index % 2].take("officer.flood")
        except PhotoRateExceeded:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        granted = list(pool.map(send, range(24)))
    assert sum(granted) == 5
