"""Signed message envelopes between nodes (Ed25519, RFC 8032).

A message is a sender, a recipient, a message id (UUID4), a timestamp, a kind
(``query.document``, ``alert.issue``) and a JSON object body. Its *payload* is
the canonical JSON of those fields::

    {"body":{...},"id":"<uuid4>","key_id":"<hex>","kind":"query.document",
     "recipient":"BEL","sender":"MAR","sent_at":"2026-11-25T12:00:00.000Z","version":1}

Canonical means: keys sorted, no whitespace (separators ``,`` and ``:``),
UTF-8 without ``\\u`` escapes for printable characters, no NaN or Infinity,
the timestamp in UTC with milliseconds and ``Z``. The sender signs those
bytes; on the wire they travel verbatim, base64-encoded, in a small JSON
wrapper that also names the signer so the receiver finds the key first::

    {"key_id":"<hex>","payload":"<base64>","sender":"MAR","signature":"<base64>"}

Why a wrapper rather than HTTP headers: the same bytes serve every transport
(an HTTP body, an outbox row resent on retry, a file, an audit copy of what was
received), and the receiver verifies the exact bytes signed, never a
re-serialisation. Why the signer in clear: the signature is checked *before*
the payload is parsed, so unauthenticated input reaches only the four-field
wrapper; the payload repeats sender and key id under the signature.

:func:`verify_envelope` refuses, each with its own :class:`ExchangeRefused`
(see ``errors``): a malformed wrapper or payload, a missing signature, an
unknown sender or key id, a bad signature, a sender other than the TLS peer,
another recipient, a timestamp outside ``±max_skew`` and a message id the
:class:`ReplayGuard` has seen. The replay guard is asked last, so a refused
message never uses up its id.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

from cryptography.exceptions import InvalidSignature

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.errors import (
    BadSignature,
    MalformedMessage,
    PeerMismatch,
    ReplayedMessage,
    Revoked,
    StaleMessage,
    UnknownPeer,
    UnsignedMessage,
    WrongRecipient,
)
from passerelle.federation.protocol.identity import NodeIdentity, PeerKeys, parse_state
from passerelle.federation.protocol.replay import DEFAULT_MAX_SKEW, ReplayGuard

__all__ = [
    "CONTENT_TYPE",
    "MAX_ENVELOPE_BYTES",
    "Envelope",
    "JsonObject",
    "JsonValue",
    "SignedEnvelope",
    "canonical_json",
    "new_envelope",
    "sign_envelope",
    "verify_envelope",
]

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
JsonObject: TypeAlias = dict[str, JsonValue]

CONTENT_TYPE = "application/vnd.passerelle.envelope+json"
MAX_ENVELOPE_BYTES = 1 << 20
"""The largest wire envelope accepted (1 MiB): queries carry ids and templates, not images."""

_VERSION = 1
_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_SENT_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_PAYLOAD_FIELDS = frozenset(
    {"body", "id", "key_id", "kind", "recipient", "sender", "sent_at", "version"}
)
_WIRE_FIELDS = frozenset({"key_id", "payload", "sender", "signature"})


def canonical_json(value: JsonValue) -> bytes:
    """The canonical bytes of a JSON value: sorted keys, no blanks, UTF-8, no NaN.

    >>> canonical_json({"b": [1, 2.5], "a": "é"})
    b'{"a":"\\xc3\\xa9","b":[1,2.5]}'
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _check_kind(kind: str) -> None:
    if len(kind) > 64 or not _KIND.fullmatch(kind):
        raise InvalidInput("kind", f"{kind!r} is not dotted lower-case words, e.g. 'alert.issue'")


@dataclass(frozen=True, slots=True)
class Envelope:
    """One message between nodes, before signing or after verification."""

    sender: str
    recipient: str
    message_id: str
    sent_at: datetime
    kind: str
    body: JsonObject

    def __post_init__(self) -> None:
        for name in ("sender", "recipient"):
            if parse_state(getattr(self, name), field=name) != getattr(self, name):
                raise InvalidInput(name, f"{getattr(self, name)!r} must be an upper-case code")
        if self.sent_at.tzinfo is None:
            raise InvalidInput("sent_at", "must carry a time zone")
        _check_kind(self.kind)
        if not isinstance(self.body, dict):
            raise InvalidInput("body", "must be a JSON object")

    def payload(self, key_id: str) -> bytes:
        """The canonical bytes the sender signs with the key ``key_id``."""
        try:
            return canonical_json(
                {
                    "body": self.body,
                    "id": self.message_id,
                    "key_id": key_id,
                    "kind": self.kind,
                    "recipient": self.recipient,
                    "sender": self.sender,
                    "sent_at": _format_time(self.sent_at),
                    "version": _VERSION,
                }
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInput("body", f"is not plain JSON: {exc}") from exc


def new_envelope(
    sender: str,
    recipient: str,
    kind: str,
    body: Mapping[str, JsonValue],
    *,
    at: datetime,
    message_id: str | None = None,
) -> Envelope:
    """A message from ``sender`` to ``recipient`` sent ``at`` (kept to the millisecond).

    The message id is a new UUID4 unless given.
    """
    if at.tzinfo is None:
        raise InvalidInput("sent_at", "must carry a time zone")
    return Envelope(
        sender=parse_state(sender, field="sender"),
        recipient=parse_state(recipient, field="recipient"),
        message_id=message_id or str(uuid.uuid4()),
        sent_at=at.astimezone(UTC).replace(microsecond=at.microsecond // 1000 * 1000),
        kind=kind,
        body=dict(body),
    )


@dataclass(frozen=True, slots=True)
class SignedEnvelope:
    """An envelope with its signed payload; ``to_wire()`` gives the bytes to send."""

    envelope: Envelope
    key_id: str
    payload: bytes
    signature: bytes

    def to_wire(self) -> bytes:
        """The wire form: ``{"key_id","payload","sender","signature"}`` as canonical JSON."""
        return canonical_json(
            {
                "key_id": self.key_id,
                "payload": base64.b64encode(self.payload).decode("ascii"),
                "sender": self.envelope.sender,
                "signature": base64.b64encode(self.signature).decode("ascii"),
            }
        )


def sign_envelope(envelope: Envelope, identity: NodeIdentity) -> SignedEnvelope:
    """Sign ``envelope`` with this node's key; the sender must be this node's state."""
    if envelope.sender != identity.state:
        raise InvalidInput(
            "sender", f"{envelope.sender} is not this node's state ({identity.state})"
        )
    payload = envelope.payload(identity.key_id)
    return SignedEnvelope(envelope, identity.key_id, payload, identity.sign(payload))


def _b64(value: object, name: str) -> bytes:
    """Strict, canonical base64 of a wire field; ValueError naming the field."""
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be a base64 string")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{name}: is not valid base64") from exc
    if base64.b64encode(raw).decode("ascii") != value:
        raise ValueError(f"{name}: is not canonical base64")
    return raw


def _read_wire(wire: bytes, max_bytes: int) -> tuple[str, str, bytes, object]:
    """(sender, key_id, payload bytes, signature field) from the wire wrapper."""
    if len(wire) > max_bytes:
        raise MalformedMessage(f"envelope: is {len(wire)} bytes, more than {max_bytes}")
    try:
        wrapper = json.loads(wire)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedMessage("envelope: is not JSON") from exc
    if not isinstance(wrapper, dict):
        raise MalformedMessage("envelope: must be a JSON object")
    extra = sorted(set(wrapper) - _WIRE_FIELDS)
    if extra:
        raise MalformedMessage(f"envelope: unexpected field(s) {', '.join(extra)}")
    sender, key_id = wrapper.get("sender"), wrapper.get("key_id")
    for name, value in (("sender", sender), ("key_id", key_id)):
        if not isinstance(value, str) or not value or len(value) > 64:
            raise MalformedMessage(f"{name}: missing or not a short string")
    assert isinstance(sender, str)
    assert isinstance(key_id, str)
    try:
        payload = _b64(wrapper.get("payload"), "payload")
    except ValueError as exc:
        raise MalformedMessage(str(exc), sender=sender) from exc
    return sender, key_id, payload, wrapper.get("signature")


def _read_payload(payload: bytes, sender: str, key_id: str) -> Envelope:
    """The envelope in an authenticated payload, checked to be canonical and complete."""
    try:
        fields = json.loads(payload.decode("utf-8"))
        if not isinstance(fields, dict) or canonical_json(fields) != payload:
            raise MalformedMessage("payload: is not a canonical JSON object", sender=sender)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedMessage("payload: is not plain UTF-8 JSON", sender=sender) from exc
    message_id = fields.get("id")
    context = {"sender": sender, "message_id": message_id if isinstance(message_id, str) else None}
    if set(fields) != _PAYLOAD_FIELDS:
        missing = sorted(_PAYLOAD_FIELDS - set(fields)) or sorted(set(fields) - _PAYLOAD_FIELDS)
        raise MalformedMessage(f"payload: missing or unexpected {', '.join(missing)}", **context)
    if fields["version"] != _VERSION:
        raise MalformedMessage(f"version: {fields['version']!r} is not supported", **context)
    for name, expected in (("sender", sender), ("key_id", key_id)):
        if fields[name] != expected:
            raise MalformedMessage(
                f"{name}: the signed value differs from the envelope's", **context
            )
    try:
        parsed = uuid.UUID(str(message_id))
    except ValueError:
        parsed = None
    if parsed is None or str(parsed) != message_id or parsed.version != 4:
        raise MalformedMessage("id: is not a lower-case UUID4", **context)
    sent_at = fields["sent_at"]
    if not isinstance(sent_at, str) or not _SENT_AT.fullmatch(sent_at):
        raise MalformedMessage("sent_at: is not UTC 'YYYY-MM-DDTHH:MM:SS.mmmZ'", **context)
    try:
        return Envelope(
            sender=sender,
            recipient=str(fields["recipient"]),
            message_id=str(message_id),
            sent_at=datetime.fromisoformat(sent_at[:-1] + "+00:00"),
            kind=str(fields["kind"]),
            body=fields["body"],
        )
    except InvalidInput as exc:
        raise MalformedMessage(f"{exc.field}: {exc.reason}", **context) from exc
    except ValueError as exc:
        raise MalformedMessage(f"sent_at: {exc}", **context) from exc


def verify_envelope(
    wire: bytes,
    *,
    recipient: str,
    peers: PeerKeys,
    replay_guard: ReplayGuard,
    now: datetime,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
    transport_peer: str | None = None,
    max_bytes: int = MAX_ENVELOPE_BYTES,
    revoked_keys: Collection[str] = frozenset(),
) -> Envelope:
    """The envelope in ``wire`` if this node (``recipient``) accepts it, else a refusal.

    ``transport_peer`` is the state named by the verified TLS client
    certificate, when the message came over mutual TLS; the signed sender
    must be that state. ``now`` is this node's clock. ``revoked_keys`` are the
    key ids the federation CRL revokes: a message signed with one is refused.

    Raises the :class:`ExchangeRefused` subclass of the first rule broken, in
    this order: malformed, unsigned, unknown_peer, revoked, bad_signature, malformed
    payload, peer_mismatch, wrong_recipient, stale, replay.
    """
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    sender, key_id, payload, signature_field = _read_wire(wire, max_bytes)
    if signature_field is None or signature_field == "":
        raise UnsignedMessage("the envelope carries no signature", sender=sender)
    registered = peers.keys_for(sender)
    if not registered:
        raise UnknownPeer(f"{sender!r} is not a registered partner", sender=sender)
    key = next((k for k in registered if k.key_id == key_id), None)
    if key is None:
        raise UnknownPeer(f"key id {key_id!r} is not registered for {sender}", sender=sender)
    if key_id in revoked_keys:
        raise Revoked(f"{sender}'s signing key {key_id} is revoked", sender=sender)
    try:
        signature = _b64(signature_field, "signature")
        if len(signature) != 64:
            raise ValueError(f"signature: is {len(signature)} bytes, not 64")
        key.public_key.verify(signature, payload)
    except ValueError as exc:
        raise BadSignature(str(exc), sender=sender) from exc
    except InvalidSignature as exc:
        raise BadSignature(
            f"does not verify with {sender}'s key {key_id}: altered or forged", sender=sender
        ) from exc

    envelope = _read_payload(payload, sender, key_id)
    context = {"sender": sender, "message_id": envelope.message_id}
    if transport_peer is not None and transport_peer != sender:
        raise PeerMismatch(
            f"signed by {sender} but sent over a TLS connection of {transport_peer}", **context
        )
    if envelope.recipient != recipient:
        raise WrongRecipient(
            f"addressed to {envelope.recipient}, this node is {recipient}", **context
        )
    drift = (envelope.sent_at - now).total_seconds()
    allowed = max_skew.total_seconds()
    if abs(drift) > allowed:
        direction = "ahead of" if drift > 0 else "behind"
        raise StaleMessage(
            f"sent_at is {abs(drift):.0f} s {direction} this node's clock "
            f"(allowed ±{allowed:.0f} s)",
            **context,
        )
    if not replay_guard.first_sight(sender, envelope.message_id, now):
        raise ReplayedMessage(f"message id {envelope.message_id} was already received", **context)
    return envelope
