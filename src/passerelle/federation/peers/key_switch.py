"""The serving node switches to its announced next key by itself, once it is safe.

``passerelle node rotate-key --takes-over-in-hours H`` announces the next key
to every enabled partner and keeps its take-over time beside it. The deliverer
of ``passerelle federation serve`` (and ``federation deliver``) asks a
:class:`KeySwitch` after each pass whether the switch is due: when the time has
come **and** every enabled partner has acknowledged the announcement (its
``key.announce`` delivered), the next key becomes the node's key, the
retirement of the old one is queued to the partners in the same step (proven by
the new key) and the switch is audited ``node.key_switched``. The node's
processes sign with the new key from their next message (``SigningKeyFile``):
no restart, no message refused.

While a partner has not acknowledged (it is down, or it refused the
announcement), the switch waits: a partner that does not hold the next key
would refuse everything signed with it. The wait is logged and audited once
(``node.key_switch_waiting``, naming the partners); a partner added since the
announcement is sent one. ``rotate-key --complete`` still switches at once, by
the operator's decision.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.peers.key_announce import queue_key_announce, queue_key_retire
from passerelle.federation.protocol.next_key import (
    announced_takeover,
    complete_rotation,
    load_next_key,
)
from passerelle.keyring import record_rotated_signing_key
from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.store.tables import ExchangeOutbox

__all__ = ["ROTATION_ACTOR", "KeySwitch", "SwitchOutcome"]

log = logging.getLogger("passerelle.federation")

ROTATION_ACTOR = Actor(name="system:key-rotation", kind="system", role="node")


@dataclass(frozen=True, slots=True)
class SwitchOutcome:
    """What one look at a due rotation found."""

    switched: bool
    key_id: str
    """The key now signing (switched) or waiting to."""
    previous_key_id: str | None = None
    waiting_for: tuple[str, ...] = ()
    """The partners that have not acknowledged the announcement yet."""


class KeySwitch:
    """Switches ``node`` to its next key when due; call it after each delivery pass."""

    def __init__(
        self,
        node: Node,
        keys_dir: Path,
        *,
        check_every_s: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.node = node
        self.keys_dir = keys_dir
        self.check_every_s = check_every_s
        self._monotonic = monotonic
        self._last_check = float("-inf")
        self._reported_wait: tuple[str, tuple[str, ...]] | None = None

    def __call__(self, *_: object) -> None:
        """The deliverer's ``on_pass`` hook: look at most every ``check_every_s`` seconds;
        a failure is logged and tried again later, never stops delivery."""
        now = self._monotonic()
        if now - self._last_check < self.check_every_s:
            return
        self._last_check = now
        try:
            self.check()
        except Exception:
            log.exception("federation.key_switch_failed")

    def check(self) -> SwitchOutcome | None:
        """Switch if due and safe; None when no rotation is due."""
        now = self.node.clock()
        takes_over_at = announced_takeover(self.keys_dir)
        following = load_next_key(self.keys_dir)
        if takes_over_at is None or following is None or now < takes_over_at:
            return None
        waiting = self._unacknowledged(following.key_id, takes_over_at, now)
        if waiting:
            self._report_wait(following.key_id, waiting, now)
            return SwitchOutcome(False, following.key_id, waiting_for=waiting)
        previous, current = complete_rotation(self.keys_dir)
        partners = self._enabled_partners()
        with self.node.database.write() as session:
            queued = queue_key_retire(session, previous, current, partners=partners, now=now)
            record_rotated_signing_key(session, self.keys_dir, at=now)
            self.node.audit.record(
                session,
                actor=ROTATION_ACTOR,
                action="node.key_switched",
                at=now,
                query={"key_id": current.key_id, "takes_over_at": takes_over_at.isoformat()},
                result={"previous_key_id": previous.key_id, "retirement_queued_to": queued},
            )
        log.info(
            "federation.key_switched: %s signs with %s (was %s); retirement queued to %d partners",
            current.state,
            current.key_id,
            previous.key_id,
            queued,
        )
        return SwitchOutcome(True, current.key_id, previous_key_id=previous.key_id)

    def _enabled_partners(self) -> list[str]:
        directory = PeerDirectory(self.node.database, self.node.audit, clock=self.node.clock)
        return [peer.state for peer in directory.list(enabled_only=True)]

    def _unacknowledged(
        self, key_id: str, takes_over_at: datetime, now: datetime
    ) -> tuple[str, ...]:
        """The enabled partners whose announcement of ``key_id`` is not delivered; a partner
        added since the announcement is queued one now."""
        partners = self._enabled_partners()
        idempotency_key = f"key-announce:{key_id}"
        with self.node.database.read() as session:
            rows = session.execute(
                select(ExchangeOutbox.peer, ExchangeOutbox.delivered_at).where(
                    ExchangeOutbox.idempotency_key == idempotency_key
                )
            ).all()
        delivered = {peer for peer, at in rows if at is not None}
        announced = {peer for peer, _ in rows}
        missing = [state for state in partners if state not in announced]
        if missing:
            following = load_next_key(self.keys_dir)
            assert following is not None
            with self.node.database.write() as session:
                queue_key_announce(
                    session, following, takes_over_at=takes_over_at, partners=missing, now=now
                )
        return tuple(sorted(state for state in partners if state not in delivered))

    def _report_wait(self, key_id: str, waiting: tuple[str, ...], now: datetime) -> None:
        if self._reported_wait == (key_id, waiting):
            return
        self._reported_wait = (key_id, waiting)
        log.warning(
            "federation.key_switch_waiting: key %s is due but %s have not acknowledged it",
            key_id,
            ", ".join(waiting),
        )
        with self.node.database.write() as session:
            self.node.audit.record(
                session,
                actor=ROTATION_ACTOR,
                action="node.key_switch_waiting",
                at=now,
                query={"key_id": key_id},
                result={"waiting_for": list(waiting)},
            )
