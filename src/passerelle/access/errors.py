"""Errors about who may use the node: proving who one is, and being allowed to act.

::

    PasserelleError
    ├── InvalidInput(field, reason)
    │   └── NotFound(field, reason)
    │       ├── UnknownUser(name)            no account has this name (admin commands only)
    │       └── UnknownToken(token_id)       no API token has this id
    └── AccessDenied                         refused; ``reason`` says why
        ├── AuthenticationFailed             credentials, token or session not accepted
        │   └── LoginThrottled               too many failed logins; ``kind``, ``retry_after``
        ├── CsrfRejected                     a form without its session's CSRF token
        └── Forbidden(permission, role)      the role does not hold the permission

``AuthenticationFailed`` says the same thing for an unknown user name and a
wrong password, so a caller cannot learn which accounts exist. The API maps
``AuthenticationFailed`` to 401 (``LoginThrottled`` to 429), ``CsrfRejected``
and ``Forbidden`` to 403, ``NotFound`` to 404.
"""

from __future__ import annotations

from datetime import datetime

from passerelle.exc import NotFound, PasserelleError

__all__ = [
    "AccessDenied",
    "AuthenticationFailed",
    "CsrfRejected",
    "Forbidden",
    "LoginThrottled",
    "UnknownToken",
    "UnknownUser",
]

BAD_CREDENTIALS = "wrong user name or password"
ACCOUNT_DISABLED = "this account is disabled"


class UnknownUser(NotFound):
    """An administrative command named a user the node does not have."""

    def __init__(self, name: str) -> None:
        super().__init__("name", f"no user is named {name!r}")
        self.name = name


class UnknownToken(NotFound):
    """An administrative command named an API token id the node does not have."""

    def __init__(self, token_id: int) -> None:
        super().__init__("id", f"no API token has id {token_id}")
        self.token_id = token_id


class AccessDenied(PasserelleError):
    """The node refuses the request; ``reason`` says why in words a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthenticationFailed(AccessDenied):
    """The credentials, bearer token or session were not accepted.

    The message never tells an unknown user name from a wrong password. ``code`` says which
    refusal it is, for a face that words it in the reader's language: ``bad_credentials``,
    ``account_disabled``, ``throttled`` or ``other`` (a token or session refusal).
    """

    def __init__(self, reason: str = BAD_CREDENTIALS) -> None:
        super().__init__(reason)
        self.code = {BAD_CREDENTIALS: "bad_credentials", ACCOUNT_DISABLED: "account_disabled"}.get(
            reason, "other"
        )


class LoginThrottled(AuthenticationFailed):
    """Too many failed logins for this user name (``kind`` ``account``: locked) or from this
    client address (``address``: paced, one login per delay); retry after ``retry_after``."""

    def __init__(self, reason: str, retry_after: datetime, kind: str = "account") -> None:
        super().__init__(reason)
        self.code = "throttled"
        self.kind = kind
        self.retry_after = retry_after


class CsrfRejected(AccessDenied):
    """A state-changing form did not carry its session's CSRF token."""

    def __init__(self) -> None:
        super().__init__("the form's CSRF token is missing or does not match the session")


class Forbidden(AccessDenied):
    """The actor's role does not hold the permission the action needs."""

    def __init__(self, permission: str, role: str) -> None:
        super().__init__(f"the role {role!r} does not have the permission {permission!r}")
        self.permission = permission
        self.role = role
