"""A hit, a no-hit and a no-hit that keeps a record back look alike on the wire.

BEL, with its own query handlers behind the real listener (mutual TLS), holds a
stolen-document alert it shares with MAR and one it keeps home
(``shareable: false``); MAR asks for each of them and for a document nobody
holds. The three signed replies must be the same number of bytes: the size of
an answer must not tell a kept-back record from nothing.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.federation import (
    CONTENT_TYPE,
    client_ssl_context,
    new_envelope,
    new_federation_ca,
    sign_envelope,
)
from passerelle.federation.transport.server import MESSAGES_PATH
from passerelle.store.alerts import AlertDraft, AlertRegistry, DocumentSubject
from tests.federation.nodes import (
    ADMIN,
    FederatedNode,
    listening,
    make_node,
    register,
    serve_partner,
)

SHARED, KEPT_HOME, NOBODYS = "UM4731285", "UM9990001", "ZZ0000000"


@pytest.fixture
def asked(tmp_path: Path) -> Iterator[tuple[FederatedNode, FederatedNode, int]]:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar, bel = make_node(tmp_path / "mar", ca, "MAR"), make_node(tmp_path / "bel", ca, "BEL")
    with bel.node.database.write() as session:
        registry = AlertRegistry(bel.node.audit)
        for number, shareable in ((SHARED, True), (KEPT_HOME, False)):
            draft = AlertDraft(
                category="stolen_document",
                subject=DocumentSubject("BEL", number),
                issuing_authority="Police fédérale",
                action="Seize the document.",
                shareable=shareable,
            )
            registry.issue(session, draft, actor=ADMIN, now=datetime.now(UTC))
    with listening(serve_partner(bel), bel.tls) as port:
        register(bel, mar, 1, inbound=["document"], alert_categories=["stolen_document"])
        yield mar, bel, port
    mar.close()
    bel.close()


def ask(mar: FederatedNode, port: int, number: str) -> tuple[bytes, dict[str, Any]]:
    """MAR's document query for BEL ``number``: the reply's wire bytes and its result."""
    body = {"issuing_state": "BEL", "document_number": number}
    envelope = new_envelope("MAR", "BEL", "query.document", body, at=datetime.now(UTC))
    wire = sign_envelope(envelope, mar.identity).to_wire()
    context: ssl.SSLContext = client_ssl_context(mar.tls)
    with httpx.Client(verify=context, trust_env=False) as client:
        reply = client.post(
            f"https://localhost:{port}{MESSAGES_PATH}",
            content=wire,
            headers={"content-type": CONTENT_TYPE},
        )
    assert reply.status_code == 200, reply.text
    payload = json.loads(base64.b64decode(json.loads(reply.content)["payload"]))
    return reply.content, payload["body"]["result"]


def test_hit_no_hit_and_kept_back_replies_are_the_same_size_on_the_wire(
    asked: tuple[FederatedNode, FederatedNode, int],
) -> None:
    mar, bel, port = asked
    hit_wire, hit = ask(mar, port, SHARED)
    kept_wire, kept = ask(mar, port, KEPT_HOME)
    none_wire, none = ask(mar, port, NOBODYS)

    assert (hit["result"], kept["result"], none["result"]) == ("hit", "no_hit", "no_hit")
    assert len(hit_wire) == len(kept_wire) == len(none_wire)
    assert {k for k in kept if k != "pad"} == {"result"}  # nothing but the padding besides
    assert kept == none
    assert [r["code"] for r in bel.audit_records("exchange.share_refused")] == ["not_shareable"]
