"""What the users repository hands out: users, tokens and sessions as frozen values.

None of them carries a secret a caller could leak by printing it: the password
hash and a session's CSRF token are left out of ``repr``, and tokens and
session ids are never stored at all (only their SHA-256).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["LoginRecord", "SessionRecord", "TokenView", "UserView"]


@dataclass(frozen=True, slots=True)
class UserView:
    """A stored user, without the password hash."""

    id: int
    name: str
    role: str
    created_at: datetime
    created_by: str
    password_changed_at: datetime
    disabled_at: datetime | None
    crossing_point: str | None = None
    """The crossing point the user works at, when assigned."""
    booth: str | None = None
    """The booth of that point the user works at, when assigned."""
    language: str | None = None
    """The language the user reads the pages in (``ar``, ``fr``, ``en``), once chosen."""

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "enabled": self.enabled,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "password_changed_at": self.password_changed_at.isoformat(),
            "disabled_at": self.disabled_at.isoformat() if self.disabled_at else None,
            "crossing_point": self.crossing_point,
            "booth": self.booth,
        }


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """What a login needs to know about a user: the user and the password hash."""

    user: UserView
    password_hash: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TokenView:
    """A stored API token (never the token itself)."""

    id: int
    user: str
    role: str
    label: str | None
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None
    user_disabled: bool = False

    def state(self, now: datetime) -> str:
        """``active``, ``revoked`` or ``expired`` at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"

    def as_dict(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "label": self.label,
            "state": self.state(now),
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A stored web session and its user."""

    id: int
    user: UserView
    csrf_token: str = field(repr=False)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
