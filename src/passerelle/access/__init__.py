"""Who may use the node and what they may do: users, roles, logins, sessions, API tokens.

Users have one role each (``officer``, ``analyst``, ``admin``, ``auditor``, or
``partner`` for a peer node); ``PERMISSIONS`` says what each role may do and
``require(actor, Permission.INSPECT)`` raises ``Forbidden`` naming the
permission and the role when it may not. Passwords are hashed with argon2id
(RFC 9106) and must be at least 12 characters; logins are throttled (5
failures for a name in 15 minutes lock it; 20 from an address pace that address to
one login every 2 s, ``access.policy``; an administrator unlocks either) and answer an
unknown name and a wrong password alike. Web sessions expire when idle (30 minutes) and after 12
hours, and carry a CSRF token; API bearer tokens (``psr_...``) expire after
90 days by default. The node stores only hashes of passwords, tokens and
session ids, and audits every change, login and logout. Which inspections a
user may read and decide (their own, their booth's, their point's, all) is
``passerelle.access.scope``.

>>> from passerelle.store import Actor
>>> require(Actor("analyst.idrissi", "user", "analyst"), Permission.REVIEW_HITS)
>>> can("partner", Permission.SEARCH_WATCHLIST)
False
"""

from passerelle.access.accounts import IssuedToken, parse_user_name
from passerelle.access.base import actor_of
from passerelle.access.control import AccessControl
from passerelle.access.credentials import TOKEN_PREFIX
from passerelle.access.errors import (
    AccessDenied,
    AuthenticationFailed,
    CsrfRejected,
    Forbidden,
    LoginThrottled,
    UnknownToken,
    UnknownUser,
)
from passerelle.access.lockouts import Lockout
from passerelle.access.logins import NewSession, SessionView
from passerelle.access.operators import local_operator
from passerelle.access.passwords import (
    MIN_LENGTH,
    NODE_HASHING,
    HashingParameters,
    PasswordHashing,
    check_password,
)
from passerelle.access.policy import AccessPolicy
from passerelle.access.roles import PERMISSIONS, Permission, Role, can, parse_role, require

__all__ = [
    "MIN_LENGTH",
    "NODE_HASHING",
    "PERMISSIONS",
    "TOKEN_PREFIX",
    "AccessControl",
    "AccessDenied",
    "AccessPolicy",
    "AuthenticationFailed",
    "CsrfRejected",
    "Forbidden",
    "HashingParameters",
    "IssuedToken",
    "Lockout",
    "LoginThrottled",
    "NewSession",
    "PasswordHashing",
    "Permission",
    "Role",
    "SessionView",
    "UnknownToken",
    "UnknownUser",
    "actor_of",
    "can",
    "check_password",
    "local_operator",
    "parse_role",
    "parse_user_name",
    "require",
]
