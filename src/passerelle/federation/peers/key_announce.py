"""Hitless key rotation between partners: the next key announced, the old one retired.

A node rotating its signing key (``passerelle node rotate-key``) queues to every
enabled partner, in one transaction, an announcement signed — as every envelope —
with its *current* key, which the partner verifies against the key it registered::

    key.announce  {"idempotency_key": "key-announce:<next key id>",
                   "public_key": "ed25519 MAR BASE64", "takes_over_at": "<ISO 8601>",
                   "proof": "<base64 signature of the statement, by the next key>"}

The partner adds the next key beside the current one (audited ``peer.key_announced``):
from then on both verify the node's messages, so the switch (``rotate-key
--complete``) refuses nothing. Once switched, the node sends::

    key.retire    {"idempotency_key": "key-retire:<old key id>",
                   "retired_key_id": "<hex>", "key_id": "<the new key id>",
                   "proof": "<base64 signature of the statement, by the new key>"}

and the partner drops the old key (``peer.key_retired``). Each ``proof`` is a
signature by the key the message is about, over ``passerelle key.announce STATE
KEY_ID TAKES_OVER_AT`` or ``passerelle key.retire STATE OLD_ID NEW_ID``: only the
holder of the new key can have it registered, and only the holder of the new key
can retire the old one (a thief of the old key cannot evict its successor).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.protocol.identity import NodeIdentity, PeerKey, parse_public_key
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor
from passerelle.federation.transport.outbox import enqueue

__all__ = [
    "ANNOUNCE_KIND",
    "RETIRE_KIND",
    "key_rotation_handlers",
    "queue_key_announce",
    "queue_key_retire",
]

ANNOUNCE_KIND = "key.announce"
RETIRE_KIND = "key.retire"
MAX_KEYS = 3
"""The most keys a partner may hold by announcing (current, next, one more while a rotation
is redone); an operator's ``peer key-remove`` makes room."""


def _announce_statement(state: str, key_id: str, takes_over_at: str) -> bytes:
    return f"passerelle {ANNOUNCE_KIND} {state} {key_id} {takes_over_at}".encode("ascii")


def _retire_statement(state: str, old_id: str, new_id: str) -> bytes:
    return f"passerelle {RETIRE_KIND} {state} {old_id} {new_id}".encode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def queue_key_announce(
    session: Session,
    following: NodeIdentity,
    *,
    takes_over_at: datetime,
    partners: Iterable[str],
    now: datetime,
) -> int:
    """Queue the announcement of ``following`` for each of ``partners``; how many queued."""
    when = takes_over_at.isoformat()
    body = {
        "public_key": following.peer_key.text,
        "takes_over_at": when,
        "proof": _b64(following.sign(_announce_statement(following.state, following.key_id, when))),
    }
    key = f"key-announce:{following.key_id}"
    return sum(
        enqueue(session, peer=state, kind=ANNOUNCE_KIND, body=body, idempotency_key=key, now=now)
        for state in partners
    )


def queue_key_retire(
    session: Session,
    previous: NodeIdentity,
    current: NodeIdentity,
    *,
    partners: Iterable[str],
    now: datetime,
) -> int:
    """Queue, for each of ``partners``, the retirement of ``previous`` proven by ``current``."""
    statement = _retire_statement(current.state, previous.key_id, current.key_id)
    body = {
        "retired_key_id": previous.key_id,
        "key_id": current.key_id,
        "proof": _b64(current.sign(statement)),
    }
    key = f"key-retire:{previous.key_id}"
    return sum(
        enqueue(session, peer=state, kind=RETIRE_KIND, body=body, idempotency_key=key, now=now)
        for state in partners
    )


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value or len(value) > 200:
        raise InvalidInput(name, "is required: a string of 1 to 200 characters")
    return value


def _check_proof(key: PeerKey, body: Mapping[str, Any], statement: bytes) -> None:
    try:
        key.public_key.verify(base64.b64decode(_text(body, "proof"), validate=True), statement)
    except (binascii.Error, ValueError, InvalidSignature) as exc:
        raise InvalidInput("proof", f"is not a signature of the statement by {key.key_id}") from exc


def receive_key_announce(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``key.announce``: register the sender's next key."""
    sender = message.peer.state
    body = message.envelope.body
    announced = parse_public_key(_text(body, "public_key"))
    if announced.state != sender:
        raise InvalidInput(
            "public_key", f"names {announced.state}: {sender} may only announce its own"
        )
    when = _text(body, "takes_over_at")
    try:
        datetime.fromisoformat(when)
    except ValueError as exc:
        raise InvalidInput("takes_over_at", "is not an ISO 8601 time") from exc
    _check_proof(announced, body, _announce_statement(sender, announced.key_id, when))
    if any(k.key_id == announced.key_id for k in message.peer.keys):
        return {"registered": False, "already": True, "key_id": announced.key_id}
    if len(message.peer.keys) >= MAX_KEYS:
        raise InvalidInput(
            "public_key", f"{sender} already holds {MAX_KEYS} keys: it must retire one first"
        )
    node = message.node
    directory = PeerDirectory(node.database, node.audit, clock=node.clock)
    directory.add_key(sender, announced.text, actor=peer_actor(sender), action="peer.key_announced")
    return {"registered": True, "already": False, "key_id": announced.key_id}


def receive_key_retire(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``key.retire``: drop the sender's previous key."""
    sender = message.peer.state
    body = message.envelope.body
    old_id, new_id = _text(body, "retired_key_id"), _text(body, "key_id")
    if old_id == new_id:
        raise InvalidInput("retired_key_id", "is the key that replaces it")
    new_key = next((k for k in message.peer.keys if k.key_id == new_id), None)
    if new_key is None:
        raise InvalidInput("key_id", f"{new_id} is not registered for {sender}")
    _check_proof(new_key, body, _retire_statement(sender, old_id, new_id))
    if all(k.key_id != old_id for k in message.peer.keys):
        return {"retired": False, "already": True, "key_id": old_id}
    node = message.node
    directory = PeerDirectory(node.database, node.audit, clock=node.clock)
    directory.remove_key(sender, old_id, actor=peer_actor(sender), action="peer.key_retired")
    return {"retired": True, "already": False, "key_id": old_id}


def key_rotation_handlers() -> dict[str, Handler]:
    """The listener's handlers of partners' key rotations, by kind."""
    return {ANNOUNCE_KIND: receive_key_announce, RETIRE_KIND: receive_key_retire}
