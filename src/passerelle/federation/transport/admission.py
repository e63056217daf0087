"""How often a client without a certificate is heard: a token bucket per source address.

A connection that presents no TLS client certificate is refused
(``no_client_certificate``) and that refusal is audited: one signed, chained
audit record, a database write. Unlimited, anyone who can reach the port
writes the audit trail as fast as the listener answers (about 245 records a
second were measured). So, *before* any audit write, the listener takes a
token from the source address's bucket (``burst`` tokens, refilled at
``per_second``):

* with a token, the request goes on and its refusal is audited as before;
* without one, it is answered ``429 rate_limited`` at once (no body read, no
  database) and only *counted in memory*. Once per ``summary_interval_s``
  after the first such refusal, one audit record (action ``exchange.refused``,
  code ``rate_limited``) says how many were refused, from which addresses
  (the :data:`MAX_SOURCES_IN_SUMMARY` busiest) and over which period.

The evidence is kept, the writes are bounded: per address at most ``burst``
records at once and ``per_second`` after that, plus one summary per interval
for all addresses together. A registered partner (it presents a certificate)
never touches these buckets.

Limits: the buckets live in the listener process's memory (a node served by N
processes allows N times the rate); counts not yet summarised are lost if the
process stops before the interval ends; an attacker with many addresses gets
``burst`` audited refusals from each (:data:`MAX_TRACKED_SOURCES` bounds the
memory, not the writes).

>>> now = [0.0]
>>> gate = UnauthenticatedGate(UnauthenticatedLimit(per_second=1, burst=2), clock=lambda: now[0])
>>> [gate.admit("203.0.113.9") for _ in range(3)]
[True, True, False]
>>> gate.pending()
1
>>> now[0] = 1.0; gate.admit("203.0.113.9")
True
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from passerelle.exc import InvalidInput

__all__ = [
    "MAX_SOURCES_IN_SUMMARY",
    "MAX_TRACKED_SOURCES",
    "RefusalSummary",
    "UnauthenticatedGate",
    "UnauthenticatedLimit",
]

MAX_TRACKED_SOURCES = 10_000
"""Addresses tracked before the buckets already full are forgotten (they hold nothing)."""
MAX_SOURCES_IN_SUMMARY = 20
"""Addresses named in one summary record (the busiest); the total counts them all."""


@dataclass(frozen=True, slots=True)
class UnauthenticatedLimit:
    """``burst`` audited refusals at once per address, ``per_second`` after that; one summary
    record of the rest every ``summary_interval_s``."""

    per_second: float = 1.0
    burst: int = 10
    summary_interval_s: float = 60.0

    def __post_init__(self) -> None:
        if not self.per_second > 0.0:
            raise InvalidInput("per_second", "must be above 0")
        if self.burst < 1:
            raise InvalidInput("burst", "must be 1 or more")
        if not self.summary_interval_s > 0.0:
            raise InvalidInput("summary_interval_s", "must be above 0")


@dataclass(frozen=True, slots=True)
class RefusalSummary:
    """The requests refused without an audit record over one interval."""

    refused: int
    sources: dict[str, int]
    """The busiest addresses and how many each sent (at most :data:`MAX_SOURCES_IN_SUMMARY`)."""
    source_count: int
    since: datetime
    until: datetime


class UnauthenticatedGate:
    """The buckets of every source address, and the count of what they refused (thread-safe).

    ``on_summary`` is called (in a timer thread) with each interval's
    :class:`RefusalSummary`; ``wall_clock`` dates it.
    """

    def __init__(
        self,
        limit: UnauthenticatedLimit,
        *,
        on_summary: Callable[[RefusalSummary], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.limit = limit
        self._on_summary = on_summary
        self._clock = clock
        self._wall_clock = wall_clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._refused: Counter[str] = Counter()
        self._since: datetime | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def admit(self, source: str) -> bool:
        """Take a token of ``source``'s bucket: True, or False (counted for the summary)."""
        limit, now = self.limit, self._clock()
        with self._lock:
            tokens, since = self._buckets.get(source, (float(limit.burst), now))
            tokens = min(float(limit.burst), tokens + (now - since) * limit.per_second)
            if tokens >= 1.0:
                self._buckets[source] = (tokens - 1.0, now)
                if len(self._buckets) > MAX_TRACKED_SOURCES:
                    self._forget_full(now)
                return True
            self._buckets[source] = (tokens, now)
            self._count_refusal(source)
            return False

    def retry_after_s(self) -> int:
        """Seconds until an empty bucket holds a token again (at least 1)."""
        return max(1, int(1.0 / self.limit.per_second + 0.999))

    def pending(self) -> int:
        """Refusals counted and not summarised yet."""
        with self._lock:
            return sum(self._refused.values())

    def flush(self) -> RefusalSummary | None:
        """Summarise what was counted (and hand it to ``on_summary``); None if nothing was."""
        with self._lock:
            summary = self._take_summary()
        if summary is not None and self._on_summary is not None:
            self._on_summary(summary)
        return summary

    def close(self) -> None:
        """Stop the timer and summarise what is pending now."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        self.flush()

    def _count_refusal(self, source: str) -> None:
        if not self._refused:
            self._since = self._now()
        self._refused[source] += 1
        if self._timer is None and self._on_summary is not None:
            self._timer = threading.Timer(self.limit.summary_interval_s, self._on_timer)
            self._timer.name = "passerelle-refusal-summary"
            self._timer.daemon = True
            self._timer.start()

    def _on_timer(self) -> None:
        with self._lock:
            self._timer = None
        self.flush()

    def _take_summary(self) -> RefusalSummary | None:
        if not self._refused:
            return None
        counts, since = self._refused, self._since or self._now()
        self._refused, self._since = Counter(), None
        return RefusalSummary(
            refused=sum(counts.values()),
            sources=dict(counts.most_common(MAX_SOURCES_IN_SUMMARY)),
            source_count=len(counts),
            since=since,
            until=self._now(),
        )

    def _now(self) -> datetime:
        return self._wall_clock() if self._wall_clock is not None else datetime.now(UTC)

    def _forget_full(self, now: float) -> None:
        burst = float(self.limit.burst)
        for source, (tokens, since) in list(self._buckets.items()):
            if tokens + (now - since) * self.limit.per_second >= burst:
                del self._buckets[source]
