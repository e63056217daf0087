"""Fault tests: a PostgreSQL server of the test's own to stop and restart.

Without PostgreSQL's server binaries these tests are skipped on a developer's
machine, and fail where ``PASSERELLE_REQUIRE_FAULTS=1`` (set by ``.ci/run``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.faults.private_postgres import PostgresBinariesMissing, PrivatePostgres


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running PostgreSQL cluster of this module's own (removed after), free to stop."""
    try:
        server = PrivatePostgres()
    except PostgresBinariesMissing as missing:
        if os.environ.get("PASSERELLE_REQUIRE_FAULTS") == "1":
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def running_postgres(private_postgres: PrivatePostgres) -> PrivatePostgres:
    """The private cluster, started again if a previous test left it stopped."""
    if not private_postgres.running:
        private_postgres.start()
    return private_postgres
