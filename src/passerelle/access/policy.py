"""The access rules in numbers, and the login throttle's arithmetic (pure).

>>> from datetime import UTC, datetime, timedelta
>>> t0 = datetime(2026, 11, 25, 12, tzinfo=UTC)
>>> fails = [t0 + timedelta(minutes=m) for m in range(5)]
>>> locked_until(fails, now=t0 + timedelta(minutes=5), policy=AccessPolicy())
datetime.datetime(2026, 11, 25, 12, 15, tzinfo=datetime.timezone.utc)
>>> locked_until(fails[1:], now=t0 + timedelta(minutes=5), policy=AccessPolicy()) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["AccessPolicy", "locked_until"]


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """How many failures lock a login, how long sessions and tokens live."""

    max_failures: int = 5
    """Failed logins for one user name, or from one client address, that lock it ..."""
    failure_window: timedelta = timedelta(minutes=15)
    """... when they fall within this window (the lock lifts as they age out of it)."""
    session_idle: timedelta = timedelta(minutes=30)
    """A web session unused this long is over."""
    session_lifetime: timedelta = timedelta(hours=12)
    """A web session is over this long after login, however busy (one shift)."""
    session_touch_every: timedelta = timedelta(minutes=1)
    """A session's last use is written at most this often (not on every request)."""
    token_days: int = 90
    """An API token's default lifetime."""
    max_token_days: int = 366
    """The longest lifetime a token may be given."""


def locked_until(
    failures: Sequence[datetime], *, now: datetime, policy: AccessPolicy
) -> datetime | None:
    """When a lock on logins lifts, or ``None`` when logins are not locked at ``now``.

    Locked while ``max_failures`` or more of ``failures`` lie within
    ``failure_window`` before ``now``; the lock lifts when the oldest of the
    last ``max_failures`` leaves the window.
    """
    recent = sorted(at for at in failures if at > now - policy.failure_window)
    if len(recent) < policy.max_failures:
        return None
    return recent[-policy.max_failures] + policy.failure_window
