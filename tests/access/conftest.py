"""Access control on a migrated node database (both backends), with a fast argon2id."""

from __future__ import annotations

import pytest

from passerelle.access import AccessControl, HashingParameters, PasswordHashing
from passerelle.store import Actor, AuditTrail, Database
from tests.conftest import Clock

FAST = HashingParameters(time_cost=1, memory_kib=8 * 1024, parallelism=1)
"""Real argon2id, cheap enough for many tests (the node's own parameters are tested apart)."""

ADMIN = Actor("local:root", "user", "admin")
PASSWORD = "correct horse battery"


@pytest.fixture
def access(database: Database, audit: AuditTrail, clock: Clock) -> AccessControl:
    return AccessControl(database, audit, clock=clock, hashing=PasswordHashing(FAST))
