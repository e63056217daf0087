"""Messages to partners, written in the transaction that made them (the outbox pattern).

Whatever must reach a partner even if its link is down (an alert issued or
withdrawn, a follow-up answer) is not sent from the request that made it: it
is written here, in the same transaction as the change, and delivered later
with retries (``federation.transport.delivery``). A change that rolls back leaves no
message; a message written is delivered even if the node stops in between.

Each message carries an idempotency key, unique per partner: enqueueing the
same key twice stores one message, and the receiving node applies a key once
(``exchange_inbox``), so a message delivered twice (a reply lost after it was
applied) changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.store.tables import ExchangeOutbox

__all__ = ["MAX_KEY", "PARKED_UNTIL", "enqueue"]

MAX_KEY = 64

PARKED_UNTIL = datetime(9999, 12, 31, tzinfo=UTC)
"""``next_attempt_at`` of a parked message (refused for good, or held back): never due again
until an administrator requeues it (``outbox_status.requeue_parked``)."""


def enqueue(
    session: Session,
    *,
    peer: str,
    kind: str,
    body: Mapping[str, Any],
    idempotency_key: str,
    now: datetime,
) -> bool:
    """Queue ``body`` (``kind``) for ``peer`` in ``session``'s transaction; False if the key
    was queued for that partner before (nothing written).

    The body sent is ``body`` with ``idempotency_key`` added.
    """
    if not idempotency_key or len(idempotency_key) > MAX_KEY:
        raise InvalidInput("idempotency_key", f"must be 1 to {MAX_KEY} characters")
    present = session.scalar(
        select(ExchangeOutbox.id).where(
            ExchangeOutbox.peer == peer, ExchangeOutbox.idempotency_key == idempotency_key
        )
    )
    if present is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                ExchangeOutbox(
                    peer=peer,
                    kind=kind,
                    idempotency_key=idempotency_key,
                    body={**body, "idempotency_key": idempotency_key},
                    created_at=now,
                    attempts=0,
                    next_attempt_at=now,
                    delivered_at=None,
                    last_error=None,
                )
            )
    except IntegrityError:  # a concurrent enqueue of the same key
        return False
    return True
