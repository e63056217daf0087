"""Checkpoints of the audit chain, sent to partners who keep them and give them back.

A node's checkpoints (``passerelle.store.audit_checkpoints``) are worth most
where the node's own operators cannot reach: at its partners. Each checkpoint
is queued in the outbox for every enabled partner in the transaction that
takes it (:func:`queue_checkpoint`), so it arrives even if a link is down::

    audit.checkpoint          {"idempotency_key": "checkpoint:<seq>:<sig>",
                               "checkpoint": {format, node, seq, hash, counter,
                                              at, key_id, signature}}

The partner keeps it (``partner_audit_checkpoints``) once its inner signature
verifies with a key it registered for the sender, and the checkpoint names
the sender itself; anything else is refused (``invalid``) and nothing is
stored. Later the node asks for them back::

    audit.checkpoints_held    {}  ->  {"checkpoints": [...]}  (the newest 200)

and ``audit verify`` holds its chain against them
(:func:`fetch_held_checkpoints`). A partner only ever returns the checkpoints
the asking node itself sent: nothing of a third party.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput, PasserelleError
from passerelle.federation.peers.directory import PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor
from passerelle.federation.transport.outbox import MAX_KEY, enqueue
from passerelle.store.audit import AuditTrail
from passerelle.store.audit_checkpoints import Checkpoint, parse_checkpoint, signature_problem
from passerelle.store.tables import ExchangeInbox, PartnerAuditCheckpoint

__all__ = [
    "CHECKPOINT_KIND",
    "HELD_KIND",
    "HeldCheckpoints",
    "anchor_handlers",
    "apply_checkpoint",
    "fetch_held_checkpoints",
    "held_checkpoints",
    "queue_checkpoint",
]

log = logging.getLogger("passerelle.federation")

CHECKPOINT_KIND = "audit.checkpoint"
HELD_KIND = "audit.checkpoints_held"
MAX_RETURNED = 200


def queue_checkpoint(
    session: Session, checkpoint: Checkpoint, *, partners: Iterable[str], now: datetime
) -> int:
    """Queue ``checkpoint`` for each of ``partners`` in ``session``'s transaction; how many
    were queued (a checkpoint already queued for a partner is not queued again)."""
    key = f"checkpoint:{checkpoint.seq}:{checkpoint.signature[:24]}"
    body = {"checkpoint": checkpoint.as_dict()}
    return sum(
        enqueue(session, peer=state, kind=CHECKPOINT_KIND, body=body, idempotency_key=key, now=now)
        for state in partners
    )


def apply_checkpoint(
    session: Session,
    audit: AuditTrail,
    *,
    sender: PeerView,
    body: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """Keep a checkpoint ``sender`` signed of its own chain; the answer to send back.

    Refused (:class:`InvalidInput`, nothing stored) when malformed, of another node, or
    not signed by one of the keys registered for ``sender``.
    """
    checkpoint = parse_checkpoint(body.get("checkpoint"))
    if checkpoint.node != sender.state:
        raise InvalidInput(
            "checkpoint.node", f"is {checkpoint.node}: {sender.state} may only send its own"
        )
    problem = signature_problem(checkpoint, {k.key_id: k.public_key for k in sender.keys})
    if problem:
        raise InvalidInput("checkpoint.signature", problem)
    key = body.get("idempotency_key")
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise InvalidInput("idempotency_key", f"is required: 1 to {MAX_KEY} characters")
    try:
        with session.begin_nested():
            session.add(
                ExchangeInbox(sender=sender.state, idempotency_key=key, kind=CHECKPOINT_KIND,
                              received_at=now)
            )  # fmt: skip
            session.add(
                PartnerAuditCheckpoint(
                    state=sender.state,
                    seq=checkpoint.seq,
                    signature=checkpoint.signature,
                    signed_at=checkpoint.at,
                    checkpoint=checkpoint.as_dict(),
                    received_at=now,
                )
            )
    except IntegrityError:
        return {"kept": False, "duplicate": True, "seq": checkpoint.seq}
    audit.record(
        session,
        actor=peer_actor(sender.state),
        action="exchange.audit.checkpoint_receive",
        at=now,
        query={"seq": checkpoint.seq, "key_id": checkpoint.key_id},
        result={"kept": True},
    )
    return {"kept": True, "duplicate": False, "seq": checkpoint.seq}


def held_checkpoints(
    session: Session, state: str, *, limit: int = MAX_RETURNED
) -> list[dict[str, Any]]:
    """The checkpoints ``state`` sent here, newest first (as it signed them)."""
    rows = session.scalars(
        select(PartnerAuditCheckpoint.checkpoint)
        .where(PartnerAuditCheckpoint.state == state)
        .order_by(PartnerAuditCheckpoint.seq.desc(), PartnerAuditCheckpoint.id.desc())
        .limit(limit)
    )
    return list(rows)


def receive_checkpoint(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``audit.checkpoint``."""
    node = message.node
    with node.database.write() as session:
        return apply_checkpoint(
            session,
            node.audit,
            sender=message.peer,
            body=message.envelope.body,
            now=message.received_at,
        )


def return_held(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``audit.checkpoints_held``: the asker's own checkpoints."""
    node = message.node
    with node.database.write() as session:
        held = held_checkpoints(session, message.peer.state)
        node.audit.record(
            session,
            actor=peer_actor(message.peer.state),
            action="exchange.audit.checkpoints_return",
            at=message.received_at,
            query={},
            result={"checkpoints": len(held)},
        )
    return {"checkpoints": held}


def anchor_handlers() -> dict[str, Handler]:
    """The listener's handlers of partners' checkpoints, by kind."""
    return {CHECKPOINT_KIND: receive_checkpoint, HELD_KIND: return_held}


@dataclass(frozen=True, slots=True)
class HeldCheckpoints:
    """What one partner returned: its copies of this node's checkpoints, or why none."""

    partner: str
    checkpoints: tuple[Checkpoint, ...]
    problems: tuple[str, ...]
    error: str | None = None


def fetch_held_checkpoints(
    client: BlockingExchangeClient, partners: Iterable[PeerView], *, timeout: float = 10.0
) -> list[HeldCheckpoints]:
    """Ask each of ``partners`` for the checkpoints of this node it keeps."""
    answers: list[HeldCheckpoints] = []
    for peer in partners:
        try:
            reply = client.send(peer, HELD_KIND, {}, timeout=timeout)
        except PasserelleError as exc:
            answers.append(HeldCheckpoints(peer.state, (), (), str(exc)))
            continue
        listed: JsonValue = reply.body.get("checkpoints")
        if not isinstance(listed, list):
            answers.append(HeldCheckpoints(peer.state, (), (), "its answer holds no checkpoints"))
            continue
        found: list[Checkpoint] = []
        problems: list[str] = []
        for number, item in enumerate(listed, 1):
            try:
                found.append(parse_checkpoint(item))
            except InvalidInput as exc:
                problems.append(f"partner {peer.state} item {number}: {exc.field}: {exc.reason}")
        answers.append(HeldCheckpoints(peer.state, tuple(found), tuple(problems)))
    return answers
