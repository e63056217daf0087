"""A flood from a client without a certificate, over real mutual TLS: bounded audit writes.

BEL serves its listener with a limit of 5 audited refusals at once per address
(0.5 more a second) and a summary every second; a script without a
certificate sends it 500 requests over one keep-alive connection while MAR, a
registered partner on the same address, keeps asking.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from passerelle.federation import CONTENT_TYPE, client_ssl_context, new_envelope, sign_envelope
from passerelle.federation.transport.admission import UnauthenticatedLimit
from passerelle.federation.transport.inbound import InboundMessage
from passerelle.federation.transport.server import MESSAGES_PATH, federation_app
from tests.federation.nodes import FederatedNode, listening, make_node, register

FLOOD = 500
LIMIT = UnauthenticatedLimit(per_second=0.5, burst=5, summary_interval_s=1.0)


def answer_document(message: InboundMessage) -> dict[str, Any]:
    return {"outcome": "no_hit"}


@pytest.fixture
def nodes(tmp_path: Any) -> Iterator[tuple[FederatedNode, FederatedNode, int]]:
    from passerelle.federation import new_federation_ca

    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar, bel = make_node(tmp_path / "mar", ca, "MAR"), make_node(tmp_path / "bel", ca, "BEL")
    app = federation_app(
        bel.node, bel.identity, handlers={"query.document": answer_document}, unauthenticated=LIMIT
    )
    with listening(app, bel.tls) as port:
        register(bel, mar, 1, inbound=["document"])
        yield mar, bel, port
    mar.close()
    bel.close()


def no_certificate_refusals(bel: FederatedNode) -> list[dict[str, Any]]:
    return [r for r in bel.audit_records("exchange.refused") if r["actor"] == "peer:unknown"]


def test_a_flood_without_certificate_writes_a_bounded_number_of_audit_records(
    nodes: tuple[FederatedNode, FederatedNode, int],
) -> None:
    mar, bel, port = nodes
    url = f"https://localhost:{port}{MESSAGES_PATH}"
    bare = ssl.create_default_context(cafile=bel.tls.ca)
    partner_statuses: list[int] = []
    flooding = threading.Event()

    def partner_asks() -> None:
        with httpx.Client(verify=client_ssl_context(mar.tls), trust_env=False) as client:
            while flooding.is_set() or not partner_statuses:
                envelope = new_envelope("MAR", "BEL", "query.document", {}, at=datetime.now(UTC))
                wire = sign_envelope(envelope, mar.identity).to_wire()
                sent = client.post(url, content=wire, headers={"content-type": CONTENT_TYPE})
                partner_statuses.append(sent.status_code)

    flooding.set()
    partner = threading.Thread(target=partner_asks)
    partner.start()
    statuses: list[int] = []
    started = time.monotonic()
    with httpx.Client(verify=bare, trust_env=False) as client:
        for _ in range(FLOOD):
            statuses.append(client.post(url, content=b"{}").status_code)
    flood_s = time.monotonic() - started
    flooding.clear()
    partner.join(30)

    limited, refills = statuses.count(429), LIMIT.per_second * flood_s + 1
    assert statuses.count(401) + limited == FLOOD
    assert statuses.count(401) <= LIMIT.burst + refills  # a few tokens come back meanwhile
    assert partner_statuses
    assert set(partner_statuses) == {200}

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        summaries = [r for r in no_certificate_refusals(bel) if r["code"] == "rate_limited"]
        if sum(s["refused"] for s in summaries) >= limited:
            break
        time.sleep(0.1)
    records = no_certificate_refusals(bel)
    summaries = [r for r in records if r["code"] == "rate_limited"]
    audited_one_by_one = [r for r in records if r["code"] == "no_client_certificate"]
    assert len(audited_one_by_one) == statuses.count(401)
    assert sum(s["refused"] for s in summaries) == limited
    assert all(set(s["sources"]) == {"127.0.0.1"} for s in summaries)
    assert 1 <= len(summaries) <= flood_s / LIMIT.summary_interval_s + 2
    assert len(records) <= LIMIT.burst + refills + len(summaries)  # 500 before the limit


def test_a_refusal_over_the_limit_says_so_and_when_to_retry(
    nodes: tuple[FederatedNode, FederatedNode, int],
) -> None:
    _, bel, port = nodes
    url = f"https://localhost:{port}{MESSAGES_PATH}"
    with httpx.Client(verify=ssl.create_default_context(cafile=bel.tls.ca)) as client:
        answers = [client.post(url, content=b"{}") for _ in range(LIMIT.burst + 1)]
    assert [a.status_code for a in answers] == [401] * LIMIT.burst + [429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert int(answers[-1].headers["retry-after"]) >= 1
