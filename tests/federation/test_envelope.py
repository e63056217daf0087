"""Signed envelopes: what a node accepts, and each refusal with its code."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from passerelle.exc import InvalidInput
from passerelle.federation import (
    ExchangeRefused,
    MemoryReplayGuard,
    NodeIdentity,
    PeerKeyRing,
    canonical_json,
    new_envelope,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.protocol.envelope import Envelope
from tests.federation.conftest import NOW

Verify = Callable[..., Envelope]
BODY: dict[str, Any] = {"document_number": "L898902C3", "issuer": "UTO", "types": ["P", "ID"]}


def wire_from(mar: NodeIdentity, **changes: Any) -> bytes:
    """A signed MAR→BEL query, sent at NOW, as wire bytes."""
    fields: dict[str, Any] = {"recipient": "BEL", "kind": "query.document", "body": BODY} | changes
    envelope = new_envelope("MAR", at=NOW, **fields)
    return sign_envelope(envelope, mar).to_wire()


def edit_wrapper(wire: bytes, **changes: Any) -> bytes:
    wrapper = json.loads(wire) | changes
    return json.dumps({k: v for k, v in wrapper.items() if v is not ...}).encode()


def edit_payload(wire: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    """The wire with its payload re-encoded after ``change``; the signature kept."""
    payload = json.loads(base64.b64decode(json.loads(wire)["payload"]))
    change(payload)
    return edit_wrapper(wire, payload=base64.b64encode(canonical_json(payload)).decode())


@pytest.fixture
def guard() -> MemoryReplayGuard:
    return MemoryReplayGuard()


@pytest.fixture
def verify(mar: NodeIdentity, guard: MemoryReplayGuard) -> Verify:
    """BEL's check of a message, with MAR registered, at NOW unless told."""
    peers = PeerKeyRing([mar.peer_key])

    def _verify(wire: bytes, **options: Any) -> Envelope:
        arguments: dict[str, Any] = {
            "recipient": "BEL",
            "peers": peers,
            "replay_guard": guard,
            "now": NOW,
        } | options
        return verify_envelope(wire, **arguments)

    return _verify


def refusal_code(verify: Verify, wire: bytes, **options: Any) -> str:
    with pytest.raises(ExchangeRefused) as refused:
        verify(wire, **options)
    return refused.value.code


def test_signed_envelope_round_trips(mar: NodeIdentity, verify: Verify) -> None:
    envelope = new_envelope("MAR", "BEL", "query.document", BODY, at=NOW)
    wire = sign_envelope(envelope, mar).to_wire()

    received = verify(wire, transport_peer="MAR")

    assert received == envelope
    assert set(json.loads(wire)) == {"key_id", "payload", "sender", "signature"}


def test_payload_is_canonical_json_with_every_header_field(mar: NodeIdentity) -> None:
    envelope = new_envelope("MAR", "BEL", "alert.issue", {"é": 1, "a": [True, None]}, at=NOW)
    signed = sign_envelope(envelope, mar)

    assert (
        signed.payload
        == (
            '{"body":{"a":[true,null],"é":1},"id":"'
            + envelope.message_id
            + '","key_id":"'
            + mar.key_id
            + '","kind":"alert.issue","recipient":"BEL","sender":"MAR",'
            '"sent_at":"2026-11-25T12:00:00.000Z","version":1}'
        ).encode()
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["body"].update(document_number="L898902C4"),
        lambda p: p["body"].pop("issuer"),
        lambda p: p.update(recipient="FRA"),
        lambda p: p.update(kind="query.person"),
        lambda p: p.update(id="8b9e0f4c-4d1e-4c64-9d3a-0e1f2a3b4c5d"),
        lambda p: p.update(sent_at="2026-11-25T12:00:01.000Z"),
    ],
    ids=["body-value", "body-field", "recipient", "kind", "message-id", "timestamp"],
)
def test_tampered_body_or_header_is_refused_as_bad_signature(
    mar: NodeIdentity, verify: Verify, change: Callable[[dict[str, Any]], None]
) -> None:
    assert refusal_code(verify, edit_payload(wire_from(mar), change)) == "bad_signature"


def test_every_flipped_payload_byte_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    wire = wire_from(mar)
    payload = base64.b64decode(json.loads(wire)["payload"])
    codes = set()
    for index in range(0, len(payload), 7):
        tampered = bytearray(payload)
        tampered[index] ^= 0x01
        codes.add(
            refusal_code(verify, edit_wrapper(wire, payload=base64.b64encode(tampered).decode()))
        )
    assert codes == {"bad_signature"}


def test_tampered_signature_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    wire = wire_from(mar)
    signature = bytearray(base64.b64decode(json.loads(wire)["signature"]))
    signature[10] ^= 0x80
    tampered = edit_wrapper(wire, signature=base64.b64encode(signature).decode())

    assert refusal_code(verify, tampered) == "bad_signature"
    assert refusal_code(verify, edit_wrapper(wire, signature="AAAA")) == "bad_signature"


def test_signature_by_another_key_claiming_the_senders_key_id_is_refused(
    mar: NodeIdentity, verify: Verify
) -> None:
    impostor = NodeIdentity.generate("MAR")
    envelope = new_envelope("MAR", "BEL", "query.document", BODY, at=NOW)
    payload = envelope.payload(mar.key_id)
    forged = canonical_json(
        {
            "key_id": mar.key_id,
            "payload": base64.b64encode(payload).decode(),
            "sender": "MAR",
            "signature": base64.b64encode(impostor.sign(payload)).decode(),
        }
    )
    assert refusal_code(verify, forged) == "bad_signature"
    assert refusal_code(verify, sign_envelope(envelope, impostor).to_wire()) == "unknown_peer"


@pytest.mark.parametrize("signature", [..., None, ""], ids=["absent", "null", "empty"])
def test_unsigned_envelope_is_refused(mar: NodeIdentity, verify: Verify, signature: Any) -> None:
    assert refusal_code(verify, edit_wrapper(wire_from(mar), signature=signature)) == "unsigned"


def test_unknown_sender_is_refused(bel: NodeIdentity, verify: Verify) -> None:
    envelope = new_envelope("BEL", "BEL", "query.document", BODY, at=NOW)
    wire = sign_envelope(envelope, bel).to_wire()

    with pytest.raises(ExchangeRefused) as refused:
        verify(wire)
    assert refused.value.code == "unknown_peer"
    assert refused.value.sender == "BEL"
    assert "not a registered partner" in str(refused.value)


def test_wrapper_naming_another_sender_or_key_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    wire = wire_from(mar)
    assert refusal_code(verify, edit_wrapper(wire, sender="FRA")) == "unknown_peer"
    assert refusal_code(verify, edit_wrapper(wire, key_id="0" * 32)) == "unknown_peer"


def test_message_for_another_node_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        verify(wire_from(mar, recipient="FRA"))
    assert refused.value.code == "wrong_recipient"
    assert refused.value.as_audit()["message_id"] == refused.value.message_id
    assert "addressed to FRA, this node is BEL" in refused.value.reason


def test_sender_other_than_the_tls_peer_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    assert refusal_code(verify, wire_from(mar), transport_peer="FRA") == "peer_mismatch"


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-120, True), (120, True), (-121, False), (121, False), (-3600, False), (3600, False)],
)
def test_timestamp_outside_the_allowed_skew_is_refused(
    mar: NodeIdentity, verify: Verify, offset: int, accepted: bool
) -> None:
    """``offset`` is how far the receiver's clock is ahead of the message (s)."""
    wire = wire_from(mar)
    now = NOW + timedelta(seconds=offset)
    if accepted:
        assert verify(wire, now=now).sender == "MAR"
    else:
        with pytest.raises(ExchangeRefused) as refused:
            verify(wire, now=now)
        assert refused.value.code == "stale"
        assert ("behind" if offset > 0 else "ahead of") in refused.value.reason


def test_replayed_message_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    wire = wire_from(mar)
    verify(wire)

    assert refusal_code(verify, wire) == "replay"
    assert refusal_code(verify, wire, now=NOW + timedelta(seconds=100)) == "replay"
    assert refusal_code(verify, wire, now=NOW + timedelta(seconds=300)) == "stale"


def test_refused_message_does_not_use_up_its_id(mar: NodeIdentity, verify: Verify) -> None:
    wire = wire_from(mar)
    assert refusal_code(verify, wire, transport_peer="FRA") == "peer_mismatch"
    assert refusal_code(verify, wire, recipient="FRA") == "wrong_recipient"
    assert verify(wire).sender == "MAR"


@pytest.mark.parametrize(
    ("wire", "reason"),
    [
        (b"not json", "envelope: is not JSON"),
        (b"[]", "envelope: must be a JSON object"),
        (b'{"sender":"MAR"}', "key_id: missing"),
        (b'{"sender":"MAR","key_id":"k","payload":"***"}', "payload: is not valid base64"),
        (b'{"sender":"MAR","key_id":"k","payload":"","extra":1}', "unexpected field(s) extra"),
        (b" " * (1 << 20) + b"{}", "more than 1048576"),
    ],
)
def test_malformed_wire_is_refused(verify: Verify, wire: bytes, reason: str) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        verify(wire)
    assert refused.value.code == "malformed"
    assert reason in refused.value.reason


def test_signed_but_non_canonical_payload_is_refused(mar: NodeIdentity, verify: Verify) -> None:
    envelope = new_envelope("MAR", "BEL", "query.document", BODY, at=NOW)
    fields = json.loads(envelope.payload(mar.key_id))
    payload = json.dumps(fields, indent=1).encode()
    wire = canonical_json(
        {
            "key_id": mar.key_id,
            "payload": base64.b64encode(payload).decode(),
            "sender": "MAR",
            "signature": base64.b64encode(mar.sign(payload)).decode(),
        }
    )
    with pytest.raises(ExchangeRefused, match="canonical") as refused:
        verify(wire)
    assert refused.value.code == "malformed"


def test_replay_guard_forgets_ids_after_twice_the_skew() -> None:
    guard = MemoryReplayGuard(max_skew=timedelta(seconds=120))
    assert guard.first_sight("MAR", "m1", NOW)
    assert not guard.first_sight("MAR", "m1", NOW + timedelta(seconds=240))
    assert guard.first_sight("BEL", "m1", NOW)

    assert guard.first_sight("MAR", "m2", NOW + timedelta(seconds=241))
    assert len(guard) == 1
    assert guard.first_sight("MAR", "m1", NOW + timedelta(seconds=241))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda m: new_envelope("MAR", "BEL", "Query Document", {}, at=NOW), "kind"),
        (lambda m: new_envelope("MAR", "ZZZ", "query.document", {}, at=NOW), "recipient"),
        (lambda m: new_envelope("MAR", "BEL", "q.d", {}, at=NOW.replace(tzinfo=None)), "sent_at"),
        (
            lambda m: sign_envelope(new_envelope("MAR", "BEL", "q.d", {"x": {1, 2}}, at=NOW), m),
            "body",
        ),
        (lambda m: sign_envelope(new_envelope("BEL", "MAR", "q.d", {}, at=NOW), m), "sender"),
    ],
)
def test_invalid_message_is_refused_before_sending_naming_the_field(
    mar: NodeIdentity, make: Callable[[NodeIdentity], object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        make(mar)
    assert refused.value.field == field
