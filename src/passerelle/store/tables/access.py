"""The access tables (migrations 0005, 0015, 0031): users, API tokens, web sessions, login
attempts, photo buckets.

Only hashes of secrets are stored: argon2id for passwords, SHA-256 for bearer
tokens and session ids (see ``passerelle.access``); login attempts keep the
SHA-256 of the name typed, never the name.

==================  ================================================================
``users``           people (or partner nodes) who may use the node, with one role
                    and where they work (a crossing point, a booth of it)
``api_tokens``      bearer tokens for the API
``web_sessions``    logged-in browsers, with their CSRF token
``login_attempts``  each login attempt and its outcome (the throttle reads them)
``photo_buckets``   each user's photo-request token bucket, shared by every host
==================  ================================================================
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from passerelle.store.tables.base import Base, BigId

__all__ = [
    "ApiToken",
    "LoginAttempt",
    "PhotoBucket",
    "User",
    "WebSession",
]


class User(Base):
    """A person (or a partner node) who may use the node, with one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    """argon2id, PHC string format; never the password."""
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(128))
    password_changed_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    crossing_point: Mapped[str | None] = mapped_column(String(64))
    """The crossing point the user works at (migration 0015; ``None``: none assigned)."""
    booth: Mapped[str | None] = mapped_column(String(32))
    """The booth of that point the user works at (``None``: none assigned)."""
    language: Mapped[str | None] = mapped_column(String(8))
    """The language the user reads the pages in (migration 0021; ``None``: not chosen yet)."""

    __table_args__ = (Index("ix_users_name", "name", unique=True),)


class ApiToken(Base):
    """A bearer token for the API, stored as the SHA-256 of the token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_api_tokens_token_hash", "token_hash", unique=True),)


class WebSession(Base):
    """A logged-in browser: the SHA-256 of its session id, its CSRF token and its clocks."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_hash: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_web_sessions_session_hash", "session_hash", unique=True),)


class LoginAttempt(Base):
    """One login attempt: when, the SHA-256 of the name typed, from where, and the outcome."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    user_key: Mapped[str] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(12))

    __table_args__ = (
        Index("ix_login_attempts_user", "user_key", "at"),
        Index("ix_login_attempts_client", "client", "at"),
    )


class PhotoBucket(Base):
    """A user's photo-request bucket (``passerelle.access.rates``): the tokens left when it
    was last taken from, and when (seconds since the epoch, the taking host's clock)."""

    __tablename__ = "photo_buckets"

    user_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    since_s: Mapped[float] = mapped_column(Float)
    granted: Mapped[int] = mapped_column(Integer)
    """Whether the last take found a token (1) or was refused (0)."""
