"""``AccessControl``: everything about users, logins, sessions and tokens in one object.

The CLI and the API build one per node (``AccessControl.for_node(node)``) and
call it; see ``accounts`` (users and tokens), ``logins`` (logins, sessions,
bearer tokens) and ``lockouts`` (locked accounts, paced addresses, unlock) for what each
method does and audits.
"""

from __future__ import annotations

from passerelle.access.accounts import Accounts
from passerelle.access.lockouts import Lockouts
from passerelle.access.logins import Logins

__all__ = ["AccessControl"]


class AccessControl(Accounts, Logins, Lockouts):
    """The node's accounts, logins, sessions and tokens, over its database and audit trail."""
