"""What the access services share: the node's database, audit trail, clock and rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy.orm import Session

from passerelle.access.errors import UnknownUser
from passerelle.access.passwords import PasswordHashing
from passerelle.access.policy import AccessPolicy
from passerelle.access.roles import Role
from passerelle.node import utc_now
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.users import UserRepository, UserView

if TYPE_CHECKING:
    from passerelle.node import Node

__all__ = ["ACCESS_CONTROL", "AccessBase", "actor_of", "lookup_name"]

ACCESS_CONTROL = Actor("access-control", "system", "system")
"""The actor of what access control does on its own (a login lock)."""


def lookup_name(text: str) -> str:
    """A user name as typed, folded the way names are stored (blanks off, lower case)."""
    return text.strip().lower()


def actor_of(user: UserView) -> Actor:
    """The user as the audit trail and ``require`` see them (a partner node is a peer)."""
    return Actor(user.name, "peer" if user.role == Role.PARTNER else "user", user.role)


class AccessBase:
    """The node's database, audit trail, clock, password hashing and access rules."""

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        *,
        clock: Callable[[], datetime] = utc_now,
        hashing: PasswordHashing | None = None,
        policy: AccessPolicy | None = None,
    ) -> None:
        self.database = database
        self.audit = audit
        self.clock = clock
        self.hashing = hashing or PasswordHashing()
        self.policy = policy or AccessPolicy()

    @classmethod
    def for_node(
        cls,
        node: Node,
        *,
        hashing: PasswordHashing | None = None,
        policy: AccessPolicy | None = None,
    ) -> Self:
        return cls(node.database, node.audit, clock=node.clock, hashing=hashing, policy=policy)

    def _record(
        self,
        session: Session,
        actor: Actor,
        action: str,
        at: datetime,
        *,
        purpose: str | None = None,
        query: Mapping[str, Any] | None = None,
        result: Mapping[str, Any] | None = None,
    ) -> None:
        self.audit.record(
            session, actor=actor, action=action, at=at, purpose=purpose, query=query, result=result
        )

    @staticmethod
    def _existing(repo: UserRepository, name: str) -> UserView:
        user = repo.get(lookup_name(name))
        if user is None:
            raise UnknownUser(name.strip())
        return user
