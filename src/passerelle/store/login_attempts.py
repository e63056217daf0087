"""Login attempts: the rows the login throttle counts (per name typed, per client address).

A mixin of :class:`~passerelle.store.users.UserRepository`, which holds the SQLAlchemy
session; no function here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from passerelle.store.tables import LoginAttempt

__all__ = ["FAILED", "PACED", "SUCCEEDED", "THROTTLED", "UNLOCKED", "LoginAttemptRows"]

FAILED, SUCCEEDED, THROTTLED = "failed", "succeeded", "throttled"
PACED, UNLOCKED = "paced", "unlocked"
"""A login refused for coming too soon from a paced address; an administrator's unlock (of
a name: ``client`` empty; of an address: ``user_key`` empty)."""
_FROM_ADDRESS = (FAILED, THROTTLED, PACED)
"""What counts against an address: failures, and logins refused for a lock or the pace."""
_LOGIN_LOCK_KEY = 0x7061_7373_6C6F  # "passlo": serialises the throttle's count-and-insert


class LoginAttemptRows:
    """Reads and writes login attempts in the repository's session."""

    session: Session

    def lock_logins(self) -> None:
        """Serialise the throttle's count-then-insert across API workers (PostgreSQL).

        SQLite write transactions are serialised already (``BEGIN IMMEDIATE``).
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOGIN_LOCK_KEY}
            )

    def add_attempt(self, user_key: str, client: str | None, outcome: str, at: datetime) -> int:
        row = LoginAttempt(at=at, user_key=user_key, client=client, outcome=outcome)
        self.session.add(row)
        self.session.flush()
        return row.id

    def set_attempt_outcome(self, attempt_id: int, outcome: str) -> None:
        self.session.execute(
            update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(outcome=outcome)
        )

    def user_failures(self, user_key: str, since: datetime) -> list[datetime]:
        """When logins for this name failed after ``since`` and after its last success or
        unlock."""
        cleared = self.session.scalar(
            select(func.max(LoginAttempt.id)).where(
                LoginAttempt.user_key == user_key,
                LoginAttempt.outcome.in_((SUCCEEDED, UNLOCKED)),
                LoginAttempt.at > since,
            )
        )
        return list(
            self.session.scalars(
                select(LoginAttempt.at)
                .where(
                    LoginAttempt.user_key == user_key,
                    LoginAttempt.outcome == FAILED,
                    LoginAttempt.at > since,
                    LoginAttempt.id > (cleared or 0),
                )
                .order_by(LoginAttempt.at)
            )
        )

    def client_failures(self, client: str, since: datetime) -> list[datetime]:
        """When logins from this client address failed, or were refused for a lock or the
        pace, after ``since`` and after the address's last unlock (any name)."""
        cleared = self.session.scalar(
            select(func.max(LoginAttempt.id)).where(
                LoginAttempt.client == client,
                LoginAttempt.user_key == "",
                LoginAttempt.outcome == UNLOCKED,
                LoginAttempt.at > since,
            )
        )
        return list(
            self.session.scalars(
                select(LoginAttempt.at)
                .where(
                    LoginAttempt.client == client,
                    LoginAttempt.outcome.in_(_FROM_ADDRESS),
                    LoginAttempt.at > since,
                    LoginAttempt.id > (cleared or 0),
                )
                .order_by(LoginAttempt.at)
            )
        )

    def client_last_let_through(self, client: str, since: datetime) -> datetime | None:
        """When the last login from this address that was checked (not refused) was made."""
        found: datetime | None = self.session.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.client == client,
                LoginAttempt.outcome.in_((FAILED, SUCCEEDED)),
                LoginAttempt.at > since,
            )
        )
        return found

    def recent_clients(self, since: datetime) -> list[str]:
        """The client addresses logins came from after ``since``."""
        return list(
            self.session.scalars(
                select(LoginAttempt.client)
                .where(LoginAttempt.client.is_not(None), LoginAttempt.at > since)
                .distinct()
                .order_by(LoginAttempt.client)
            )
        )
