"""Logins, web sessions and bearer tokens: proving who is asking.

A login (``authenticate``, or ``login`` which also opens a web session):

1. refuses at once (``LoginThrottled``) when 5 logins for that user name failed in the
   last 15 minutes (the account is locked: kind ``account``), or when 20 logins from that
   client address failed or were refused in that window and the last login let through
   from it was less than 2 s ago (the address is paced: kind ``address``); see
   ``access.policy``. The counts are kept in the database, so the limits hold across API
   workers; a success clears the name's count, not the address's; an administrator's
   ``unlock`` (``access.lockouts``) clears either;
2. records the attempt as failed *before* checking the password, so parallel
   guesses count too, and commits;
3. verifies the password with argon2id, or a placeholder hash for an unknown
   name so that both take the same time, and answers both with the same
   ``AuthenticationFailed``;
4. on success marks the attempt succeeded, rehashes the password if the node's
   parameters have changed, opens the web session if asked, and returns the
   user as an ``Actor``.

Logins and logouts are audited (``auth.login``, ``auth.logout``), and so is the
failure that locks a name or paces an address (``auth.lockout``, once); each refused
attempt is in ``login_attempts`` only. A web session ends on logout, after 30
minutes unused, 12 hours after login, or when its user is disabled or changes
password; its forms carry its CSRF token (``SessionView.check_csrf``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from passerelle.access.base import ACCESS_CONTROL, AccessBase, actor_of, lookup_name
from passerelle.access.credentials import (
    digest,
    is_token_shaped,
    new_csrf_token,
    new_session_id,
    same_secret,
)
from passerelle.access.errors import (
    ACCOUNT_DISABLED,
    AuthenticationFailed,
    CsrfRejected,
    LoginThrottled,
)
from passerelle.access.policy import locked_until, paced_until
from passerelle.access.roles import Role
from passerelle.store.audit import Actor
from passerelle.store.users import (
    FAILED,
    PACED,
    SUCCEEDED,
    THROTTLED,
    LoginRecord,
    UserRepository,
)

__all__ = ["Logins", "NewSession", "SessionView"]


@dataclass(frozen=True, slots=True)
class NewSession:
    """A web session opened by a login: the cookie value and the CSRF token for its forms."""

    session_id: str = field(repr=False)
    csrf_token: str = field(repr=False)
    actor: Actor
    expires_at: datetime
    language: str | None = None
    """The language the user chose for the pages (``None``: not chosen yet)."""


@dataclass(frozen=True, slots=True)
class SessionView:
    """A live web session: whose it is, its CSRF token and when it ends."""

    actor: Actor
    csrf_token: str = field(repr=False)
    created_at: datetime
    expires_at: datetime
    """The end of its absolute lifetime."""
    idle_expires_at: datetime
    """When it ends if not used before (never after ``expires_at``)."""
    language: str | None = None
    """The language the user reads the pages in (``None``: not chosen yet)."""

    def check_csrf(self, presented: str | None) -> None:
        """Return when ``presented`` is this session's CSRF token; ``CsrfRejected`` if not."""
        if not presented or not same_secret(presented, self.csrf_token):
            raise CsrfRejected


class Logins(AccessBase):
    """Who is asking: passwords (throttled), web sessions and bearer tokens."""

    def verify_token(self, token: str) -> Actor:
        """The user a bearer token stands for; ``AuthenticationFailed`` saying why if none."""
        if not is_token_shaped(token):
            raise AuthenticationFailed("the bearer token is not valid")
        with self.database.lookup() as session:
            view = UserRepository(session).token_by_hash(digest(token))
        if view is None:
            raise AuthenticationFailed("the bearer token is not valid")
        state = view.state(self.clock())
        if state != "active":
            raise AuthenticationFailed(
                f"the bearer token has {'been revoked' if state == 'revoked' else 'expired'}"
            )
        if view.user_disabled:
            raise AuthenticationFailed("the bearer token's user is disabled")
        return Actor(view.user, "peer" if view.role == Role.PARTNER else "user", view.role)

    def authenticate(self, name: str, password: str, *, client: str | None = None) -> Actor:
        """Check a user name and password (throttled, audited); the user as an ``Actor``."""
        actor, _ = self._login(name, password, client=client, open_session=False)
        return actor

    def login(self, name: str, password: str, *, client: str | None = None) -> NewSession:
        """``authenticate``, then open a web session for the user."""
        _, opened = self._login(name, password, client=client, open_session=True)
        assert opened is not None
        return opened

    def _account_lock(self, by_name: list[datetime], now: datetime) -> LoginThrottled | None:
        until = locked_until(
            by_name, now=now, limit=self.policy.max_failures, window=self.policy.failure_window
        )
        if until is None:
            return None
        return LoginThrottled(
            "too many failed logins for this user name: try again after "
            + until.isoformat(timespec="seconds"),
            until,
            "account",
        )

    def _address_pace(
        self, repo: UserRepository, client: str | None, since: datetime, now: datetime
    ) -> tuple[LoginThrottled | None, int]:
        """The refusal of a login from a paced address that comes too soon (``None``: let it
        through), and the address's count of failures so far."""
        if client is None:
            return None, 0
        by_client = repo.client_failures(client, since)
        paced = locked_until(
            by_client,
            now=now,
            limit=self.policy.address_max_failures,
            window=self.policy.failure_window,
        )
        if paced is None:
            return None, len(by_client)
        due = paced_until(repo.client_last_let_through(client, since), now=now, policy=self.policy)
        if due is None:
            return None, len(by_client)
        delay = self.policy.address_delay.total_seconds()
        return (
            LoginThrottled(
                f"too many failed logins from this address: one login every {delay:g} s "
                f"from it; try again after {due.isoformat(timespec='milliseconds')}",
                due,
                "address",
            ),
            len(by_client),
        )

    def _login(
        self, name: str, password: str, *, client: str | None, open_session: bool
    ) -> tuple[Actor, NewSession | None]:
        key, lookup = digest(lookup_name(name)), lookup_name(name)
        client = (client or "").strip()[:64] or None
        attempt = 0
        record: LoginRecord | None = None
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            since = now - self.policy.failure_window
            repo.lock_logins()
            by_name = repo.user_failures(key, since)
            refusal, by_client = self._address_pace(repo, client, since, now)
            outcome = PACED
            if refusal is None:
                refusal, outcome = self._account_lock(by_name, now), THROTTLED
            if refusal is not None:
                repo.add_attempt(key, client, outcome, now)
            else:
                attempt = repo.add_attempt(key, client, FAILED, now)
                record = repo.login_record(lookup) if len(lookup) <= 64 else None
        if refusal is not None:
            if client is not None:
                self._note_lockout(key, client, 0, by_client + 1)
            raise refusal
        if record is None:
            self.hashing.verify_nothing(password)
        elif self.hashing.verify(record.password_hash, password):
            if record.user.enabled:
                return self._logged_in(record, password, attempt, client, open_session)
            self._note_lockout(key, client, len(by_name) + 1, by_client + 1)
            raise AuthenticationFailed(ACCOUNT_DISABLED)
        self._note_lockout(key, client, len(by_name) + 1, by_client + 1)
        raise AuthenticationFailed

    def _note_lockout(self, key: str, client: str | None, by_name: int, by_client: int) -> None:
        """Audit the failure that locks a name or paces an address (once, not every refusal)."""
        locked = [
            what
            for what, count, limit in (
                ("user name", by_name, self.policy.max_failures),
                ("client address", by_client if client else 0, self.policy.address_max_failures),
            )
            if count == limit
        ]
        if not locked:
            return
        with self.database.write() as session:
            now = self.clock()
            self._record(
                session,
                ACCESS_CONTROL,
                "auth.lockout",
                now,
                query={"user_key": key, "client": client},
                result={
                    "locked": locked,
                    "until": (now + self.policy.failure_window).isoformat(timespec="seconds"),
                },
            )

    def _logged_in(
        self,
        record: LoginRecord,
        password: str,
        attempt: int,
        client: str | None,
        open_session: bool,
    ) -> tuple[Actor, NewSession | None]:
        rehashed = (
            self.hashing.hash(password) if self.hashing.needs_rehash(record.password_hash) else None
        )
        actor = actor_of(record.user)
        opened: NewSession | None = None
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            repo.set_attempt_outcome(attempt, SUCCEEDED)
            if rehashed is not None:
                repo.set_password_hash(record.user.id, rehashed, changed_at=None)
            if open_session:
                session_id, csrf = new_session_id(), new_csrf_token()
                expires = now + self.policy.session_lifetime
                repo.add_session(
                    record.user.id,
                    digest(session_id),
                    csrf,
                    client=client,
                    now=now,
                    expires_at=expires,
                )
                opened = NewSession(session_id, csrf, actor, expires, record.user.language)
            self._record(
                session,
                actor,
                "auth.login",
                now,
                query={"client": client},
                result={"session": open_session, "rehashed": rehashed is not None},
            )
        return actor, opened

    def session(self, session_id: str) -> SessionView:
        """The live web session with this id (its use noted); ``AuthenticationFailed`` if over."""
        with self.database.lookup() as session:
            record = UserRepository(session).session_by_hash(digest(session_id))
        now = self.clock()
        if record is None:
            raise AuthenticationFailed("the session is not valid: log in")
        if record.revoked_at is not None:
            raise AuthenticationFailed("the session has ended: log in again")
        if now >= record.expires_at:
            raise AuthenticationFailed("the session has expired: log in again")
        if now >= record.last_seen_at + self.policy.session_idle:
            raise AuthenticationFailed("the session was idle too long: log in again")
        if not record.user.enabled:
            raise AuthenticationFailed(ACCOUNT_DISABLED)
        last_seen = record.last_seen_at
        if now - last_seen >= self.policy.session_touch_every:
            with self.database.write() as session:
                UserRepository(session).touch_session(record.id, now)
            last_seen = now
        return SessionView(
            actor=actor_of(record.user),
            csrf_token=record.csrf_token,
            created_at=record.created_at,
            expires_at=record.expires_at,
            idle_expires_at=min(last_seen + self.policy.session_idle, record.expires_at),
            language=record.user.language,
        )

    def logout(self, session_id: str) -> bool:
        """End a web session; ``False`` when it was not open (unknown or already ended)."""
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            record = repo.session_by_hash(digest(session_id))
            if record is None or record.revoked_at is not None:
                return False
            repo.revoke_session(record.id, now)
            self._record(session, actor_of(record.user), "auth.logout", now)
        return True

    def purge(self, *, older_than: timedelta = timedelta(days=30)) -> tuple[int, int]:
        """Delete login attempts and ended sessions older than ``older_than``; the counts."""
        with self.database.write() as session:
            return UserRepository(session).purge(self.clock() - older_than)
