"""Locked accounts and paced addresses: seeing them, and an administrator's unlock.

An account is locked by failed logins for its name, an address paced by failed or refused
logins from it (``access.policy``, ``access.logins``). ``unlock(name)`` or
``unlock(address=...)`` clears the count at once (a row ``unlocked`` in ``login_attempts``
that the counts start after), audited as ``auth.unlock`` with the name or the address and
the failures cleared; unlocking what is not locked is refused (field ``name`` or
``address``), so the trail holds only unlocks that changed something.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from passerelle.access.base import AccessBase, lookup_name
from passerelle.access.credentials import digest
from passerelle.access.policy import locked_until
from passerelle.exc import InvalidInput
from passerelle.store.audit import Actor
from passerelle.store.users import UNLOCKED, UserRepository

__all__ = ["Lockout", "Lockouts"]


@dataclass(frozen=True, slots=True)
class Lockout:
    """A locked account (``name``) or a paced address (``address``): until when, and the
    failures that hold it."""

    until: datetime
    failures: int
    name: str | None = None
    address: str | None = None


class Lockouts(AccessBase):
    """Which accounts are locked and which addresses paced; unlocking them."""

    def locked_accounts(self) -> list[Lockout]:
        """The users whose name is locked now, by name."""
        now = self.clock()
        since = now - self.policy.failure_window
        found: list[Lockout] = []
        with self.database.read() as session:
            repo = UserRepository(session)
            for user in repo.users():
                failures = repo.user_failures(digest(user.name), since)
                until = locked_until(
                    failures,
                    now=now,
                    limit=self.policy.max_failures,
                    window=self.policy.failure_window,
                )
                if until is not None:
                    found.append(Lockout(until, len(failures), name=user.name))
        return found

    def paced_addresses(self) -> list[Lockout]:
        """The client addresses paced now (one login per ``address_delay``), by address."""
        now = self.clock()
        since = now - self.policy.failure_window
        found: list[Lockout] = []
        with self.database.read() as session:
            repo = UserRepository(session)
            for client in repo.recent_clients(since):
                failures = repo.client_failures(client, since)
                until = locked_until(
                    failures,
                    now=now,
                    limit=self.policy.address_max_failures,
                    window=self.policy.failure_window,
                )
                if until is not None:
                    found.append(Lockout(until, len(failures), address=client))
        return found

    def unlock(self, name: str | None = None, *, address: str | None = None, by: Actor) -> Lockout:
        """Lift the lock on the account ``name``, or the pace on ``address`` (one of them),
        at once; audited as ``auth.unlock``. Refused when it is not locked."""
        if (name is None) == (address is None):
            raise InvalidInput("name", "give a user name or an address to unlock (one of them)")
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            since = now - self.policy.failure_window
            repo.lock_logins()
            if name is not None:
                user = self._existing(repo, name)
                key, client, field = digest(lookup_name(name)), None, "name"
                failures = repo.user_failures(key, since)
                limit, shown = self.policy.max_failures, user.name
            else:
                client = (address or "").strip()[:64]
                if not client:
                    raise InvalidInput("address", "give the client address to unlock")
                key, field = "", "address"
                failures = repo.client_failures(client, since)
                limit, shown = self.policy.address_max_failures, client
            window = self.policy.failure_window
            until = locked_until(failures, now=now, limit=limit, window=window)
            if until is None:
                raise InvalidInput(field, f"{shown} is not locked")
            repo.add_attempt(key, client, UNLOCKED, now)
            self._record(
                session,
                by,
                "auth.unlock",
                now,
                query={field: shown},
                result={"failures_cleared": len(failures), "was_locked_until": until.isoformat()},
            )
        return Lockout(until, len(failures), name=shown if field == "name" else None,
                       address=client)  # fmt: skip
