"""Claiming the outbox's messages: one deliverer at a time per message, the head first.

Claiming (:func:`claim_head`) is a compare-and-set on ``attempts`` in a short
transaction: ``UPDATE ... SET attempts = attempts + 1, next_attempt_at = now +
lease WHERE id = :head AND attempts = :seen AND delivered_at IS NULL AND
next_attempt_at <= now``. The send happens outside any transaction; the lease
(longer than the send timeout) keeps other deliverers off the message
meanwhile, and if the process dies the message is due again once the lease
ends: it is resent, and the partner's inbox applies it once. Two deliverers
are safe on both backends: on PostgreSQL the second ``UPDATE`` of the same row
waits for the first and then matches nothing; SQLite has one writer (write
transactions begin ``IMMEDIATE``). ``FOR UPDATE SKIP LOCKED`` is not used: it
would let the second deliverer skip a locked head and send the partner's next
message before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from passerelle.federation.transport.outbox import PARKED_UNTIL
from passerelle.store.db import Database
from passerelle.store.tables import ExchangeOutbox

__all__ = ["PARKED_UNTIL", "OutboxMessage", "claim_head", "settle", "waiting_peers"]


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A claimed message: what to send, to whom, and which attempt this is."""

    id: int
    peer: str
    kind: str
    idempotency_key: str
    body: dict[str, Any]
    attempt: int


def _pending(peer: str) -> Select[ExchangeOutbox]:
    return select(ExchangeOutbox).where(
        ExchangeOutbox.peer == peer,
        ExchangeOutbox.delivered_at.is_(None),
        ExchangeOutbox.next_attempt_at < PARKED_UNTIL,
    )


def waiting_peers(database: Database) -> list[str]:
    """The partners with messages neither delivered nor parked, by state."""
    query = (
        select(ExchangeOutbox.peer)
        .where(ExchangeOutbox.delivered_at.is_(None), ExchangeOutbox.next_attempt_at < PARKED_UNTIL)
        .distinct()
    )
    with database.read() as session:
        return sorted(session.scalars(query))


def claim_head(
    database: Database, peer: str, *, now: datetime, lease: float
) -> OutboxMessage | None:
    """Claim ``peer``'s oldest waiting message if it is due; None if not (or if another
    deliverer claimed it first). The claim counts as an attempt and lasts ``lease`` s."""
    with database.write() as session:
        head = session.scalars(_pending(peer).order_by(ExchangeOutbox.id).limit(1)).first()
        if head is None or head.next_attempt_at > now:
            return None
        claimed = session.execute(
            update(ExchangeOutbox)
            .where(
                ExchangeOutbox.id == head.id,
                ExchangeOutbox.attempts == head.attempts,
                ExchangeOutbox.delivered_at.is_(None),
                ExchangeOutbox.next_attempt_at <= now,
            )
            .values(attempts=head.attempts + 1, next_attempt_at=now + timedelta(seconds=lease))
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            return None
        return OutboxMessage(
            head.id, head.peer, head.kind, head.idempotency_key, dict(head.body), head.attempts + 1
        )


def settle(session: Session, message: OutboxMessage, **values: Any) -> bool:
    """Write the outcome of ``message``'s attempt unless a later attempt took it over."""
    result = session.execute(
        update(ExchangeOutbox)
        .where(
            ExchangeOutbox.id == message.id,
            ExchangeOutbox.attempts == message.attempt,
            ExchangeOutbox.delivered_at.is_(None),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1
