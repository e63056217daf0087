"""What waits in the outbox for each partner, and sending parked messages again.

A message a partner refused for good is *parked* (``federation.transport.delivery``): the
same body would meet the same refusal. When the cause is fixed on the other
side (the partner's agreement now takes this node's alerts, its software
upgraded), an administrator requeues that partner's parked messages: they are
due again at once, in their original order, and the requeue is audited
(``exchange.outbox.requeue``). The receiving node applies each idempotency key
once and in version order, so a requeued issue that a later withdrawal
overtook changes nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.identity import parse_state
from passerelle.federation.transport.claims import PARKED_UNTIL
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.tables import ExchangeOutbox

__all__ = ["REQUEUE", "PartnerOutbox", "outbox_status", "requeue_parked"]

REQUEUE = "exchange.outbox.requeue"
"""The audit action of parked messages sent again."""


@dataclass(frozen=True, slots=True)
class PartnerOutbox:
    """One partner's messages: waiting (to send or retry), parked, delivered."""

    peer: str
    waiting: int
    parked: int
    delivered: int
    oldest_waiting: datetime | None
    """When the oldest message still waiting was queued."""
    last_delivered: datetime | None = None
    """When the last message was delivered (the administrators' page)."""
    last_error: str | None = None
    """Why the newest message not delivered failed last, when one did."""

    def as_json(self) -> dict[str, Any]:
        return {
            "peer": self.peer,
            "waiting": self.waiting,
            "parked": self.parked,
            "delivered": self.delivered,
            "oldest_waiting": self.oldest_waiting.isoformat() if self.oldest_waiting else None,
        }


def outbox_status(database: Database) -> list[PartnerOutbox]:
    """Every partner with messages in the outbox, by state."""
    delivered = ExchangeOutbox.delivered_at.is_not(None)
    parked = ExchangeOutbox.delivered_at.is_(None) & (
        ExchangeOutbox.next_attempt_at >= PARKED_UNTIL
    )
    waiting = ExchangeOutbox.delivered_at.is_(None) & (
        ExchangeOutbox.next_attempt_at < PARKED_UNTIL
    )
    query = (
        select(
            ExchangeOutbox.peer,
            func.sum(case((waiting, 1), else_=0)),
            func.sum(case((parked, 1), else_=0)),
            func.sum(case((delivered, 1), else_=0)),
            func.min(case((waiting, ExchangeOutbox.created_at), else_=None)),
            func.max(ExchangeOutbox.delivered_at),
        )
        .group_by(ExchangeOutbox.peer)
        .order_by(ExchangeOutbox.peer)
    )
    with database.read() as session:
        rows = session.execute(query).all()
        errors = {peer: _last_error(session, peer) for peer, *_ in rows}
    return [
        PartnerOutbox(peer, int(w or 0), int(p or 0), int(d or 0), oldest, last, errors[peer])
        for peer, w, p, d, oldest, last in rows
    ]


def _last_error(session: Session, peer: str) -> str | None:
    """The last error of the newest message to ``peer`` that is not delivered."""
    found: str | None = session.scalar(
        select(ExchangeOutbox.last_error)
        .where(
            ExchangeOutbox.peer == peer,
            ExchangeOutbox.delivered_at.is_(None),
            ExchangeOutbox.last_error.is_not(None),
        )
        .order_by(ExchangeOutbox.id.desc())
        .limit(1)
    )
    return found


def requeue_parked(
    database: Database, audit: AuditTrail, peer: str, *, actor: Actor, now: datetime
) -> list[str]:
    """Make ``peer``'s parked messages due now; their idempotency keys, oldest first.

    ``InvalidInput`` (field ``state``) when the partner has none parked.
    """
    state = parse_state(peer)
    parked = (
        (ExchangeOutbox.peer == state)
        & ExchangeOutbox.delivered_at.is_(None)
        & (ExchangeOutbox.next_attempt_at >= PARKED_UNTIL)
    )
    with database.write() as session:
        rows = session.execute(
            select(ExchangeOutbox.id, ExchangeOutbox.idempotency_key, ExchangeOutbox.last_error)
            .where(parked)
            .order_by(ExchangeOutbox.id)
        ).all()
        if not rows:
            raise InvalidInput("state", f"no message to {state} is parked")
        session.execute(
            update(ExchangeOutbox)
            .where(ExchangeOutbox.id.in_([row.id for row in rows]))
            .values(next_attempt_at=now, last_error=None)
        )
        keys = [row.idempotency_key for row in rows]
        audit.record(
            session,
            actor=actor,
            action=REQUEUE,
            at=now,
            query={"peer": state},
            result={
                "messages": len(keys),
                "idempotency_keys": keys[:100],
                "last_errors": sorted({row.last_error or "" for row in rows})[:10],
            },
        )
    return keys
