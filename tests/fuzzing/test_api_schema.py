"""Every API operation, fuzzed from its own OpenAPI document, answers as documented.

Schemathesis reads ``/openapi.json`` from the node served by a real uvicorn on
loopback and generates requests for every operation, valid ones (by the schema)
and invalid ones (a field of the wrong type, out of range, missing...). Each
request is sent as one of four identities, an officer's, a supervisor's, an
analyst's or an administrator's bearer token (one the operation has not refused
yet: a 403 moves on to the next), over a node loaded with an SLTD record,
watchlist persons and an alert, and seeded with two inspections, a hit and a case
of small ids. Whatever the request and the caller, the answer:

- is never a server error (5xx);
- has a status the document declares for that operation;
- is of a content type the document declares, in the shape it declares;
- never carries a traceback.

The run is bounded (``tests.fuzzing.budget``): a fixed number of examples per
operation and mode, the same examples every run, and a wall-time budget after
which the operations not yet reached are named rather than fuzzed.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from passerelle.access import AccessControl
from passerelle.node import Node
from passerelle.server import create_app
from tests.api.conftest import FAST, PASSWORD, SETUP, fast_services
from tests.fuzzing.budget import API_EXAMPLES, API_TIME_BUDGET_S, RANDOM
from tests.screening.conftest import STOLEN_NUMBER, node, passport  # noqa: F401  (fixture)

IDENTITIES = ("officer", "supervisor", "analyst", "admin")
INSPECTION = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


@dataclass
class Served:
    url: str
    bearer: dict[str, dict[str, str]]


@dataclass
class Findings:
    """What went wrong, one line per operation, identity and kind of failure."""

    lines: dict[tuple[str, str, str], str] = field(default_factory=dict)
    requests: int = 0
    refused: dict[str, set[str]] = field(default_factory=dict)
    """The identities each operation refused (403): not drawn again for it."""
    statuses: Counter[int] = field(default_factory=Counter)

    def add(self, operation: str, identity: str, kind: str, detail: str) -> None:
        self.lines.setdefault((operation, identity, kind), detail)


@pytest.fixture
def served(node: Node) -> Iterator[Served]:  # noqa: F811
    """The node's app (real routes, error table, middleware) under uvicorn on loopback."""
    access = AccessControl.for_node(node, hashing=FAST)
    bearer = {}
    for role in IDENTITIES:
        access.add_user(f"{role}.fuzz", role, PASSWORD, by=SETUP)
        token = access.issue_token(f"{role}.fuzz", by=SETUP).token
        bearer[role] = {"authorization": f"Bearer {token}"}
    listener = socket.create_server(("127.0.0.1", 0))
    app = create_app(node=node, wire=fast_services)
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        seed(url, bearer)
        yield Served(url, bearer)
    finally:
        server.should_exit = True
        thread.join(20)
        listener.close()


def seed(url: str, bearer: dict[str, dict[str, str]]) -> None:
    """Records with small ids for the fuzzed requests to find: two inspections (a stolen
    passport, whose hit is queued for review, and a clean one) and a case on the hit."""
    with requests.Session() as session:
        session.trust_env = False
        for number in (STOLEN_NUMBER, "ZX9876543"):
            inspected = session.post(
                f"{url}/api/v1/inspections",
                json={**INSPECTION, "mrz": passport(number=number)},
                headers=bearer["officer"],
            )
            assert inspected.status_code == 201, inspected.text
        hits = session.get(f"{url}/api/v1/hits", headers=bearer["analyst"]).json()["hits"]
        opened = session.post(
            f"{url}/api/v1/cases",
            json={"review_ids": [hits[0]["id"]], "title": "stolen passport at TNG-MED"},
            headers=bearer["analyst"],
        )
        assert opened.status_code == 201, opened.text


def exercise(
    case: Case, identity: str, served: Served, session: requests.Session, findings: Findings
) -> None:
    """Send ``case`` as ``identity`` and note every way its answer breaks the document.

    Refused for the role (403), the case is sent again as another identity not yet refused
    that operation, so that the budget is spent past the permission check, not on it.
    """
    label = case.operation.label
    refused = findings.refused.setdefault(label, set())
    allowed = [other for other in IDENTITIES if other not in refused]
    if identity in refused and allowed:
        identity = allowed[0]
    while True:
        response = send(case, identity, served, session, findings)
        if response.status_code != 403:
            return
        refused.add(identity)
        others = [other for other in IDENTITIES if other not in refused]
        if not others:
            return
        identity = others[0]


def send(
    case: Case, identity: str, served: Served, session: requests.Session, findings: Findings
) -> requests.Response:
    label = case.operation.label
    headers = served.bearer[identity]
    response = case.call(session=session, headers=headers)
    findings.requests += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            findings.add(
                label,
                identity,
                type(failure).__name__,
                f"{failure.title}: {failure.message[:300]}\n    {case.as_curl_command(headers)}",
            )
    except AssertionError as failure:
        findings.add(label, identity, "check", str(failure)[:300])
    if TRACEBACK.search(response.text):
        findings.add(label, identity, "traceback", response.text[:300])
    findings.statuses[response.status_code] += 1
    return response


def test_every_operation_answers_as_documented_for_every_identity(served: Served) -> None:
    session = requests.Session()
    session.trust_env = False  # loopback: never through a proxy the environment names
    schema = schemathesis.openapi.from_dict(session.get(f"{served.url}/openapi.json").json())
    schema.config.update(base_url=served.url)
    findings = Findings()
    not_reached: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40, "the document lists the API's operations"
    for operation in operations:
        if time.monotonic() - started > API_TIME_BUDGET_S:
            not_reached.append(operation.label)
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(
                case=operation.as_strategy(generation_mode=mode),
                identity=st.sampled_from(IDENTITIES),
            )
            @settings(
                max_examples=API_EXAMPLES,
                deadline=None,
                derandomize=not RANDOM,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # nothing to shrink: failures are noted
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case: Case, identity: str) -> None:
                exercise(case, identity, served, session, findings)

            fuzz()
    elapsed = time.monotonic() - started
    report = "\n".join(
        f"{operation} as {identity}: {kind}: {detail}"
        for (operation, identity, kind), detail in sorted(findings.lines.items())
    )
    print(
        f"\nfuzzed {len(operations) - len(not_reached)} operations with {findings.requests} "
        f"requests in {elapsed:.1f} s; answers by status: {dict(sorted(findings.statuses.items()))}"
    )
    if not_reached:
        warnings.warn(
            f"the API fuzzing ran out of its {API_TIME_BUDGET_S:.0f} s budget before "
            f"{len(not_reached)} operations: {', '.join(not_reached)}",
            stacklevel=1,
        )
    assert not report, f"answers that break the document:\n{report}"
