"""The permission table: what each role may do, and the typed refusal of everything else."""

from __future__ import annotations

import pytest

from passerelle.access import (
    PERMISSIONS,
    AccessDenied,
    Forbidden,
    Permission,
    Role,
    can,
    parse_role,
    require,
)
from passerelle.exc import InvalidInput, PasserelleError
from passerelle.store import Actor

EXPECTED = {
    Role.OFFICER: {"inspect", "search_sltd", "search_watchlist", "view_dashboard"},
    Role.SUPERVISOR: {
        "inspect",
        "confirm_admission",
        "second_line",
        "examine_documents",
        "search_sltd",
        "search_watchlist",
        "view_dashboard",
        "analyse_risk",
        "change_link_colour",
    },
    Role.ANALYST: {
        "search_sltd",
        "search_watchlist",
        "review_hits",
        "examine_documents",
        "manage_alerts",
        "manage_watchlist",
        "manage_sltd",
        "view_dashboard",
        "analyse_risk",
    },
    Role.ADMIN: {"manage_users", "manage_node", "view_dashboard"},
    Role.AUDITOR: {"view_audit", "view_dashboard"},
    Role.PARTNER: {"federation_query"},
}


def test_every_role_has_exactly_the_permissions_of_the_table() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert {role: {p.value for p in held} for role, held in PERMISSIONS.items()} == EXPECTED


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_refused_every_permission_it_does_not_hold(role: Role) -> None:
    actor = Actor(f"someone.{role.value}", "peer" if role is Role.PARTNER else "user", role.value)
    for permission in Permission:
        if permission.value in EXPECTED[role]:
            require(actor, permission)
            assert can(role.value, permission)
            continue
        with pytest.raises(Forbidden) as refused:
            require(actor, permission)
        assert (refused.value.permission, refused.value.role) == (permission.value, role.value)
        assert not can(role.value, permission)


def test_refusal_names_the_permission_and_the_role_and_is_a_passerelle_error() -> None:
    with pytest.raises(
        Forbidden, match="role 'partner' does not have the permission 'inspect'"
    ) as e:
        require(Actor("MAR", "peer", "partner"), Permission.INSPECT)
    assert isinstance(e.value, AccessDenied)
    assert isinstance(e.value, PasserelleError)


def test_duties_are_separated() -> None:
    assert not can("admin", Permission.VIEW_AUDIT)
    assert not can("admin", Permission.SEARCH_WATCHLIST)
    assert not can("auditor", Permission.MANAGE_USERS)
    assert not can("officer", Permission.REVIEW_HITS)
    assert [r for r in Role if can(r.value, Permission.MANAGE_USERS)] == [Role.ADMIN]


def test_an_unknown_role_holds_no_permission() -> None:
    for permission in Permission:
        assert not can("superuser", permission)
        with pytest.raises(Forbidden):
            require(Actor("x", "system", "superuser"), permission)


def test_roles_are_read_whatever_the_case_and_unknown_ones_refused() -> None:
    assert parse_role(" Officer ") is Role.OFFICER
    with pytest.raises(InvalidInput, match="role: 'boss' is not a role") as refused:
        parse_role("boss")
    assert refused.value.field == "role"
