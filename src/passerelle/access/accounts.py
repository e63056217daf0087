"""Accounts and API tokens: creating, changing, disabling; issuing and revoking.

Every change is in the audit chain in the same transaction as the change
(``user.add``, ``user.role``, ``user.passwd``, ``user.disable``, ``user.enable``,
``user.workplace``, ``user.language``, ``token.issue``, ``token.revoke``), with the user's
name but never a password or a token. Disabling a user revokes their web sessions and tokens; a new
password ends their web sessions (their tokens stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from passerelle.access.base import AccessBase, lookup_name
from passerelle.access.credentials import digest, new_token
from passerelle.access.errors import UnknownToken
from passerelle.access.passwords import check_password
from passerelle.access.roles import parse_role
from passerelle.exc import InvalidInput
from passerelle.i18n import N_, parse_language
from passerelle.i18n.wording import worded
from passerelle.records.workplaces import booth_label, point_code
from passerelle.store.audit import Actor
from passerelle.store.users import TokenView, UserRepository, UserView

__all__ = ["Accounts", "IssuedToken", "parse_user_name", "parse_workplace"]

_USER_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")


def parse_user_name(text: str) -> str:
    """A new user's name, lower case: 2-64 letters, digits and ``. _ @ -``.

    >>> parse_user_name(" Officer.Benali ")
    'officer.benali'
    """
    name = lookup_name(text)
    if not _USER_NAME.fullmatch(name):
        raise InvalidInput(
            "name",
            worded(
                N_("must be 2 to 64 letters, digits or . _ @ - (beginning with a letter or digit)")
            ),
        )
    return name


def parse_workplace(crossing_point: str | None, booth: str | None) -> tuple[str | None, str | None]:
    """A user's crossing point and booth as stored (upper case; blank: none); a booth is a
    booth of a point, so one without a point is refused (``booth``).

    >>> parse_workplace(" tng-med ", "b3")
    ('TNG-MED', 'B3')
    """
    point = point_code(crossing_point, field="crossing_point")
    label = booth_label(booth, field="booth")
    if label is not None and point is None:
        raise InvalidInput(
            "booth", worded(N_("a booth is a booth of a crossing point: give the point too"))
        )
    return point, label


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new API token: shown once to whoever asked for it, stored only as a hash."""

    token: str = field(repr=False)
    view: TokenView


class Accounts(AccessBase):
    """The node's users and their API tokens."""

    def users(self) -> list[UserView]:
        with self.database.read() as session:
            return UserRepository(session).users()

    def user(self, name: str) -> UserView | None:
        with self.database.read() as session:
            return UserRepository(session).get(lookup_name(name))

    def add_user(
        self,
        name: str,
        role: str,
        password: str,
        *,
        by: Actor,
        crossing_point: str | None = None,
        booth: str | None = None,
    ) -> UserView:
        """Create an account, optionally assigned to a crossing point and a booth of it;
        refuses a taken name, an unknown role, a weak password or a booth without a point."""
        name, parsed = parse_user_name(name), parse_role(role)
        point, label = parse_workplace(crossing_point, booth)
        check_password(password, user_name=name)
        if self.user(name) is not None:
            raise InvalidInput(
                "name", worded(N_("a user named %(name)s already exists"), name=repr(name))
            )
        encoded = self.hashing.hash(password)
        with self.database.write() as session:
            now = self.clock()
            user = UserRepository(session).add(
                name,
                parsed.value,
                encoded,
                now=now,
                created_by=by.name,
                crossing_point=point,
                booth=label,
            )
            self._record(
                session,
                by,
                "user.add",
                now,
                query={"name": name},
                result={"role": user.role}
                | ({"crossing_point": point, "booth": label} if point else {}),
            )
        return user

    def set_workplace(
        self, name: str, crossing_point: str | None, booth: str | None, *, by: Actor
    ) -> UserView:
        """Assign a user to a crossing point and a booth of it (``None``: none), which sets
        whose inspections they read and decide (``access.scope``); audited as
        ``user.workplace`` with the old and new places. A booth needs a point."""
        point, label = parse_workplace(crossing_point, booth)
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            if (user.crossing_point, user.booth) == (point, label):
                return user
            repo.set_workplace(user.id, point, label)
            self._record(
                session,
                by,
                "user.workplace",
                now,
                query={"name": user.name},
                result={
                    "crossing_point": point,
                    "booth": label,
                    "was": {"crossing_point": user.crossing_point, "booth": user.booth},
                },
            )
            return self._existing(repo, name)

    def set_role(self, name: str, role: str, *, by: Actor) -> UserView:
        """Give a user another role (what they may do changes at their next request);
        audited as ``user.role`` with the old and new roles. Nobody changes their own role
        (an administrator could otherwise leave the node without one)."""
        parsed = parse_role(role)
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            if user.role == parsed.value:
                return user
            if user.name == by.name:
                raise InvalidInput("role", worded(N_("you cannot change your own role")))
            repo.set_role(user.id, parsed.value)
            self._record(
                session,
                by,
                "user.role",
                now,
                query={"name": user.name},
                result={"role": parsed.value, "was": user.role},
            )
            return self._existing(repo, name)

    def set_language(self, name: str, language: str, *, by: Actor) -> UserView:
        """Record the language a user reads the pages in (``ar``, ``fr``, ``en``); audited as
        ``user.language`` with the old and new languages when it changes."""
        code = parse_language(language)
        if code is None or code != language.strip().lower():
            raise InvalidInput(
                "language",
                worded(N_("%(language)s is not one of ar, fr, en"), language=repr(language)),
            )
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            if user.language == code:
                return user
            repo.set_language(user.id, code)
            self._record(
                session,
                by,
                "user.language",
                now,
                query={"name": user.name},
                result={"language": code, "was": user.language},
            )
            return self._existing(repo, name)

    def change_password(self, name: str, password: str, *, by: Actor) -> UserView:
        """Set a new password; the user's open web sessions end (tokens stay)."""
        check_password(password, user_name=lookup_name(name))
        with self.database.read() as session:
            self._existing(UserRepository(session), name)
        encoded = self.hashing.hash(password)
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            repo.set_password_hash(user.id, encoded, changed_at=now)
            ended = repo.revoke_sessions_of(user.id, now)
            self._record(
                session,
                by,
                "user.passwd",
                now,
                query={"name": user.name},
                result={"sessions_revoked": ended},
            )
            return self._existing(repo, name)

    def disable_user(self, name: str, *, by: Actor, reason: str | None = None) -> UserView:
        """Stop an account: no login, and its sessions and tokens are revoked. Idempotent."""
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            if not user.enabled:
                return user
            repo.set_disabled(user.id, now)
            ended = repo.revoke_sessions_of(user.id, now)
            revoked = repo.revoke_tokens_of(user.id, now)
            self._record(
                session,
                by,
                "user.disable",
                now,
                purpose=reason.strip() if reason and reason.strip() else None,
                query={"name": user.name},
                result={"sessions_revoked": ended, "tokens_revoked": revoked},
            )
            return self._existing(repo, name)

    def enable_user(self, name: str, *, by: Actor) -> UserView:
        """Let a disabled account log in again (its old tokens stay revoked). Idempotent."""
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            if user.enabled:
                return user
            repo.set_disabled(user.id, None)
            self._record(session, by, "user.enable", now, query={"name": user.name})
            return self._existing(repo, name)

    # -- API tokens -----------------------------------------------------------------------

    def issue_token(
        self, name: str, *, by: Actor, days: int | None = None, label: str | None = None
    ) -> IssuedToken:
        """A new bearer token for an enabled user, valid ``days`` (default 90)."""
        days = self.policy.token_days if days is None else days
        if not 1 <= days <= self.policy.max_token_days:
            raise InvalidInput(
                "days",
                worded(
                    N_("must be from 1 to %(max_token_days)s"),
                    max_token_days=self.policy.max_token_days,
                ),
            )
        label = (label or "").strip() or None
        if label and len(label) > 128:
            raise InvalidInput("label", worded(N_("is longer than 128 characters")))
        token = new_token()
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            user = self._existing(repo, name)
            if not user.enabled:
                raise InvalidInput(
                    "name", worded(N_("the user %(name)s is disabled"), name=repr(user.name))
                )
            view = repo.add_token(
                user.id,
                digest(token),
                now=now,
                expires_at=now + timedelta(days=days),
                created_by=by.name,
                label=label,
            )
            self._record(
                session,
                by,
                "token.issue",
                now,
                query={"name": user.name},
                result={"token_id": view.id, "expires_at": view.expires_at.isoformat()},
            )
        return IssuedToken(token, view)

    def revoke_token(self, token_id: int, *, by: Actor, reason: str | None = None) -> TokenView:
        """Revoke one token by its id (as ``tokens()`` lists it). Idempotent."""
        with self.database.write() as session:
            repo, now = UserRepository(session), self.clock()
            view = repo.token(token_id)
            if view is None:
                raise UnknownToken(token_id)
            if view.revoked_at is not None:
                return view
            repo.revoke_token(token_id, now)
            self._record(
                session,
                by,
                "token.revoke",
                now,
                purpose=reason.strip() if reason and reason.strip() else None,
                query={"token_id": token_id},
                result={"name": view.user},
            )
            revoked = repo.token(token_id)
        assert revoked is not None
        return revoked

    def tokens(self, name: str | None = None) -> list[TokenView]:
        """The tokens issued (to one user, or all), oldest first, whatever their state."""
        with self.database.read() as session:
            return UserRepository(session).tokens(None if name is None else lookup_name(name))
