"""Roles and what each may do: the node's permission table.

=====================  =======  ==========  =======  =====  =======  =======
permission             officer  supervisor  analyst  admin  auditor  partner
=====================  =======  ==========  =======  =====  =======  =======
``inspect``            yes      yes
``confirm_admission``           yes
``second_line``                 yes
``examine_documents``           yes         yes
``search_sltd``        yes      yes         yes
``search_watchlist``   yes      yes         yes
``review_hits``                             yes
``manage_alerts``                           yes
``manage_watchlist``                        yes
``manage_sltd``                             yes
``manage_users``                                     yes
``manage_node``                                      yes
``view_audit``                                              yes
``view_dashboard``     yes      yes         yes      yes    yes
``analyse_risk``                yes         yes
``federation_query``                                                 yes
``change_link_colour``          yes
=====================  =======  ==========  =======  =====  =======  =======

Duties are kept apart: the administrator manages accounts but neither searches
personal data nor reads the audit trail; the auditor reads the trail and
nothing else; a partner node (a peer, ``Actor.kind == "peer"``) may only ask
hit/no-hit questions. An officer inspects at the border (a check that also
searches the registries); an analyst reviews what the checks found and keeps
the registries. A supervisor is an officer who also confirms (or declines) an
officer's admission of a traveller on a HIT, never their own (four eyes: two
people), and works the second-line queue. Analysts do not confirm admissions: they
review hits after the fact, away from the booth, and the confirmation belongs to
the border's chain of command. A document examiner works at second line (a
supervisor) or in the analysts' document-fraud unit: both read the forged-document
alerts and their images (``examine_documents``); an analyst issues and withdraws
them (``manage_alerts``). An unknown role holds no permission.

>>> require(Actor("officer.benali", "user", "officer"), Permission.INSPECT)
>>> require(Actor("admin.tazi", "user", "admin"), Permission.INSPECT)
Traceback (most recent call last):
...
passerelle.access.errors.Forbidden: the role 'admin' does not have the permission 'inspect'
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from passerelle.access.errors import Forbidden
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.store.audit import Actor

__all__ = ["PERMISSIONS", "Permission", "Role", "can", "parse_role", "require"]


class Role(StrEnum):
    """What a user (or a partner node) is at this node."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"
    AUDITOR = "auditor"
    PARTNER = "partner"


class Permission(StrEnum):
    """One kind of action the API guards."""

    INSPECT = "inspect"
    CONFIRM_ADMISSION = "confirm_admission"
    """Confirm or decline another officer's admission of a traveller on a HIT (four eyes)."""
    SECOND_LINE = "second_line"
    """Work the second-line queue: see who was referred and record each outcome."""
    EXAMINE_DOCUMENTS = "examine_documents"
    """Read the forged-document alerts (the node's and its partners') with their images: the
    document examiner's page. Issuing one is ``manage_alerts``, as for any alert."""
    SEARCH_SLTD = "search_sltd"
    SEARCH_WATCHLIST = "search_watchlist"
    REVIEW_HITS = "review_hits"
    MANAGE_ALERTS = "manage_alerts"
    MANAGE_WATCHLIST = "manage_watchlist"
    MANAGE_SLTD = "manage_sltd"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_DASHBOARD = "view_dashboard"
    ANALYSE_RISK = "analyse_risk"
    """Read the risk indicators and the unusual patterns, whose findings name documents and
    crossings, and export them (``/analysis/risk``)."""
    FEDERATION_QUERY = "federation_query"
    MANAGE_NODE = "manage_node"
    CHANGE_LINK_COLOUR = "change_link_colour"
    """Change the colour of an identity link an analyst already resolved (a supervisor's
    second look); reading the links and resolving a yellow one is ``review_hits``."""
    """Run the node itself: partners, the federation outbox, retention, stay rules, the demo."""


P = Permission
PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.OFFICER: frozenset({P.INSPECT, P.SEARCH_SLTD, P.SEARCH_WATCHLIST, P.VIEW_DASHBOARD}),
        Role.SUPERVISOR: frozenset(
            {
                P.INSPECT,
                P.CONFIRM_ADMISSION,
                P.SECOND_LINE,
                P.EXAMINE_DOCUMENTS,
                P.SEARCH_SLTD,
                P.SEARCH_WATCHLIST,
                P.VIEW_DASHBOARD,
                P.ANALYSE_RISK,
                P.CHANGE_LINK_COLOUR,
            }
        ),
        Role.ANALYST: frozenset(
            {
                P.SEARCH_SLTD,
                P.SEARCH_WATCHLIST,
                P.REVIEW_HITS,
                P.EXAMINE_DOCUMENTS,
                P.MANAGE_ALERTS,
                P.MANAGE_WATCHLIST,
                P.MANAGE_SLTD,
                P.VIEW_DASHBOARD,
                P.ANALYSE_RISK,
            }
        ),
        Role.ADMIN: frozenset({P.MANAGE_USERS, P.MANAGE_NODE, P.VIEW_DASHBOARD}),
        Role.AUDITOR: frozenset({P.VIEW_AUDIT, P.VIEW_DASHBOARD}),
        Role.PARTNER: frozenset({P.FEDERATION_QUERY}),
    }
)
"""Which role holds which permission (the table in this module's docstring)."""


def parse_role(text: str) -> Role:
    """The role named by ``text`` (case and surrounding blanks ignored).

    >>> parse_role(" Analyst ")
    <Role.ANALYST: 'analyst'>
    """
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise InvalidInput(
            "role",
            worded(
                N_("%(text)s is not a role (one of %(choices)s)"), text=repr(text), choices=choices
            ),
        ) from None


def can(role: str, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``; an unknown role holds none.

    >>> can("analyst", Permission.REVIEW_HITS), can("officer", Permission.REVIEW_HITS)
    (True, False)
    """
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def require(actor: Actor, permission: Permission) -> None:
    """Return when ``actor``'s role holds ``permission``; raise ``Forbidden`` naming both if not."""
    if not can(actor.role, permission):
        raise Forbidden(permission.value, actor.role)
