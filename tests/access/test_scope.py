"""The scope rule alone (issue 15, item 6): who may read and decide which inspection, by role,
workplace and the node's setting; no database."""

from __future__ import annotations

import pytest

from passerelle.access.scope import Checked, OfficerScope, ScopeRule, Workplace, sees
from passerelle.store.audit import Actor

AT_B1 = Checked("officer.amrani", "TNG-MED", "B1")
OFFICER = Actor("officer.benali", "user", "officer")
SUPERVISOR = Actor("supervisor.tahiri", "user", "supervisor")


@pytest.mark.parametrize(
    ("scope", "workplace", "expected"),
    [
        (OfficerScope.OWN, Workplace("TNG-MED", "B1"), False),
        (OfficerScope.BOOTH, Workplace("TNG-MED", "B1"), True),
        (OfficerScope.BOOTH, Workplace("TNG-MED", "B2"), False),
        (OfficerScope.BOOTH, Workplace("NDR-AIR", "B1"), False),  # B1 of another point
        (OfficerScope.BOOTH, Workplace("TNG-MED"), False),  # no booth: their own only
        (OfficerScope.BOOTH, Workplace(), False),
        (OfficerScope.POINT, Workplace("TNG-MED", "B2"), True),
        (OfficerScope.POINT, Workplace("NDR-AIR"), False),
        (OfficerScope.POINT, Workplace(), False),
    ],
)
def test_an_officer_sees_a_colleagues_inspection_only_within_the_scope(
    scope: OfficerScope, workplace: Workplace, expected: bool
) -> None:
    assert sees(OFFICER, workplace, AT_B1, ScopeRule(scope)) is expected


@pytest.mark.parametrize("scope", list(OfficerScope))
def test_an_officer_always_sees_their_own_inspection(scope: OfficerScope) -> None:
    own = Checked(OFFICER.name, "NDR-AIR", None)
    assert sees(OFFICER, Workplace("TNG-MED", "B1"), own, ScopeRule(scope))


def test_a_supervisor_sees_their_point_and_no_other() -> None:
    rule = ScopeRule()
    assert sees(SUPERVISOR, Workplace("TNG-MED"), AT_B1, rule)
    assert not sees(SUPERVISOR, Workplace("NDR-AIR"), AT_B1, rule)


def test_a_supervisor_without_a_point_sees_every_point_or_none_as_the_node_says() -> None:
    assert sees(SUPERVISOR, Workplace(), AT_B1, ScopeRule(unassigned_supervisor_sees_all=True))
    assert not sees(SUPERVISOR, Workplace(), AT_B1, ScopeRule(unassigned_supervisor_sees_all=False))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("analyst", True), ("admin", False), ("auditor", False), ("partner", False), ("x", False)],
)
def test_analysts_see_every_inspection_and_roles_without_the_permissions_none(
    role: str, expected: bool
) -> None:
    actor = Actor(f"{role}.one", "user", role)
    assert sees(actor, Workplace(), AT_B1, ScopeRule()) is expected
