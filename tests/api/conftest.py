"""The node's app over a loaded node (tests.screening's), with one user and token per role.

The app is the real ASGI application (routes, dependencies, error table,
middleware) driven in-process by Starlette's test client over the real
database; the browser tests in tests/web drive a real uvicorn instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi.testclient import TestClient

from passerelle.access import AccessControl, HashingParameters, PasswordHashing
from passerelle.node import Node
from passerelle.server import create_app
from passerelle.store import Actor
from passerelle.wiring import NodeServices, build_services
from tests.screening.conftest import node, passport  # noqa: F401  (fixtures and helpers)

ROLES = ("officer", "analyst", "admin", "auditor", "partner")
PASSWORD = "correct horse battery"
FAST = PasswordHashing(HashingParameters(time_cost=1, memory_kib=8 * 1024, parallelism=1))
SETUP = Actor("setup", "user", "admin")


@dataclass(frozen=True)
class Api:
    client: TestClient
    tokens: dict[str, str]
    services: NodeServices

    def as_role(self, role: str) -> dict[str, str]:
        return {"authorization": f"Bearer {self.tokens[role]}"}


def fast_services(serving: Node) -> NodeServices:
    return replace(build_services(serving), access=AccessControl.for_node(serving, hashing=FAST))


@pytest.fixture
def api(node: Node) -> Iterator[Api]:  # noqa: F811
    access = AccessControl.for_node(node, hashing=FAST)
    tokens = {}
    for role in ROLES:
        access.add_user(f"{role}.one", role, PASSWORD, by=SETUP)
        tokens[role] = access.issue_token(f"{role}.one", by=SETUP).token
    app = create_app(node=node, wire=fast_services)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, tokens, app.state.services)
