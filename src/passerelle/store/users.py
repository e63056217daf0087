"""The node's users, their API tokens, web sessions and login attempts: the repository.

Only hashes of secrets are stored: argon2id for passwords, SHA-256 for bearer
tokens and session ids (see ``passerelle.access``). Login attempts keep the
SHA-256 of the name typed (people type passwords into the name field) and the
client address; they feed the login throttle and are purged after a while.

Policy (who may log in, what expires when, what a role may do) lives in
``passerelle.access``; this module only reads and writes rows (the tables are in
:mod:`passerelle.store.tables.access`). No function here commits: the caller's
transaction does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    bindparam,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.store.login_attempts import (
    FAILED,
    PACED,
    SUCCEEDED,
    THROTTLED,
    UNLOCKED,
    LoginAttemptRows,
)
from passerelle.store.tables import ApiToken, LoginAttempt, User, WebSession
from passerelle.store.user_views import LoginRecord, SessionRecord, TokenView, UserView

__all__ = [
    "FAILED",
    "PACED",
    "SUCCEEDED",
    "THROTTLED",
    "UNLOCKED",
    "LoginRecord",
    "SessionRecord",
    "TokenView",
    "UserRepository",
    "UserView",
]


def _user_view(row: User) -> UserView:
    return UserView(
        id=row.id,
        name=row.name,
        role=row.role,
        created_at=row.created_at,
        created_by=row.created_by,
        password_changed_at=row.password_changed_at,
        disabled_at=row.disabled_at,
        crossing_point=row.crossing_point,
        booth=row.booth,
        language=row.language,
    )


def _token_view(row: ApiToken, user: User) -> TokenView:
    return TokenView(
        id=row.id,
        user=user.name,
        role=user.role,
        label=row.label,
        created_at=row.created_at,
        created_by=row.created_by,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        user_disabled=user.disabled_at is not None,
    )


_WORKPLACE = select(User.crossing_point, User.booth).where(User.name == bindparam("name"))

_TOKEN_BY_HASH = (
    select(
        ApiToken.id,
        User.name.label("user"),
        User.role,
        ApiToken.label,
        ApiToken.created_at,
        ApiToken.created_by,
        ApiToken.expires_at,
        ApiToken.revoked_at,
        User.disabled_at,
    )
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


class UserRepository(LoginAttemptRows):
    """Reads and writes users, tokens, sessions and login attempts in one SQLAlchemy session
    (the attempts' rows: :class:`~passerelle.store.login_attempts.LoginAttemptRows`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- users ----------------------------------------------------------------------------

    def _row(self, name: str) -> User | None:
        return self.session.scalars(select(User).where(User.name == name)).one_or_none()

    def get(self, name: str) -> UserView | None:
        row = self._row(name)
        return _user_view(row) if row else None

    def workplace(self, name: str) -> tuple[str | None, str | None] | None:
        """The user's crossing point and booth (None: no such user); every inspection asks,
        so columns through a statement built once, not an ORM object."""
        found = self.session.execute(_WORKPLACE, {"name": name}).one_or_none()
        return (found.crossing_point, found.booth) if found is not None else None

    def login_record(self, name: str) -> LoginRecord | None:
        row = self._row(name)
        return LoginRecord(_user_view(row), row.password_hash) if row else None

    def users(self) -> list[UserView]:
        return [_user_view(row) for row in self.session.scalars(select(User).order_by(User.name))]

    def add(
        self,
        name: str,
        role: str,
        password_hash: str,
        *,
        now: datetime,
        created_by: str,
        crossing_point: str | None = None,
        booth: str | None = None,
    ) -> UserView:
        """Store a new user; ``InvalidInput("name", ...)`` when the name is taken."""
        if self._row(name) is not None:
            raise InvalidInput("name", f"a user named {name!r} already exists")
        row = User(
            name=name,
            role=role,
            password_hash=password_hash,
            created_at=now,
            created_by=created_by,
            password_changed_at=now,
            disabled_at=None,
            crossing_point=crossing_point,
            booth=booth,
        )
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as exc:  # a concurrent add of the same name
            raise InvalidInput("name", f"a user named {name!r} already exists") from exc
        return _user_view(row)

    def set_workplace(self, user_id: int, crossing_point: str | None, booth: str | None) -> None:
        """Assign the user to a crossing point and a booth of it (``None``: none)."""
        self.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(crossing_point=crossing_point, booth=booth)
        )

    def set_role(self, user_id: int, role: str) -> None:
        """Give the user another role."""
        self.session.execute(update(User).where(User.id == user_id).values(role=role))

    def set_language(self, user_id: int, language: str) -> None:
        """Record the language the user reads the pages in."""
        self.session.execute(update(User).where(User.id == user_id).values(language=language))

    def set_password_hash(
        self, user_id: int, password_hash: str, *, changed_at: datetime | None
    ) -> None:
        """Replace the hash: a new password (``changed_at`` given) or a rehash of the same one."""
        values: dict[str, Any] = {"password_hash": password_hash}
        if changed_at is not None:
            values["password_changed_at"] = changed_at
        self.session.execute(update(User).where(User.id == user_id).values(**values))

    def set_disabled(self, user_id: int, disabled_at: datetime | None) -> None:
        self.session.execute(update(User).where(User.id == user_id).values(disabled_at=disabled_at))

    # -- API tokens -----------------------------------------------------------------------

    def add_token(
        self,
        user_id: int,
        token_hash: str,
        *,
        now: datetime,
        expires_at: datetime,
        created_by: str,
        label: str | None,
    ) -> TokenView:
        row = ApiToken(
            user_id=user_id,
            token_hash=token_hash,
            label=label,
            created_at=now,
            created_by=created_by,
            expires_at=expires_at,
            revoked_at=None,
        )
        self.session.add(row)
        self.session.flush()
        return self.token(row.id)  # type: ignore[return-value]

    def token(self, token_id: int) -> TokenView | None:
        found = self.session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.id == token_id)
        ).one_or_none()
        return _token_view(*found) if found else None

    def token_by_hash(self, token_hash: str) -> TokenView | None:
        """The token with this digest (every API request asks: columns, not ORM objects)."""
        found = self.session.execute(_TOKEN_BY_HASH, {"token_hash": token_hash}).one_or_none()
        if found is None:
            return None
        values = found._asdict()
        values["user_disabled"] = values.pop("disabled_at") is not None
        return TokenView(**values)

    def tokens(self, user_name: str | None = None) -> list[TokenView]:
        query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        if user_name is not None:
            query = query.where(User.name == user_name)
        rows = self.session.execute(query.order_by(ApiToken.id)).all()
        return [_token_view(token, user) for token, user in rows]

    def revoke_token(self, token_id: int, now: datetime) -> None:
        self.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_tokens_of(self, user_id: int, now: datetime) -> int:
        """Revoke every live token of a user; returns how many."""
        result = self.session.execute(
            update(ApiToken)
            .where(
                ApiToken.user_id == user_id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > now,
            )
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # -- web sessions ---------------------------------------------------------------------

    def add_session(
        self,
        user_id: int,
        session_hash: str,
        csrf_token: str,
        *,
        client: str | None,
        now: datetime,
        expires_at: datetime,
    ) -> int:
        row = WebSession(
            user_id=user_id,
            session_hash=session_hash,
            csrf_token=csrf_token,
            client=client,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            revoked_at=None,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def session_by_hash(self, session_hash: str) -> SessionRecord | None:
        found = self.session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.session_hash == session_hash)
        ).one_or_none()
        if found is None:
            return None
        row, user = found
        return SessionRecord(
            id=row.id,
            user=_user_view(user),
            csrf_token=row.csrf_token,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )

    def touch_session(self, session_id: int, now: datetime) -> None:
        self.session.execute(
            update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now)
        )

    def revoke_session(self, session_id: int, now: datetime) -> None:
        self.session.execute(
            update(WebSession)
            .where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_sessions_of(self, user_id: int, now: datetime) -> int:
        """Revoke every open session of a user; returns how many."""
        result = self.session.execute(
            update(WebSession)
            .where(
                WebSession.user_id == user_id,
                WebSession.revoked_at.is_(None),
                WebSession.expires_at > now,
            )
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # -- housekeeping ---------------------------------------------------------------------

    def purge(self, before: datetime) -> tuple[int, int]:
        """Delete login attempts made, and sessions ended, before ``before``; returns the counts."""
        attempts = self.session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))
        sessions = self.session.execute(
            delete(WebSession).where(
                or_(WebSession.expires_at < before, WebSession.revoked_at < before)
            )
        )
        return int(attempts.rowcount), int(sessions.rowcount)  # type: ignore[attr-defined]
