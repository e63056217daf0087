"""Look-ups audited whatever they find: a record found, an id that names nothing, a refusal.

A reading of personal data by id (an inspection, a case, a hit review, an alert, a
watchlist entry, a printed notice) writes one audit record with the outcome in its
payload's ``result``:

* ``found``: in the transaction that read the record, so the record and what it
  disclosed are committed together (:meth:`Lookup.found`);
* ``not_found``: the id names nothing here (``NotFound``, answered 404). The
  read's transaction rolls back, then the record is written in a transaction of its
  own, which commits before the error goes on to the face: probing ids leaves a trace;
* ``refused``: the actor's role does not hold the permission (``Forbidden``, 403),
  recorded as ``access.refused`` (whatever the look-up's action: a search's action
  demands a purpose the refused request may not have given), naming the look-up's
  ``action``, what was asked and the permission missing;
* ``invalid``: the look-up was refused for its input (``InvalidInput`` other than
  not found, e.g. a refusal notice asked for an inspection that was not refused);
  ``field`` names the input.

A list view (the review queue, the cases, the refused shares, the alerts) records
``listed`` with what was asked (filters, limit) and what was shown (ids and a count,
never copies of the personal data), in the transaction that read it.

A refusal at the door (the API's and the pages' permission check, before any
service runs) is recorded by :func:`record_refusal` as ``access.refused`` too, with
the method, the path (which holds the id asked for) and the permission missing.

Each record goes through :meth:`AuditTrail.record` in a write transaction: one
writer at a time (the chain head is locked; SQLite writers take turns), so the
chain stays whole whatever the outcome.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from passerelle.access import Forbidden, Permission, can, require
from passerelle.exc import InvalidInput, NotFound
from passerelle.node import Node
from passerelle.records.inspections import InspectionOutOfScope
from passerelle.services.common import checked_purpose
from passerelle.store.audit import Actor

__all__ = ["REFUSED_ACTION", "Lookup", "Outcome", "audited_lookup", "record_refusal"]

REFUSED_ACTION = "access.refused"
"""The audit record of a request or look-up refused for want of a permission (at the door
of a route or page, or by a service)."""
MAX_PATH = 512
"""The longest path a refusal record keeps (characters); a longer one is cut."""


class Outcome(StrEnum):
    """What a look-up came to, as its audit record's ``result.outcome`` says."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    INVALID = "invalid"
    LISTED = "listed"


@dataclass(frozen=True, slots=True)
class Lookup:
    """One audited look-up: who, which action, why, and what was asked."""

    node: Node
    actor: Actor
    action: str
    purpose: str | None
    query: Mapping[str, Any]

    def found(self, session: Session, result: Mapping[str, Any] | None = None) -> int:
        """Record the look-up as ``found`` in ``session``'s transaction (the one that read)."""
        return self._record(session, Outcome.FOUND, result)

    def missing(self, session: Session, result: Mapping[str, Any] | None = None) -> int:
        """Record the look-up as ``not_found`` in ``session``'s transaction (a look-up that
        answers "none" rather than raising, so that transaction commits)."""
        return self._record(session, Outcome.NOT_FOUND, result)

    def listed(self, session: Session, ids: list[Any], *, key: str = "ids", **shown: Any) -> int:
        """Record a list view as ``listed``: the ids shown (under ``key``), their count, and
        ``shown``."""
        return self._record(session, Outcome.LISTED, {"count": len(ids), key: ids, **shown})

    def failed(self, outcome: Outcome, detail: Mapping[str, Any]) -> int:
        """Record the look-up as ``outcome`` in a transaction of its own, committed now."""
        with self.node.database.write() as session:
            return self._record(session, outcome, detail)

    def _record(self, session: Session, outcome: Outcome, result: Mapping[str, Any] | None) -> int:
        node = self.node
        return node.audit.record(
            session,
            actor=self.actor,
            action=self.action,
            purpose=self.purpose,
            at=node.clock(),
            query=self.query,
            result={"outcome": outcome.value, **(result or {})},
        )


@contextmanager
def audited_lookup(
    node: Node,
    actor: Actor,
    action: str,
    *,
    permissions: tuple[Permission, ...],
    purpose: str | None,
    query: Mapping[str, Any],
) -> Iterator[Lookup]:
    """Run a look-up whose outcome is audited whatever it is.

    First the permission: an actor holding none of ``permissions`` is refused
    (``Forbidden``), recorded as ``access.refused`` naming ``action`` and what was asked.
    Then the purpose (:func:`checked_purpose`; refused unrecorded: nothing was looked up;
    ``None`` for a look-up that takes none, as the review queue).
    The block reads in its own transaction and calls :meth:`Lookup.found` (or
    :meth:`Lookup.listed`) there. When the block raises ``NotFound``, ``Forbidden`` or
    another ``InvalidInput``, that transaction has rolled back already; the outcome is
    then recorded in a new transaction, committed, and the error raised on unchanged.
    """
    asked = dict(query)
    if not any(can(actor.role, permission) for permission in permissions):
        _refused(node, actor, permissions[0].value, {"action": action, **asked}, purpose)
        require(actor, permissions[0])
    why = checked_purpose(purpose) if purpose is not None else None
    lookup = Lookup(node, actor, action, why, asked)
    try:
        yield lookup
    except InspectionOutOfScope:
        # answered as an unknown inspection, recorded as what it is: another booth's
        lookup.failed(Outcome.REFUSED, {"field": "inspection", "reason": "out_of_scope"})
        raise
    except NotFound as missing:
        lookup.failed(Outcome.NOT_FOUND, {"field": missing.field})
        raise
    except Forbidden as refused:
        _refused(node, actor, refused.permission, {"action": action, **asked}, purpose)
        raise
    except InvalidInput as invalid:
        lookup.failed(Outcome.INVALID, {"field": invalid.field, "reason": invalid.reason})
        raise


def record_refusal(
    node: Node,
    actor: Actor,
    permission: Permission,
    *,
    method: str,
    path: str,
    purpose: str | None = None,
) -> int:
    """Record (``access.refused``, committed at once) that ``actor`` was refused ``method
    path`` for want of ``permission``, with the purpose they gave when it says something."""
    asked = {"method": method, "path": path[:MAX_PATH]}
    return _refused(node, actor, permission.value, asked, purpose)


def _refused(
    node: Node,
    actor: Actor,
    permission: str,
    asked: Mapping[str, Any],
    purpose: str | None,
) -> int:
    try:
        why = checked_purpose(purpose) if purpose is not None else None
    except InvalidInput:
        why = None
    lookup = Lookup(node, actor, REFUSED_ACTION, why, {**asked, "permission": permission})
    return lookup.failed(Outcome.REFUSED, {"role": actor.role})
