"""A circuit breaker per partner: stop knocking at a partner that keeps failing.

A partner that hangs costs its sender a whole timeout per attempt. After
``failures`` consecutive failed sends (unreachable, timeout, a reply that does
not verify, a refusal that may pass) the breaker *opens*: the partner's lane is
not started, nothing is claimed or sent, for ``pause`` seconds. Then it is
*half open*: the next pass sends one message (the partner's lane sends one at a
time). If it fails, the breaker opens again for twice as long, up to
``max_pause``; any answer (delivered, or refused for good: the partner is alive)
closes it.

==========  =========================  ====================================
state       ``allows(now)``            next
==========  =========================  ====================================
closed      yes                        ``failures`` failures in a row: open
open        no, until ``open_until``   ``open_until`` passed: half open
half open   yes (one probe)            failed: open, pause doubled (capped);
                                       answered: closed
==========  =========================  ====================================

The breaker is the deliverer's memory, not the database's: a restarted
deliverer starts closed (the messages' own backoff, ``next_attempt_at``, still
holds), and two deliverers keep one breaker each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["PartnerBreaker"]


@dataclass(slots=True)
class PartnerBreaker:
    """The breaker of one partner (``pause``, ``max_pause`` in seconds)."""

    failures: int
    pause: float
    max_pause: float
    consecutive: int = 0
    """Failed sends in a row."""
    opened: int = 0
    """Times opened since the partner last answered (the pause doubles each time)."""
    open_until: datetime | None = None

    def allows(self, now: datetime) -> bool:
        """Whether the partner's messages may be sent at ``now`` (closed or half open)."""
        return self.open_until is None or now >= self.open_until

    def failed(self, now: datetime) -> None:
        """A send failed at ``now``: open (again) once ``failures`` failed in a row."""
        self.consecutive += 1
        if self.consecutive < self.failures:
            return
        pause = min(self.max_pause, self.pause * 2.0 ** min(self.opened, 62))
        self.opened += 1
        self.open_until = now + timedelta(seconds=pause)

    def succeeded(self) -> None:
        """The partner answered: closed."""
        self.consecutive = self.opened = 0
        self.open_until = None
