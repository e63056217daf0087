"""Delivering the outbox: each partner's messages in order, retried until the partner answers.

Partners are served in parallel *lanes*, one per partner with messages
waiting, at most ``DeliveryPolicy.lanes`` at once (threads of a pool; the
sends themselves share the client's event loop). A lane sends its partner's
messages one after the other, so a hung or slow partner holds back only its
own queue: the others' alerts leave while it times out. A pass
(:meth:`Deliverer.deliver_due`) starts a lane for every partner due and waits
for them all; the loop (:meth:`Deliverer.run`) starts, every ``interval``, a
lane for each partner due that has none running, without waiting for the
lanes already under way. A lane takes the oldest message not yet delivered
(the *head*):

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

Claiming (:mod:`.claims`) keeps two deliverers off the same message: each message is
sent by one deliverer at a time, and a partner's later messages never overtake its head.

Messages for a partner that is disabled or no longer registered are *held*:
left queued, sent when it is enabled again. A partner whose sends keep failing
is *paused* by its circuit breaker (:mod:`.breaker`): no lane, no claim, no
connection attempt until the breaker lets one probe through.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from passerelle.exc import InvalidInput
from passerelle.federation.peers.directory import PeerDirectory, PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.transport.breaker import PartnerBreaker
from passerelle.federation.transport.claims import (
    PARKED_UNTIL,
    OutboxMessage,
    claim_head,
    settle,
    waiting_peers,
)
from passerelle.federation.transport.client import (
    BadReply,
    PeerRefused,
    PeerTimeout,
    PeerUnreachable,
    Reply,
)
from passerelle.federation.transport.inbound import AGREEMENT_REFUSALS
from passerelle.node import Node
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database

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
    lanes: int = 16
    """At most this many partners served at once (threads)."""
    breaker_failures: int = 3
    """Failed sends in a row that open a partner's breaker."""
    breaker_pause: float = 5.0
    breaker_max_pause: float = 300.0
    """The breaker's first pause, doubled each time a probe fails, up to this (seconds)."""

    def __post_init__(self) -> None:
        positive = ("interval", "timeout", "lease", "base_delay", "max_delay", "breaker_pause")
        for name in (*positive, "breaker_max_pause"):
            if not getattr(self, name) > 0:
                raise InvalidInput(name, f"must be positive, not {getattr(self, name)}")
        if self.lease <= self.timeout:
            raise InvalidInput(
                "lease", f"must be longer than the send timeout ({self.timeout:g} s)"
            )
        for name in ("batch", "lanes", "breaker_failures"):
            if getattr(self, name) < 1:
                raise InvalidInput(name, f"must be at least 1, not {getattr(self, name)}")


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass did: messages delivered, to retry, refused for good; ``held``: partners
    (disabled or no longer registered) whose messages wait; ``paused``: partners whose
    breaker is open."""

    delivered: int = 0
    retrying: int = 0
    refused: int = 0
    held: int = 0
    paused: int = 0

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.delivered + other.delivered,
            self.retrying + other.retrying,
            self.refused + other.refused,
            self.held + other.held,
            self.paused + other.paused,
        )

    def __str__(self) -> str:
        return (
            f"delivered {self.delivered}, to retry {self.retrying}, "
            f"refused {self.refused}, held {self.held}, paused {self.paused}"
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
        self._breakers: dict[str, PartnerBreaker] = {}
        self._breakers_lock = threading.Lock()

    def breaker(self, state: str) -> PartnerBreaker:
        """``state``'s circuit breaker (closed until its sends fail)."""
        policy = self.policy
        with self._breakers_lock:
            return self._breakers.setdefault(
                state,
                PartnerBreaker(
                    policy.breaker_failures, policy.breaker_pause, policy.breaker_max_pause
                ),
            )

    def deliver_due(self) -> DeliveryReport:
        """One pass: every partner's due messages, oldest first, until one must wait; the
        partners in parallel lanes (at most ``policy.lanes`` at once)."""
        lanes, report = self._due_lanes(busy=())
        if not lanes:
            return report
        workers = min(len(lanes), self.policy.lanes)
        with ThreadPoolExecutor(workers, thread_name_prefix="passerelle-lane") as pool:
            futures = [pool.submit(self._deliver_to, peer) for peer in lanes]
            for future in futures:
                report += future.result()
        return report

    def _due_lanes(self, *, busy: Collection[str]) -> tuple[list[PeerView], DeliveryReport]:
        """The partners to start a lane for (messages waiting, enabled, breaker letting
        through, none running: not in ``busy``), and the report of those held or paused."""
        partners = {peer.state: peer for peer in self.directory.list(enabled_only=True)}
        now = self.clock()
        lanes: list[PeerView] = []
        report = DeliveryReport()
        for state in waiting_peers(self.database):
            peer = partners.get(state)
            if state in busy:
                continue
            if peer is None:
                report += DeliveryReport(held=1)
            elif not self.breaker(state).allows(now):
                report += DeliveryReport(paused=1)
            else:
                lanes.append(peer)
        return lanes, report

    def _deliver_to(self, peer: PeerView, stop: threading.Event | None = None) -> DeliveryReport:
        """``peer``'s lane: its due messages in order, until one must wait (or ``stop``)."""
        report = DeliveryReport()
        breaker = self.breaker(peer.state)
        for _ in range(self.policy.batch):
            if stop is not None and stop.is_set():
                break
            message = claim_head(
                self.database, peer.state, now=self.clock(), lease=self.policy.lease
            )
            if message is None:
                break
            outcome = self._attempt(peer, message)
            report += outcome
            if outcome.retrying:
                breaker.failed(self.clock())
                if breaker.open_until is not None:
                    log.warning(
                        "exchange.delivery.paused",
                        extra={"peer": peer.state, "until": breaker.open_until.isoformat()},
                    )
                break
            breaker.succeeded()
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
            if not settle(session, message, delivered_at=now, last_error=None):
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
            settle(
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
            if not settle(
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
        """Every ``policy.interval`` seconds until ``stop`` is set, start a lane for each
        partner due that has none running (a lane or a pass that fails is logged and the next
        one tries again); ``on_pass`` hears what the lanes finished since the last tick did,
        and the partners held or paused. On ``stop``, running lanes end after their send."""
        running: dict[str, Future[DeliveryReport]] = {}
        pool = ThreadPoolExecutor(self.policy.lanes, thread_name_prefix="passerelle-lane")
        try:
            while not stop.is_set():
                report = DeliveryReport()
                for state, lane in list(running.items()):
                    if lane.done():
                        del running[state]
                        report += _lane_report(lane)
                try:
                    lanes, waiting = self._due_lanes(busy=running)
                except Exception:
                    log.exception("exchange.delivery.failed")
                    lanes, waiting = [], DeliveryReport()
                for peer in lanes:
                    running[peer.state] = pool.submit(self._deliver_to, peer, stop)
                if on_pass is not None:
                    on_pass(report + waiting)
                stop.wait(self.policy.interval)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _lane_report(lane: Future[DeliveryReport]) -> DeliveryReport:
    try:
        return lane.result()
    except Exception:
        log.exception("exchange.delivery.failed")
        return DeliveryReport()
