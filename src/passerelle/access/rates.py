"""How often one user may send photos: a token bucket per user.

A photo-bearing request (an inspection with a document or live photo) costs the
node up to a second of a face worker's CPU (``biometrics.workers``), where a
request without one costs milliseconds. Each user has a bucket of ``burst``
tokens that refills at ``per_minute`` a minute; a photo request takes one, and
with the bucket empty it is refused (:class:`PhotoRateExceeded`, answered 429
with ``Retry-After``) until a token is back. An officer at a booth sends one
every half-minute or so and never meets the limit; a script sending photos as
fast as it can is held to ``per_minute``.

Two keepers of the buckets, one rule: :class:`NodePhotoRate` keeps them in the
node's database (``photo_buckets``, one atomic upsert per photo request,
``passerelle.store.photo_buckets``), so that every host of a node takes from the
same bucket and N hosts allow the node's rate, not N times it: what a served node
uses. :class:`PhotoRate` keeps them in memory (one process), for a node without
a database behind its services and as the measure of what the shared one costs
(``bench/photo_rate.py``).

>>> now = [0.0]
>>> rate = PhotoRate(RateLimit(per_minute=6, burst=2), clock=lambda: now[0])
>>> rate.take("officer.one"); rate.take("officer.one")
>>> try:
...     rate.take("officer.one")
... except PhotoRateExceeded as refused:
...     print(refused.retry_after_s, "|", refused.reason)
10 | too many photos: at most 6 a minute (2 at once); try again in 10 s
>>> now[0] = 10.0; rate.take("officer.one")
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from passerelle.access.errors import AccessDenied
from passerelle.exc import InvalidInput
from passerelle.store.db import Database
from passerelle.store.photo_buckets import take_photo_token

__all__ = ["NodePhotoRate", "PhotoGate", "PhotoRate", "PhotoRateExceeded", "RateLimit"]

_MAX_TRACKED = 10_000
"""Users tracked before the buckets already full are forgotten (they hold nothing)."""


class PhotoRateExceeded(AccessDenied):
    """The user sent photos faster than the node takes them; ``retry_after_s`` says when
    the next one is taken."""

    def __init__(self, reason: str, retry_after_s: int) -> None:
        super().__init__(reason)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``per_minute`` requests a minute on average, ``burst`` of them at once."""

    per_minute: float = 20.0
    burst: int = 10

    def __post_init__(self) -> None:
        if not self.per_minute > 0.0:
            raise InvalidInput("per_minute", "must be above 0")
        if self.burst < 1:
            raise InvalidInput("burst", "must be 1 or more")


class PhotoGate(Protocol):
    """Where a photo request takes its user's token (:class:`PhotoRate`,
    :class:`NodePhotoRate`)."""

    limit: RateLimit

    def take(self, user: str) -> None:
        """Take one of ``user``'s tokens, or refuse with :class:`PhotoRateExceeded`."""


def _refused(limit: RateLimit, tokens: float) -> PhotoRateExceeded:
    wait = math.ceil((1.0 - tokens) / (limit.per_minute / 60.0))
    return PhotoRateExceeded(
        f"too many photos: at most {limit.per_minute:g} a minute "
        f"({limit.burst} at once); try again in {wait} s",
        wait,
    )


class NodePhotoRate:
    """The photo-request buckets of every user, kept in the node's database: every host
    takes from one bucket per user (one upsert, atomic by itself), timed by
    the database's clock, which every host shares."""

    def __init__(self, database: Database, limit: RateLimit) -> None:
        self.limit = limit
        self._database = database

    def take(self, user: str) -> None:
        """Take one of ``user``'s tokens, or refuse with :class:`PhotoRateExceeded`."""
        limit = self.limit
        per_second = limit.per_minute / 60.0
        taken = take_photo_token(self._database, user, per_second=per_second, burst=limit.burst)
        if not taken.granted:
            raise _refused(limit, taken.tokens)


class PhotoRate:
    """The photo-request buckets of every user (thread-safe; in memory: each server process
    keeps its own, so a node served by N processes takes up to N times the rate; a served
    node uses :class:`NodePhotoRate`)."""

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, user: str) -> None:
        """Take one of ``user``'s tokens, or refuse with :class:`PhotoRateExceeded`."""
        limit, now = self.limit, self._clock()
        per_second = limit.per_minute / 60.0
        with self._lock:
            tokens, since = self._buckets.get(user, (float(limit.burst), now))
            tokens = min(float(limit.burst), tokens + (now - since) * per_second)
            if tokens < 1.0:
                self._buckets[user] = (tokens, now)
                raise _refused(limit, tokens)
            self._buckets[user] = (tokens - 1.0, now)
            if len(self._buckets) > _MAX_TRACKED:
                self._forget_full(now, per_second)

    def _forget_full(self, now: float, per_second: float) -> None:
        burst = float(self.limit.burst)
        for user, (tokens, since) in list(self._buckets.items()):
            if tokens + (now - since) * per_second >= burst:
                del self._buckets[user]
