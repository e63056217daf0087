"""Remembering which message ids a node has received, to refuse replays.

A message is fresh while its timestamp is within ``max_skew`` of the
receiver's clock. One first received at time ``at`` carries a timestamp no
later than ``at + max_skew``, so it can stay fresh until ``at + 2 × max_skew``
at the latest; a guard must remember the pair that long, and may forget it
after: a replay then fails the freshness check instead.
"""

from __future__ import annotations

import heapq
import threading
from datetime import datetime, timedelta
from typing import Protocol

__all__ = ["DEFAULT_MAX_SKEW", "MemoryReplayGuard", "ReplayGuard"]

DEFAULT_MAX_SKEW = timedelta(seconds=120)
"""How far a message's timestamp may be from the receiver's clock, either way."""


class ReplayGuard(Protocol):
    """Tells whether a (sender, message id) pair is seen for the first time."""

    def first_sight(self, sender: str, message_id: str, at: datetime) -> bool:
        """Record the pair as received at ``at`` (receiver's clock); False if already held.

        Implementations keep a pair at least ``2 × max_skew`` after ``at`` and
        must be atomic: of two concurrent calls with one pair, one gets True.
        """
        ...


class MemoryReplayGuard:
    """A :class:`ReplayGuard` in this process's memory, forgetting pairs after the window.

    Enough for one process and for tests; nodes with several workers need a
    shared (database) guard, or a replay could reach another worker.
    """

    def __init__(self, *, max_skew: timedelta = DEFAULT_MAX_SKEW) -> None:
        if max_skew <= timedelta(0):
            raise ValueError("max_skew must be positive")
        self._window = 2 * max_skew
        self._seen: dict[tuple[str, str], datetime] = {}
        self._expiry: list[tuple[datetime, str, str]] = []
        self._lock = threading.Lock()

    def first_sight(self, sender: str, message_id: str, at: datetime) -> bool:
        with self._lock:
            self._forget_before(at - self._window)
            pair = (sender, message_id)
            if pair in self._seen:
                return False
            self._seen[pair] = at
            heapq.heappush(self._expiry, (at, sender, message_id))
            return True

    def __len__(self) -> int:
        return len(self._seen)

    def _forget_before(self, horizon: datetime) -> None:
        while self._expiry and self._expiry[0][0] < horizon:
            at, sender, message_id = heapq.heappop(self._expiry)
            if self._seen.get((sender, message_id)) == at:
                del self._seen[(sender, message_id)]
