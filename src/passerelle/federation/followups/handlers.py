"""The listener's handlers of follow-ups: a partner's request, and a partner's answer.

``followup.request`` (owning side) stores the request pending with the
agreement's deadline once the reference resolves for that partner;
``followup.answer`` (asking side) applies the owner's decision once (its
idempotency key goes to ``exchange_inbox``). :func:`followup_handlers` offers
both to the listener's table; the flow and the audit records are described in
``federation.followups.requests``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.followups.values import (
    ANSWER_STATUSES,
    parse_followup_id,
    parse_justification,
    released_fields,
    text_field,
)
from passerelle.federation.queries.references import resolve
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor
from passerelle.store.tables import ExchangeFollowUp, ExchangeInbox

__all__ = [
    "ANSWER_KIND",
    "REQUEST_KIND",
    "followup_handlers",
    "receive_answer",
    "receive_request",
]

REQUEST_KIND = "followup.request"
ANSWER_KIND = "followup.answer"


def receive_request(message: InboundMessage) -> dict[str, Any]:
    """``followup.request``: store the partner's request pending, with the agreed deadline.

    The reference must have been given to this very partner and not have
    expired (``references.resolve``, else ``unknown_reference`` /
    ``reference_expired``). A request sent twice is stored once.
    """
    node, peer, body = message.node, message.peer, message.envelope.body
    followup_id = parse_followup_id(body.get("followup_id"))
    reference = text_field(body.get("reference"), "reference", limit=48)
    why = parse_justification(body.get("justification"))
    requester = text_field(body.get("requester"), "requester", limit=128)
    now = message.received_at
    with node.database.write() as session:
        held = session.get(ExchangeFollowUp, followup_id)
        if held is not None:
            if (
                held.direction == "incoming"
                and held.peer == peer.state
                and held.reference == (reference)
            ):
                return _taken(held)
            raise InvalidInput("followup_id", "is already used on this node")
        resolve(session, reference, peer.state, now=now)
        row = ExchangeFollowUp(
            id=followup_id,
            direction="incoming",
            peer=peer.state,
            reference=reference,
            justification=why,
            requested_by=f"{peer.state}:{requester}",
            requested_at=now,
            deadline_at=now + timedelta(hours=peer.agreement.follow_up_hours),
            status="pending",
            decided_by=None,
            decided_at=None,
            decision_note=None,
            released=None,
        )
        session.add(row)
        session.flush()
        node.audit.record(
            session,
            actor=peer_actor(peer.state),
            action="followup.receive",
            purpose=why[:500],
            at=now,
            query={"followup": followup_id, "reference": reference, "requester": requester},
            result={"status": "pending", "deadline_at": row.deadline_at.isoformat()},
        )
        return _taken(row)


def _taken(row: ExchangeFollowUp) -> dict[str, Any]:
    return {
        "followup_id": row.id,
        "status": row.status,
        "deadline_at": row.deadline_at.isoformat(),
    }


def receive_answer(message: InboundMessage) -> dict[str, Any]:
    """``followup.answer``: the owner's decision on one of this node's requests, applied once."""
    node, peer, body = message.node, message.peer, message.envelope.body
    key = text_field(body.get("idempotency_key"), "idempotency_key", limit=64)
    followup_id = parse_followup_id(body.get("followup_id"))
    status = body.get("status")
    if not isinstance(status, str) or status not in ANSWER_STATUSES:
        raise InvalidInput("status", f"{status!r} is not one of {', '.join(ANSWER_STATUSES)}")
    released = body.get("released")
    if status == "approved" and not isinstance(released, dict):
        raise InvalidInput("released", "an approval carries the record (an object)")
    now = message.received_at
    with node.database.write() as session:
        row = session.get(ExchangeFollowUp, followup_id, with_for_update=True)
        if row is None or row.direction != "outgoing" or row.peer != peer.state:
            raise InvalidInput("followup_id", f"this node asked {peer.state} no such follow-up")
        if not _first_sight(session, peer.state, key, now):
            return {"applied": False, "duplicate": True}
        applied = row.status == "pending"
        if applied:
            row.status, row.decided_at = str(status), now
            row.decided_by = peer.state
            row.released = released if isinstance(released, dict) else None
            session.flush()
        node.audit.record(
            session,
            actor=peer_actor(peer.state),
            action="followup.answer",
            at=now,
            query={"followup": followup_id, "reference": row.reference},
            result={
                "status": status,
                "applied": applied,
                "fields": released_fields(released if isinstance(released, dict) else None),
            },
        )
        return {"applied": applied, "duplicate": False}


def _first_sight(session: Session, sender: str, key: str, now: datetime) -> bool:
    try:
        with session.begin_nested():
            session.add(
                ExchangeInbox(sender=sender, idempotency_key=key, kind=ANSWER_KIND, received_at=now)
            )
    except IntegrityError:
        return False
    return True


def followup_handlers() -> dict[str, Handler]:
    """The listener's follow-up handlers, by kind (both sides: requests and answers)."""
    return {REQUEST_KIND: receive_request, ANSWER_KIND: receive_answer}
