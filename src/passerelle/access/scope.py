"""Whose inspections a user may read and decide: the scope of each role over border checks.

Roles say *what* a user may do (``roles``); the scope says *on which inspections*.
Each user may be assigned a crossing point and a booth of it (``passerelle user
modify NAME --point TNG-MED --booth B3``), and each inspection records the point
and the booth it was made at.

==================  ================================================================
who                 reads and decides
==================  ================================================================
an officer          their own inspections, and, by ``PASSERELLE_OFFICER_SCOPE``:
                    ``own`` nothing more; ``booth`` (default) those made at their
                    assigned booth of their assigned point; ``point`` those made at
                    their assigned point. Without the assignment the scope needs,
                    their own only.
a supervisor        those of their assigned crossing point; without a point, every
                    point (``PASSERELLE_UNASSIGNED_SUPERVISOR=all``, the default) or
                    none (``none``); always their own
an analyst          every inspection (hit reviews are the node's, not a booth's)
others              none: admins, auditors and partners do not hold the permissions
==================  ================================================================

Why ``booth`` by default: first-line officers hand a booth over at shift change,
and the officer taking it over must finish what is open there (a decision, a
refusal notice, a receipt); a whole point is wider than anyone at a booth needs,
and their own inspections alone would strand the traveller at the handover.

An inspection out of scope is answered as one that does not exist
(:class:`~passerelle.records.inspections.InspectionOutOfScope`, a 404), so an officer
cannot learn which inspection ids exist at other booths.

>>> rule = ScopeRule()
>>> place = Workplace("TNG-MED", "B3")
>>> checked = Checked("officer.b", "TNG-MED", "B3")
>>> sees(Actor("officer.a", "user", "officer"), place, checked, rule)
True
>>> sees(Actor("officer.a", "user", "officer"), Workplace("TNG-MED", "B4"), checked, rule)
False
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session

from passerelle.access.errors import AccessDenied
from passerelle.access.roles import Permission, can
from passerelle.records.inspections import InspectionOutOfScope, InspectionView
from passerelle.store.audit import Actor
from passerelle.store.inspections import InspectionRepository
from passerelle.store.users import UserRepository

if TYPE_CHECKING:
    from passerelle.node import Node

__all__ = [
    "Checked",
    "OfficerScope",
    "Placed",
    "ScopeRule",
    "Workplace",
    "require_in_scope",
    "scoped_inspection",
    "sees",
    "supervised_point",
    "workplace_of",
]


log = logging.getLogger(__name__)


class OfficerScope(StrEnum):
    """Whose inspections a first-line officer reads besides their own."""

    OWN = "own"
    BOOTH = "booth"
    POINT = "point"


@dataclass(frozen=True, slots=True)
class ScopeRule:
    """The node's scope setting: the officers' scope, and what an unassigned supervisor sees."""

    officer: OfficerScope = OfficerScope.BOOTH
    unassigned_supervisor_sees_all: bool = True

    @classmethod
    def of(cls, node: Node) -> ScopeRule:
        """The rule the node's settings give (``PASSERELLE_OFFICER_SCOPE``,
        ``PASSERELLE_UNASSIGNED_SUPERVISOR``)."""
        settings = node.settings
        return cls(OfficerScope(settings.officer_scope), settings.unassigned_supervisor == "all")


@dataclass(frozen=True, slots=True)
class Workplace:
    """Where a user works: a crossing point and a booth of it (``None``: not assigned)."""

    crossing_point: str | None = None
    booth: str | None = None


class Placed(Protocol):
    """What the scope reads of an inspection: who made it, at which point and booth."""

    @property
    def officer(self) -> str: ...

    @property
    def crossing_point(self) -> str: ...

    @property
    def booth(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Checked:
    """An inspection's place, as :func:`sees` reads it (an ``InspectionView`` serves too)."""

    officer: str
    crossing_point: str
    booth: str | None = None


def _supervises(role: str) -> bool:
    return can(role, Permission.CONFIRM_ADMISSION) or can(role, Permission.SECOND_LINE)


def sees(actor: Actor, workplace: Workplace, inspection: Placed, rule: ScopeRule) -> bool:
    """Whether ``actor``, working at ``workplace``, may read and decide ``inspection``.

    >>> rule = ScopeRule()
    >>> checked = Checked("officer.b", "TNG-MED", "B3")
    >>> sees(Actor("sup.a", "user", "supervisor"), Workplace("NDR-AIR"), checked, rule)
    False
    >>> sees(Actor("analyst.a", "user", "analyst"), Workplace(), checked, rule)
    True
    """
    role = actor.role
    if can(role, Permission.REVIEW_HITS):
        return True
    if not (can(role, Permission.INSPECT) or _supervises(role)):
        return False
    if inspection.officer == actor.name:
        return True
    point = workplace.crossing_point
    at_point = point is not None and inspection.crossing_point == point
    if _supervises(role):
        return at_point if point is not None else rule.unassigned_supervisor_sees_all
    if rule.officer is OfficerScope.POINT:
        return at_point
    if rule.officer is OfficerScope.BOOTH:
        return at_point and workplace.booth is not None and inspection.booth == workplace.booth
    return False


def workplace_of(session: Session, actor: Actor) -> Workplace:
    """Where ``actor`` is assigned to work (nothing for an actor without an account)."""
    found = UserRepository(session).workplace(actor.name)
    if found is None:
        return Workplace()
    return Workplace(*found)


def supervised_point(session: Session, actor: Actor, rule: ScopeRule) -> str | None:
    """The crossing point whose second-line queue ``actor`` works: their assigned point, or
    ``None`` for every point (an analyst; a supervisor without a point when the rule lets
    them see all). Refused (``AccessDenied``) for a supervisor without a point when the
    rule gives them none: an administrator must assign one."""
    if can(actor.role, Permission.REVIEW_HITS):
        return None
    point = workplace_of(session, actor).crossing_point
    if point is None and not rule.unassigned_supervisor_sees_all:
        raise AccessDenied(
            "no crossing point is assigned to you: ask an administrator to assign one "
            "(passerelle user modify NAME --point CODE)"
        )
    return point


def require_in_scope(session: Session, actor: Actor, view: InspectionView, rule: ScopeRule) -> None:
    """Return when ``actor`` may read and decide the inspection; else raise
    :class:`InspectionOutOfScope` (answered as an unknown inspection, 404)."""
    if not sees(actor, workplace_of(session, actor), view, rule):
        log.warning(
            "inspection.out_of_scope",
            extra={"actor": actor.name, "role": actor.role, "inspection": view.id},
        )
        raise InspectionOutOfScope(view.id)


def scoped_inspection(
    node: Node,
    session: Session,
    repository: InspectionRepository,
    actor: Actor,
    inspection_id: str,
    *,
    lock: bool = False,
) -> InspectionView:
    """The inspection ``inspection_id`` if ``actor`` may read and decide it (the node's
    rule); ``UnknownInspection`` when there is none, ``InspectionOutOfScope`` (alike) when
    it is not theirs. ``lock`` holds the row until the transaction ends."""
    view = repository.get(session, inspection_id, lock=lock)
    require_in_scope(session, actor, view, ScopeRule.of(node))
    return view
