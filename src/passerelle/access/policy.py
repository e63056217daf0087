"""The access rules in numbers, and the login throttle's arithmetic (pure).

Logins are throttled twice, with separate limits:

* **per account** (the user name typed): ``max_failures`` (5) failed logins within
  ``failure_window`` (15 minutes) lock the account, its right password included, until
  they age out of the window or an administrator unlocks it;
* **per address** (the client's IP address): ``address_max_failures`` (20) failed or refused
  logins from one address in the same window *pace* it: from then on the address gets one
  login every ``address_delay`` (2 s), counted from the last one let through. A colleague
  behind the same NAT with the right password for an account that is not locked gets in
  (at worst after one retry ``address_delay`` later); a guesser at that address gets one try
  per delay whatever the number of connections it opens, and its wrong passwords keep
  counting against the address and the accounts it tries.

>>> from datetime import UTC, datetime, timedelta
>>> t0 = datetime(2026, 11, 25, 12, tzinfo=UTC)
>>> policy = AccessPolicy()
>>> fails = [t0 + timedelta(minutes=m) for m in range(5)]
>>> locked_until(fails, now=t0 + timedelta(minutes=5), limit=policy.max_failures,
...              window=policy.failure_window)
datetime.datetime(2026, 11, 25, 12, 15, tzinfo=datetime.timezone.utc)
>>> locked_until(fails[1:], now=t0 + timedelta(minutes=5), limit=5, window=timedelta(minutes=15))
>>> paced_until(t0, now=t0 + timedelta(seconds=1), policy=policy)
datetime.datetime(2026, 11, 25, 12, 0, 2, tzinfo=datetime.timezone.utc)
>>> paced_until(t0, now=t0 + timedelta(seconds=2), policy=policy) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from passerelle.exc import InvalidInput

__all__ = ["AccessPolicy", "locked_until", "paced_until"]


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """How many failures lock a login, how long sessions and tokens live."""

    max_failures: int = 5
    """Failed logins for one user name that lock it ..."""
    failure_window: timedelta = timedelta(minutes=15)
    """... when they fall within this window (the lock lifts as they age out of it); the
    address limit counts in the same window."""
    address_max_failures: int = 20
    """Failed or refused logins from one client address, within ``failure_window``, that
    pace the address (one login per ``address_delay``); never a lock of its accounts."""
    address_delay: timedelta = timedelta(seconds=2)
    """The time a paced address waits between two logins let through."""
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

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise InvalidInput("max_failures", "must be 1 or more")
        if self.address_max_failures < self.max_failures:
            raise InvalidInput("address_max_failures", "must be at least max_failures")
        if not timedelta(0) <= self.address_delay <= timedelta(minutes=1):
            raise InvalidInput("address_delay", "must be from 0 to 60 seconds")


def locked_until(
    failures: Sequence[datetime], *, now: datetime, limit: int, window: timedelta
) -> datetime | None:
    """When a lock on logins lifts, or ``None`` when logins are not locked at ``now``.

    Locked while ``limit`` or more of ``failures`` lie within ``window`` before ``now``;
    the lock lifts when the oldest of the last ``limit`` leaves the window.
    """
    recent = sorted(at for at in failures if at > now - window)
    if len(recent) < limit:
        return None
    return recent[-limit] + window


def paced_until(
    last_let_through: datetime | None, *, now: datetime, policy: AccessPolicy
) -> datetime | None:
    """For a paced address: when its next login is let through, or ``None`` when one is now
    (``address_delay`` after the last one let through from it)."""
    if last_let_through is None:
        return None
    due = last_let_through + policy.address_delay
    return due if now < due else None
