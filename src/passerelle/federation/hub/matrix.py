"""The hub's agreement matrix: which member may send which message kinds to which.

The hub keeps its own copy of what the members agreed (``hub_agreements``): a row
per (sender, addressee), either side ``*`` for every member, and the kinds allowed
(``query.document``, ``query.*``, ``alert.issue``...). A part is forwarded only
when a row for its two members (or a ``*`` row) allows its kind; the addressee still
applies its own agreement with the sender on arrival. Every change is audited
(``hub.allow``, ``hub.deny``, ``hub.matrix_load``) in the transaction that makes it.

A matrix file (``passerelle hub matrix-load FILE``) replaces the whole matrix::

    {"agreements": [{"from": "*", "to": "*", "kinds": ["query.document"]},
                    {"from": "MAR", "to": "BEL", "kinds": ["query.*"]}]}
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.identity import parse_state
from passerelle.node import utc_now
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.tables import HubAgreement

__all__ = ["ANY_MEMBER", "HubMatrix", "MatrixRule", "parse_matrix"]

ANY_MEMBER = "*"
_KIND = re.compile(r"[a-z][a-z0-9_]*(\.([a-z][a-z0-9_]*|\*))+")


@dataclass(frozen=True, slots=True)
class MatrixRule:
    """Kinds one member (or ``*``) may send another (or ``*``) through the hub."""

    sender: str
    addressee: str
    kinds: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"from": self.sender, "to": self.addressee, "kinds": list(self.kinds)}


def _member(value: str, field: str) -> str:
    return ANY_MEMBER if value.strip() == ANY_MEMBER else parse_state(value, field=field)


def _kinds(values: Iterable[str]) -> tuple[str, ...]:
    kinds = sorted({value.strip() for value in values if value.strip()})
    if not kinds:
        raise InvalidInput("kinds", "name at least one message kind, e.g. query.document")
    for kind in kinds:
        if len(kind) > 64 or not _KIND.fullmatch(kind):
            raise InvalidInput("kinds", f"{kind!r} is not a message kind such as query.document")
    return tuple(kinds)


def rule(sender: str, addressee: str, kinds: Iterable[str]) -> MatrixRule:
    """A checked rule; :class:`InvalidInput` naming ``from``, ``to`` or ``kinds``."""
    return MatrixRule(_member(sender, "from"), _member(addressee, "to"), _kinds(kinds))


def parse_matrix(document: Mapping[str, Any]) -> list[MatrixRule]:
    """The rules of a matrix file's JSON (see the module docstring)."""
    rows = document.get("agreements")
    if not isinstance(rows, list):
        raise InvalidInput("agreements", "must be a list of {from, to, kinds}")
    rules: dict[tuple[str, str], MatrixRule] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("kinds"), list):
            raise InvalidInput(f"agreements[{index}]", "must be {from, to, kinds: [...]}")
        made = rule(str(row.get("from", "")), str(row.get("to", "")), map(str, row["kinds"]))
        if (made.sender, made.addressee) in rules:
            raise InvalidInput(f"agreements[{index}]", "names a pair already given")
        rules[(made.sender, made.addressee)] = made
    return list(rules.values())


class HubMatrix:
    """The hub's agreement matrix, stored in ``hub_agreements``."""

    def __init__(
        self, database: Database, audit: AuditTrail, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.database, self.audit, self.clock = database, audit, clock

    def rules(self) -> list[MatrixRule]:
        with self.database.read() as session:
            rows = session.scalars(
                select(HubAgreement).order_by(HubAgreement.sender, HubAgreement.addressee)
            )
            return [MatrixRule(r.sender, r.addressee, tuple(r.kinds)) for r in rows]

    def allows(self, sender: str, addressee: str, kind: str) -> bool:
        """Whether a ``kind`` part from ``sender`` to ``addressee`` may be forwarded."""
        return addressee in self.allowed(sender, kind, [addressee])

    def allowed(self, sender: str, kind: str, addressees: Iterable[str]) -> set[str]:
        """Those of ``addressees`` that ``sender`` may send a ``kind`` part (one read)."""
        with self.database.read() as session:
            rows = list(
                session.scalars(
                    select(HubAgreement).where(HubAgreement.sender.in_((sender, ANY_MEMBER)))
                )
            )
        granted = {
            row.addressee
            for row in rows
            if any(fnmatch.fnmatchcase(kind, allowed) for allowed in row.kinds)
        }
        everyone = ANY_MEMBER in granted
        return {a for a in addressees if a != sender and (everyone or a in granted)}

    def allow(
        self, sender: str, addressee: str, kinds: Iterable[str], *, actor: Actor
    ) -> MatrixRule:
        """Let ``sender`` send ``kinds`` to ``addressee`` (replacing the pair's kinds)."""
        made = rule(sender, addressee, kinds)
        now = self.clock()
        with self.database.write() as session:
            self._put(session, made, actor, now)
            self._audit(session, "hub.allow", actor, now, made.as_json())
        return made

    def deny(self, sender: str, addressee: str, *, actor: Actor) -> None:
        """Forward nothing more on the pair's own row (a ``*`` row may still allow)."""
        code_from, code_to = _member(sender, "from"), _member(addressee, "to")
        now = self.clock()
        with self.database.write() as session:
            held = session.get(HubAgreement, (code_from, code_to))
            if held is None:
                raise InvalidInput("to", f"no agreement from {code_from} to {code_to} to remove")
            session.delete(held)
            self._audit(session, "hub.deny", actor, now, {"from": code_from, "to": code_to})

    def replace(self, rules: Iterable[MatrixRule], *, actor: Actor) -> int:
        """The whole matrix replaced by ``rules``, in one transaction; how many rows."""
        now = self.clock()
        kept = list(rules)
        with self.database.write() as session:
            session.execute(delete(HubAgreement))
            for made in kept:
                self._put(session, made, actor, now)
            self._audit(session, "hub.matrix_load", actor, now, {"rules": len(kept)})
        return len(kept)

    @staticmethod
    def _put(session: Session, made: MatrixRule, actor: Actor, now: datetime) -> None:
        held = session.get(HubAgreement, (made.sender, made.addressee))
        if held is None:
            held = HubAgreement(sender=made.sender, addressee=made.addressee)
            session.add(held)
        held.kinds, held.updated_at, held.updated_by = list(made.kinds), now, actor.name

    def _audit(
        self, session: Session, action: str, actor: Actor, at: datetime, what: dict[str, Any]
    ) -> None:
        self.audit.record(session, actor=actor, action=action, at=at, query=what, result={})
