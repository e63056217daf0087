"""Partners' messages, as they arrive: refused with a code, or answered; never a failure.

Three layers are fuzzed: the envelope (any bytes on the wire, and any payload
signed with a registered key, so that the checks behind the signature are
reached); the query bodies' parsers; and the listener's core (``Receiver``) with
every message kind this node serves, each body a valid one mutated, signed by a
registered partner over its TLS certificate. Whatever arrives, the answer is a
refusal code of the protocol or a reply, never ``internal`` (the listener's 500).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import assume, example, given
from hypothesis import strategies as st

from passerelle.exc import InvalidInput
from passerelle.federation import (
    ExchangeRefused,
    MemoryReplayGuard,
    NodeIdentity,
    PeerKeyRing,
    canonical_json,
    new_envelope,
    new_federation_ca,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.queries.bodies import parse_document_query, parse_person_query
from passerelle.federation.transport.server import Receiver
from passerelle.wiring import federation_handlers, partner_services
from tests.federation.conftest import NOW
from tests.federation.nodes import FederatedNode, make_node, register
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.refusals import assert_names_a_field
from tests.fuzzing.strategies import json_objects, json_values, mutated

MAR = NodeIdentity.generate("MAR")
ALERT = {
    "id": "MAR-A-0042",
    "category": "travel_ban",
    "subject": {"kind": "person", "names": ["Karim Haddad"], "birth_date": "1980-06-15"},
    "issuing_authority": "DGSN Rabat",
    "action": "Refuse entry.",
    "valid_from": "2026-01-01",
    "valid_until": None,
}
BODIES: dict[str, dict[str, Any]] = {
    "query.document": {"issuing_state": "MAR", "document_number": "AB1234567", "purpose": "x"},
    "query.person": {"names": ["Karim Haddad"], "birth_date": "1980-06-15", "sex": "M"},
    "query.face": {
        "model": "dlib",
        "model_version": "1",
        "template": base64.b64encode(b"\x00\x00\x80\x3f" + b"\x00" * 508).decode(),
        "gallery": "wanted",
    },
    "alert.issue": {
        "idempotency_key": "k-1",
        "version": 1,
        "issued_at": "2026-01-01T00:00:00+00:00",
        "action_code": "refuse_entry",
        "alert": ALERT,
    },
    "alert.withdraw": {"idempotency_key": "k-2", "version": 2, "alert_id": "MAR-A-0042"},
    "alert.hit_report": {
        "idempotency_key": "k-3",
        "report": {
            "id": "R-1",
            "alert_id": "BEL-A-1",
            "action_code": "refuse_entry",
            "direction": "entry",
            "traveller": {"issuing_state": "MAR", "document_number": "AB1234567"},
            "observed": "2026-11-25T10:00:00+00:00",
        },
    },
    "followup.request": {
        "followup_id": str(uuid.UUID(int=1, version=4)),
        "reference": "ref-1",
        "justification": "The traveller was refused entry and we need the record.",
        "requester": "analyst.one",
    },
    "followup.answer": {
        "idempotency_key": "k-4",
        "followup_id": str(uuid.UUID(int=2, version=4)),
        "status": "approved",
        "released": {},
    },
}


def signed_wire(identity: NodeIdentity, payload: bytes) -> bytes:
    return canonical_json(
        {
            "key_id": identity.key_id,
            "payload": base64.b64encode(payload).decode(),
            "sender": identity.state,
            "signature": base64.b64encode(identity.sign(payload)).decode(),
        }
    )


def payload_fields() -> st.SearchStrategy[dict[str, Any]]:
    """A payload's fields: a good one mutated, so that each check after the signature runs."""
    good = json.loads(
        new_envelope("MAR", "BEL", "query.document", BODIES["query.document"], at=NOW).payload(
            MAR.key_id
        )
    )
    return mutated(good)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=200),
        json_values().map(lambda value: json.dumps(value).encode()),
        payload_fields().map(lambda fields: signed_wire(MAR, json.dumps(fields).encode())),
        st.binary(max_size=80).map(lambda payload: signed_wire(MAR, payload)),
    )
)
@example(signed_wire(MAR, b'{"version": 1e999}'))
def test_any_wire_is_verified_or_refused_with_a_protocol_code(wire: bytes) -> None:
    peers = PeerKeyRing([MAR.peer_key])
    code = reason = ""
    try:
        verify_envelope(
            wire, recipient="BEL", peers=peers, replay_guard=MemoryReplayGuard(), now=NOW
        )
    except ExchangeRefused as refused:
        code, reason = refused.code, refused.reason
    else:
        code, reason = "accepted", "signed by MAR for BEL, in time"
    assert code
    assert reason.strip()


@FUZZ
@given(
    st.one_of(mutated(BODIES["query.document"]), mutated(BODIES["query.person"]), json_objects())
)
@example({**BODIES["query.person"], "sex": ["M"]})  # raised TypeError
def test_a_query_body_is_read_or_refused_naming_its_field(body: dict[str, Any]) -> None:
    for parse in (parse_document_query, parse_person_query):
        try:
            parse(body)
        except InvalidInput as refused:
            assert_names_a_field(refused.field, refused.reason)


@dataclass
class Listening:
    """BEL's listener core, with MAR registered as a partner for every kind."""

    receiver: Receiver
    mar: FederatedNode
    certificate: bytes


@pytest.fixture(scope="module")
def listening(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listening]:
    folder: Path = tmp_path_factory.mktemp("fuzzed-federation")
    ca = new_federation_ca("Fuzzing CA", now=datetime.now(UTC))
    mar, bel = make_node(folder / "mar", ca, "MAR"), make_node(folder / "bel", ca, "BEL")
    register(bel, mar, 1, alert_categories=("travel_ban", "wanted", "stolen_vehicle"))
    receiver = Receiver(
        bel.node, bel.identity, handlers=federation_handlers(partner_services(bel.node))
    )
    certificate = x509.load_pem_x509_certificate(mar.tls.certificate.read_bytes())
    yield Listening(receiver, mar, certificate.public_bytes(Encoding.DER))
    mar.close()
    bel.close()


@FUZZ
@given(
    st.sampled_from(sorted(BODIES)).flatmap(
        lambda kind: st.tuples(st.just(kind), mutated(BODIES[kind]))
    )
)
@example(("followup.answer", {**BODIES["followup.answer"], "status": []}))  # was internal
def test_every_kind_of_message_with_any_body_is_answered_or_refused_never_a_failure(
    listening: Listening, message: tuple[str, dict[str, Any]]
) -> None:
    kind, body = message
    try:
        envelope = new_envelope("MAR", "BEL", kind, body, at=datetime.now(UTC))
        wire = sign_envelope(envelope, listening.mar.identity).to_wire()
    except InvalidInput:  # not plain JSON (a float the canonical form refuses): not sendable
        assume(False)
        return
    answer = listening.receiver.receive(wire, listening.certificate)
    refusal = json.loads(answer.body) if answer.status != 200 else {}
    assert refusal.get("code") != "internal", (kind, body)
    if refusal.get("code") == "invalid":
        field, _, reason = refusal["detail"].partition(": ")
        assert_names_a_field(field, reason)
