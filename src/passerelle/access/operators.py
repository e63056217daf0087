"""Who acts at the node's own console: a named local operator in the role a command needs.

``passerelle`` commands run on the node's host by someone the operating system
knows. They act as ``local:<login>`` (kind ``user``), in the least powerful role
that holds the permission the command needs, so the audit trail says who did it
and as what: a search as an officer or analyst, a user's creation as an
administrator, never a search as an administrator.
"""

from __future__ import annotations

import getpass

from passerelle.access.roles import PERMISSIONS, Permission, Role
from passerelle.store.audit import Actor

__all__ = ["CONSOLE_ROLES", "local_operator"]

CONSOLE_ROLES = (Role.OFFICER, Role.ANALYST, Role.AUDITOR, Role.ADMIN)
"""The roles a console command may act in, least powerful first (never a partner's)."""


def console_login() -> str:
    """The operating system's name for the person at the console (``unknown`` if none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def local_operator(permission: Permission) -> Actor:
    """The person at the console, in the least powerful role holding ``permission``.

    >>> local_operator(Permission.SEARCH_SLTD).role, local_operator(Permission.MANAGE_USERS).role
    ('officer', 'admin')
    """
    role = next(role for role in CONSOLE_ROLES if permission in PERMISSIONS[role])
    return Actor(name=f"local:{console_login()}", kind="user", role=role.value)
