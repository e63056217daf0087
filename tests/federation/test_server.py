"""The federation listener over real mutual TLS: a signed answer, and every refusal audited.

BEL serves ``federation_app`` with uvicorn on loopback (the listener's own
configuration, CERT_OPTIONAL + the client-certificate protocol); MAR, a
registered partner allowed ``document`` queries only, talks to it with its
certificate from the same federation CA.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.exc import InvalidInput
from passerelle.federation import (
    CONTENT_TYPE,
    FederationCA,
    NodeIdentity,
    PeerKeyRing,
    TlsFiles,
    client_ssl_context,
    new_envelope,
    new_federation_ca,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.protocol.identity import save_identity
from passerelle.federation.protocol.replay import MemoryReplayGuard
from passerelle.federation.transport.client import ExchangeClient, PeerRefused
from passerelle.federation.transport.inbound import REPLY_KIND, Handler, InboundMessage
from passerelle.federation.transport.server import MESSAGES_PATH, federation_app
from passerelle.server.ports import free_port
from passerelle.settings import Settings
from passerelle.store.db import Database
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.conftest import provision_node
from tests.federation.conftest import enrol
from tests.federation.nodes import ADMIN, FederatedNode, listening, make_node, register

PROGRAM = str(Path(sys.executable).with_name("passerelle"))
RECEIVED: list[InboundMessage] = []


def answer_document(message: InboundMessage) -> dict[str, Any]:
    RECEIVED.append(message)
    return {"outcome": "no_hit", "asked_by": message.peer.state}


def refuse_person(message: InboundMessage) -> dict[str, Any]:
    raise AssertionError("never called: MAR may not ask person queries")


def bad_body(message: InboundMessage) -> dict[str, Any]:
    raise InvalidInput("document_number", "is required")


HANDLERS: dict[str, Handler] = {
    "query.document": answer_document,
    "query.person": refuse_person,
    "test.bad_body": bad_body,
}


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    port: int
    folder: Path
    ca: FederationCA

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}{MESSAGES_PATH}"

    def wire(self, kind: str = "query.document", *, at: datetime | None = None) -> bytes:
        """A signed MAR→BEL message."""
        envelope = new_envelope(
            "MAR", "BEL", kind, {"document_number": "L898902C3"}, at=at or datetime.now(UTC)
        )
        return sign_envelope(envelope, self.mar.identity).to_wire()

    def post(self, wire: bytes, *, verify: ssl.SSLContext | None = None) -> httpx.Response:
        context = verify or client_ssl_context(self.mar.tls)
        with httpx.Client(verify=context, trust_env=False) as client:
            return client.post(self.url, content=wire, headers={"content-type": CONTENT_TYPE})

    def last_refusal(self) -> dict[str, Any]:
        return self.bel.audit_records("exchange.refused")[-1]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("federation")
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar, bel = make_node(folder / "mar", ca, "MAR"), make_node(folder / "bel", ca, "BEL")
    app = federation_app(bel.node, bel.identity, handlers=HANDLERS)
    with listening(app, bel.tls) as port:
        register(bel, mar, 1, inbound=["document"])
        register(mar, bel, port, outbound=["document", "person"])
        yield Pair(mar, bel, port, folder, ca)
    mar.close()
    bel.close()


def refused(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["code"] == code
    assert set(answer) == {"code", "detail"}
    return str(answer["detail"])


async def send(pair: Pair, kind: str) -> Any:
    async with ExchangeClient(pair.mar.identity, pair.mar.tls) as client:
        return await client.send(pair.mar.directory.get("BEL"), kind, {"n": 1}, timeout=10)


def test_a_partners_query_gets_a_signed_reply_from_the_handler(pair: Pair) -> None:
    reply = asyncio.run(send(pair, "query.document"))

    assert reply.peer == "BEL"
    assert reply.body == {"outcome": "no_hit", "asked_by": "MAR"}
    message = RECEIVED[-1]
    assert (message.peer.state, message.envelope.kind) == ("MAR", "query.document")
    assert message.envelope.message_id == reply.in_reply_to
    assert message.node is pair.bel.node


def test_the_reply_on_the_wire_is_signed_by_the_answering_node(pair: Pair) -> None:
    wire = pair.wire()
    response = pair.post(wire)
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE

    reply = verify_envelope(
        response.content,
        recipient="MAR",
        peers=PeerKeyRing([pair.bel.identity.peer_key]),
        replay_guard=MemoryReplayGuard(),
        now=datetime.now(UTC),
    )
    sent_id = json.loads(base64.b64decode(json.loads(wire)["payload"]))["id"]
    assert (reply.sender, reply.kind) == ("BEL", REPLY_KIND)
    assert reply.body["in_reply_to"] == sent_id
    assert reply.body["result"] == {"outcome": "no_hit", "asked_by": "MAR"}


def test_connection_without_client_certificate_is_refused_and_audited(pair: Pair) -> None:
    bare = ssl.create_default_context(cafile=pair.bel.tls.ca)
    detail = refused(pair.post(pair.wire(), verify=bare), 401, "no_client_certificate")

    assert "no client certificate" in detail
    record = pair.last_refusal()
    assert (record["code"], record["actor"]) == ("no_client_certificate", "peer:unknown")


def test_certificate_of_an_unregistered_state_is_refused_as_unknown_peer(pair: Pair) -> None:
    # FRA holds a certificate from the federation CA but is not BEL's partner.
    fra_tls = enrol(pair.ca, "FRA", pair.folder / "fra")
    fra = NodeIdentity.generate("FRA")
    wire = sign_envelope(
        new_envelope("FRA", "BEL", "query.document", {}, at=datetime.now(UTC)), fra
    ).to_wire()
    response = pair.post(wire, verify=client_ssl_context(fra_tls))

    refused(response, 403, "unknown_peer")
    record = pair.last_refusal()
    assert (record["code"], record["tls_state"], record["actor"]) == (
        "unknown_peer",
        "FRA",
        "peer:FRA",
    )


def test_tampered_message_is_refused_as_bad_signature(pair: Pair) -> None:
    wrapper = json.loads(pair.wire())
    signature = bytearray(base64.b64decode(wrapper["signature"]))
    signature[0] ^= 1
    wrapper["signature"] = base64.b64encode(bytes(signature)).decode()

    refused(pair.post(json.dumps(wrapper).encode()), 401, "bad_signature")
    assert pair.last_refusal()["sender"] == "MAR"


def test_the_same_message_twice_is_refused_as_a_replay(pair: Pair) -> None:
    wire = pair.wire()
    assert pair.post(wire).status_code == 200

    refused(pair.post(wire), 409, "replay")
    record = pair.last_refusal()
    assert record["code"] == "replay"
    assert record["message_id"]


def test_message_signed_five_minutes_off_is_refused_as_stale(pair: Pair) -> None:
    late = datetime.now(UTC) - timedelta(minutes=5)
    detail = refused(pair.post(pair.wire(at=late)), 401, "stale")

    assert "behind" in detail
    assert pair.last_refusal()["code"] == "stale"


def test_query_kind_outside_the_agreement_is_refused_as_outside_agreement_kind(pair: Pair) -> None:
    with pytest.raises(PeerRefused) as refusal:
        asyncio.run(send(pair, "query.person"))

    assert (refusal.value.code, refusal.value.status) == ("outside_agreement:kind", 403)
    record = pair.last_refusal()
    assert (record["code"], record["kind"], record["sender"]) == (
        "outside_agreement:kind",
        "query.person",
        "MAR",
    )


def test_kind_without_a_handler_is_refused_as_unknown_kind(pair: Pair) -> None:
    refused(pair.post(pair.wire("query.face")), 404, "unknown_kind")
    assert pair.last_refusal()["code"] == "unknown_kind"


def test_body_the_handler_cannot_use_is_refused_as_invalid(pair: Pair) -> None:
    detail = refused(pair.post(pair.wire("test.bad_body")), 422, "invalid")
    assert detail == "document_number: is required"


def test_message_for_another_node_is_refused_as_wrong_recipient(pair: Pair) -> None:
    envelope = new_envelope("MAR", "FRA", "query.document", {}, at=datetime.now(UTC))
    wire = sign_envelope(envelope, pair.mar.identity).to_wire()
    refused(pair.post(wire), 421, "wrong_recipient")


def test_disabled_partner_is_refused_as_unknown_peer(pair: Pair) -> None:
    pair.bel.directory.disable("MAR", actor=ADMIN)
    try:
        refused(pair.post(pair.wire()), 403, "unknown_peer")
    finally:
        pair.bel.directory.enable("MAR", actor=ADMIN)


def test_client_certificate_from_another_ca_fails_the_handshake(pair: Pair) -> None:
    other = new_federation_ca("Another CA", now=datetime.now(UTC))
    rogue = enrol(other, "MAR", pair.folder / "rogue")
    context = client_ssl_context(TlsFiles(rogue.directory))
    context.load_verify_locations(cafile=pair.bel.tls.ca)
    started = time.monotonic()
    with pytest.raises(httpx.TransportError):
        pair.post(pair.wire(), verify=context)
    assert time.monotonic() - started < 10


# -- `passerelle federation serve`, a real process ----------------------------------------


def test_federation_serve_runs_the_listener_with_the_nodes_keys_and_tls(
    pair: Pair, tmp_path: Path
) -> None:
    home = tmp_path / "bel-home"
    identity = NodeIdentity.generate("BEL")
    save_identity(identity, home / "keys")
    enrol(pair.ca, "BEL", home / "tls")
    settings = Settings(home=home, node="BEL")
    audit = provision_node(settings)
    database = Database(settings.effective_database_url)
    PeerDirectory(database, audit).add(
        "MAR", url="https://localhost:1", public_keys=[pair.mar.identity.peer_key.text], actor=ADMIN
    )
    port = free_port()
    env = {**os.environ, "PASSERELLE_HOME": str(home), "PASSERELLE_NODE": "BEL"}
    env.pop("PASSERELLE_DATABASE_URL", None)
    process = subprocess.Popen(
        [PROGRAM, "federation", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(port, process)
        url = f"https://localhost:{port}{MESSAGES_PATH}"
        wire = sign_envelope(
            new_envelope("MAR", "BEL", "test.ping", {}, at=datetime.now(UTC)), pair.mar.identity
        ).to_wire()
        with httpx.Client(verify=client_ssl_context(pair.mar.tls), trust_env=False) as client:
            verified = client.post(url, content=wire)
        bare = ssl.create_default_context(cafile=pair.mar.tls.ca)
        with httpx.Client(verify=bare, trust_env=False) as client:
            anonymous = client.post(url, content=wire)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    refused(verified, 404, "unknown_kind")  # past TLS, signature, skew and replay checks
    refused(anonymous, 401, "no_client_certificate")
    assert f"BEL federation listener on https://127.0.0.1:{port}" in output
    with database.read() as session:
        codes = [
            payload.result["code"]
            for record, payload in session.query(AuditRecord, AuditPayload)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .filter(AuditRecord.action == "exchange.refused")
        ]
    database.dispose()
    assert codes == ["unknown_kind", "no_client_certificate"]


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"federation serve exited: {process.communicate()[0]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("federation serve did not listen within 30 s")
