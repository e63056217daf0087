"""Two hosts of one node (``layout``), opened as Node objects in this process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from passerelle.node import Node, open_node
from passerelle.settings import Settings
from tests.conftest import fresh_postgres_database
from tests.hosts.layout import two_hosts


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, Node]]:
    """Host A (the real clock) and host B (an hour behind) on one new database."""
    root = tmp_path_factory.mktemp("hosts")
    with fresh_postgres_database("hosts") as url:
        first, second = two_hosts(root, url)
        with (
            open_node(Settings(home=first.home, database_url=url)) as a,
            open_node(Settings(home=second.home, database_url=url)) as b,
        ):
            b.clock = lambda: datetime.now(UTC) - timedelta(hours=1)
            yield a, b
