"""The hub's two message kinds and their bodies, read with every field checked.

``hub.relay`` (member to hub)::

    {"kind": "query.document", "deadline_ms": 1800,
     "parts": [{"to": "BEL", "sealed": "<base64>"}, ...]}

answered ``{"parts": [{"to", "status", "sealed"?, "code"?, "detail"?, "sent"?}]}``, a
status per addressee: ``answered`` (``sealed``: the addressee's signed reply, sealed to
the asker), ``refused``, ``timeout``, ``unreachable``, ``invalid`` (as a direct fan-out
says them) or ``not_forwarded`` (the hub's matrix does not allow it, or no such member).

``hub.deliver`` (hub to the addressee)::

    {"from": "MAR", "kind": "query.document", "sealed": "<base64>"}

answered ``{"sealed": "<base64>"}``. The kind travels in clear because the hub routes
on it; what the message says travels only sealed.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.envelope import MAX_ENVELOPE_BYTES, JsonValue
from passerelle.federation.protocol.identity import parse_state

__all__ = [
    "DELIVER_KIND",
    "MAX_DEADLINE_MS",
    "MAX_PARTS",
    "RELAY_KIND",
    "Delivery",
    "Relay",
    "decode_sealed",
    "encode_sealed",
    "read_delivery",
    "read_relay",
]

RELAY_KIND = "hub.relay"
DELIVER_KIND = "hub.deliver"
MAX_PARTS = 64
MAX_DEADLINE_MS = 30_000


@dataclass(frozen=True, slots=True)
class Relay:
    """What a member asks the hub to forward: one sealed part per addressee."""

    kind: str
    deadline_ms: int
    parts: tuple[tuple[str, str], ...]
    """(addressee, sealed part in base64), in the order sent."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """A part the hub forwards to its addressee: who sent it, its kind, the sealed bytes."""

    sender: str
    kind: str
    sealed: bytes


def encode_sealed(sealed: bytes) -> str:
    return base64.b64encode(sealed).decode("ascii")


def decode_sealed(value: object, field: str = "sealed") -> bytes:
    """The bytes of a base64 sealed part; :class:`InvalidInput` naming ``field``."""
    if not isinstance(value, str) or not value or len(value) > MAX_ENVELOPE_BYTES:
        raise InvalidInput(field, "must be a base64 string of at most 1 MiB")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(field, "is not valid base64") from exc


_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def _kind(value: object) -> str:
    if not isinstance(value, str) or len(value) > 64 or not _KIND.fullmatch(value):
        raise InvalidInput("kind", "must be a message kind such as query.document")
    if value.startswith("hub.") or value == "exchange.reply":
        raise InvalidInput("kind", f"{value} is not relayed")
    return value


def read_relay(body: Mapping[str, JsonValue]) -> Relay:
    """The relay request in ``body``; :class:`InvalidInput` naming the field."""
    deadline = body.get("deadline_ms")
    if not isinstance(deadline, int) or isinstance(deadline, bool):
        raise InvalidInput("deadline_ms", "must be an integer")
    if not 1 <= deadline <= MAX_DEADLINE_MS:
        raise InvalidInput("deadline_ms", f"must be 1 to {MAX_DEADLINE_MS}, not {deadline}")
    raw_parts = body.get("parts")
    if not isinstance(raw_parts, list) or not 1 <= len(raw_parts) <= MAX_PARTS:
        raise InvalidInput("parts", f"must be a list of 1 to {MAX_PARTS} parts")
    parts: list[tuple[str, str]] = []
    for index, part in enumerate(raw_parts):
        if not isinstance(part, dict) or not isinstance(part.get("to"), str):
            raise InvalidInput(f"parts[{index}]", "must be {'to': STATE, 'sealed': BASE64}")
        to = parse_state(str(part["to"]), field=f"parts[{index}].to")
        if any(to == seen for seen, _ in parts):
            raise InvalidInput(f"parts[{index}].to", f"{to} is named twice")
        decode_sealed(part.get("sealed"), f"parts[{index}].sealed")
        parts.append((to, str(part["sealed"])))
    return Relay(_kind(body.get("kind")), deadline, tuple(parts))


def read_delivery(body: Mapping[str, JsonValue]) -> Delivery:
    """The delivered part in ``body``; :class:`InvalidInput` naming the field."""
    sender = body.get("from")
    if not isinstance(sender, str):
        raise InvalidInput("from", "must be a state code")
    return Delivery(
        parse_state(sender, field="from"),
        _kind(body.get("kind")),
        decode_sealed(body.get("sealed")),
    )
