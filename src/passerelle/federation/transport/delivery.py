"""Delivering the outbox: each partner's messages in order, retried until the partner answers.

A pass (:meth:`Deliverer.deliver_due`) takes every partner with messages
waiting and, for each, the oldest message not yet delivered (the *head*):

* head not due yet (backing off, or claimed by another deliverer): the partner
  is skipped this pass. Later messages never overtake the head, so a
  withdrawal never reaches a partner before the issue it undoes.
* head due: it is *claimed* and sent, signed afresh (a new message id and
  timestamp each attempt: the partner's replay guard would refuse the same
  wire twice; the idempotency key in the body makes a resend harmless).

========================  ===================================================
outcome of a send         what happens to the message
========================  ===================================================
a verified reply          ``delivered_at``; audited ``exchange.deliver``;
                          the next message of that partner is sent
unreachable, timeout, a   retried: ``next_attempt_at`` = now + the delay of
reply that does not       :func:`retry_delay`, ``last_error`` says why; the
verify, a refusal that    partner's later messages wait behind it
may pass (``stale``,
``unknown_peer``,
``internal``, ...)
refused for good          *parked*: ``next_attempt_at`` = :data:`PARKED_UNTIL`,
(:data:`PERMANENT_        ``last_error`` = ``refused: code: detail``, audited
REFUSALS`)                ``exchange.deliver.refused`` for the analysts;
                          never retried (the same body would be refused the
                          same way); the partner's next message goes on
========================  ===================================================

Retries back off exponentially with "equal jitter": the n-th failure waits
between half and all of ``min(max_delay, base_delay * 2**(n-1))`` (2 s, 4 s,
8 s, ... capped at 5 min by default), so partners coming back are not hit by
every node at once.

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

Messages for a partner that is disabled or no longer registered are *held*:
left queued, sent when it is enabled again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.peers.directory import PeerDirectory, PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.transport.client import (
    BadReply,
    PeerRefused,
    PeerTimeout,
    PeerUnreachable,
    Reply,
)
from passerelle.federation.transport.inbound import AGREEMENT_REFUSALS
from passerelle.federation.transport.outbox import PARKED_UNTIL
from passerelle.node import Node
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.tables import ExchangeOutbox

__all__ = [
    "DELIVERER",
    "PARKED_UNTIL",
    "PERMANENT_REFUSALS",
    "Deliverer",
    "DeliveryPolicy",
    "DeliveryReport",
    "OutboxMessage",
    "Sender",
    "claim_head",
    "retry_delay",
    "waiting_peers",
]

log = logging.getLogger("passerelle.federation")


PERMANENT_REFUSALS = (
    frozenset({"invalid", "malformed", "not_allowed", "unknown_kind"}) | AGREEMENT_REFUSALS
)
"""Refusal codes that the same message would meet again: parked, not retried."""

DELIVERER = Actor(name="system:outbox", kind="system", role="node")
"""The audit actor of deliveries."""


class Sender(Protocol):
    """Sends one message and returns the partner's verified reply (``BlockingExchangeClient``)."""

    def send(
        self, peer: PeerView, kind: str, body: Mapping[str, JsonValue], *, timeout: float
    ) -> Reply: ...


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How often, how long and how patiently to deliver (seconds)."""

    interval: float = 1.0
    timeout: float = 10.0
    lease: float = 60.0
    base_delay: float = 2.0
    max_delay: float = 300.0
    batch: int = 100
    """At most this many messages per partner per pass (the others wait a pass)."""

    def __post_init__(self) -> None:
        for name in ("interval", "timeout", "lease", "base_delay", "max_delay"):
            if not getattr(self, name) > 0:
                raise InvalidInput(name, f"must be positive, not {getattr(self, name)}")
        if self.lease <= self.timeout:
            raise InvalidInput(
                "lease", f"must be longer than the send timeout ({self.timeout:g} s)"
            )
        if self.batch < 1:
            raise InvalidInput("batch", f"must be at least 1, not {self.batch}")


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A claimed message: what to send, to whom, and which attempt this is."""

    id: int
    peer: str
    kind: str
    idempotency_key: str
    body: dict[str, Any]
    attempt: int


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass did: messages delivered, to retry, refused for good; ``held``: partners
    (disabled or no longer registered) whose messages wait."""

    delivered: int = 0
    retrying: int = 0
    refused: int = 0
    held: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.delivered + other.delivered,
            self.retrying + other.retrying,
            self.refused + other.refused,
            self.held + other.held,
        )

    def __str__(self) -> str:
        return (
            f"delivered {self.delivered}, to retry {self.retrying}, "
            f"refused {self.refused}, held {self.held}"
        )


def retry_delay(attempts: int, *, base: float, cap: float, draw: float) -> float:
    """Seconds to wait after the ``attempts``-th failed send: exponential, capped, jittered.

    ``draw`` is a number in [0, 1) (``random.random()``): the delay is half the
    step plus ``draw`` times the other half ("equal jitter").

    >>> retry_delay(1, base=2, cap=300, draw=0.0), retry_delay(3, base=2, cap=300, draw=0.5)
    (1.0, 6.0)
    >>> retry_delay(30, base=2, cap=300, draw=0.999) <= 300
    True
    """
    step = min(cap, base * 2.0 ** min(max(attempts - 1, 0), 62))
    return step / 2 + step / 2 * draw


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


def _settle(session: Session, message: OutboxMessage, **values: Any) -> bool:
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


def _record(message: OutboxMessage) -> dict[str, Any]:
    return {
        "peer": message.peer,
        "kind": message.kind,
        "idempotency_key": message.idempotency_key,
        "outbox_id": message.id,
        "attempt": message.attempt,
    }


class Deliverer:
    """Sends the node's outbox to its partners (one pass, or a loop in a thread)."""

    def __init__(
        self,
        node: Node,
        sender: Sender,
        *,
        policy: DeliveryPolicy | None = None,
        directory: PeerDirectory | None = None,
        draw: Callable[[], float] = random.random,
    ) -> None:
        self.database: Database = node.database
        self.audit: AuditTrail = node.audit
        self.clock = node.clock
        self.sender = sender
        self.policy = policy or DeliveryPolicy()
        self.directory = directory or PeerDirectory(node.database, node.audit, clock=node.clock)
        self.draw = draw

    def deliver_due(self) -> DeliveryReport:
        """One pass: every partner's due messages, oldest first, until one must wait."""
        partners = {peer.state: peer for peer in self.directory.list(enabled_only=True)}
        report = DeliveryReport()
        for state in waiting_peers(self.database):
            peer = partners.get(state)
            if peer is None:
                report += DeliveryReport(held=1)
                continue
            report += self._deliver_to(peer)
        return report

    def _deliver_to(self, peer: PeerView) -> DeliveryReport:
        report = DeliveryReport()
        for _ in range(self.policy.batch):
            message = claim_head(
                self.database, peer.state, now=self.clock(), lease=self.policy.lease
            )
            if message is None:
                break
            outcome = self._attempt(peer, message)
            report += outcome
            if outcome.retrying:
                break
        return report

    def _attempt(self, peer: PeerView, message: OutboxMessage) -> DeliveryReport:
        try:
            reply = self.sender.send(peer, message.kind, message.body, timeout=self.policy.timeout)
        except PeerRefused as exc:
            if exc.code in PERMANENT_REFUSALS:
                self._park(message, exc)
                return DeliveryReport(refused=1)
            error = f"refused: {exc.code}: {exc.detail}"
        except PeerUnreachable as exc:
            error = f"{'timeout' if isinstance(exc, PeerTimeout) else 'unreachable'}: {exc.reason}"
        except BadReply as exc:
            error = f"bad reply: {exc.code}: {exc.reason}"
        except (InvalidInput, TimeoutError) as exc:
            error = f"not sent: {exc}"
        else:
            self._delivered(message, reply)
            return DeliveryReport(delivered=1)
        self._retry(message, error)
        return DeliveryReport(retrying=1)

    def _delivered(self, message: OutboxMessage, reply: Reply) -> None:
        now = self.clock()
        with self.database.write() as session:
            if not _settle(session, message, delivered_at=now, last_error=None):
                return  # a later attempt (another deliverer, after the lease) settles it
            self.audit.record(
                session,
                actor=DELIVERER,
                action="exchange.deliver",
                at=now,
                query=_record(message) | {"message_id": reply.in_reply_to},
                result={k: v for k, v in reply.body.items() if k in ("applied", "duplicate")},
            )
        log.info("exchange.delivered", extra={"peer": message.peer, "outbox_id": message.id})

    def _retry(self, message: OutboxMessage, error: str) -> None:
        policy = self.policy
        delay = retry_delay(
            message.attempt, base=policy.base_delay, cap=policy.max_delay, draw=self.draw()
        )
        now = self.clock()
        with self.database.write() as session:
            _settle(
                session,
                message,
                next_attempt_at=now + timedelta(seconds=delay),
                last_error=error[:2000],
            )
        log.info(
            "exchange.delivery.retry",
            extra={"peer": message.peer, "outbox_id": message.id, "delay": round(delay, 3)},
        )

    def _park(self, message: OutboxMessage, refusal: PeerRefused) -> None:
        now = self.clock()
        with self.database.write() as session:
            if not _settle(
                session,
                message,
                next_attempt_at=PARKED_UNTIL,
                last_error=f"refused: {refusal.code}: {refusal.detail}"[:2000],
            ):
                return
            self.audit.record(
                session,
                actor=DELIVERER,
                action="exchange.deliver.refused",
                at=now,
                query=_record(message),
                result={"code": refusal.code, "detail": refusal.detail},
            )
        log.warning("exchange.delivery.refused", extra={"peer": message.peer, "code": refusal.code})

    def run(
        self,
        stop: threading.Event,
        *,
        on_pass: Callable[[DeliveryReport], None] | None = None,
    ) -> None:
        """Deliver every ``policy.interval`` seconds until ``stop`` is set (a pass that fails
        is logged and the next one tries again); ``on_pass`` hears each pass's report."""
        while not stop.is_set():
            try:
                report = self.deliver_due()
            except Exception:
                log.exception("exchange.delivery.failed")
            else:
                if on_pass is not None:
                    on_pass(report)
            stop.wait(self.policy.interval)
