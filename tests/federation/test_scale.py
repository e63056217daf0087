"""The Council at scale: N members in a full mesh, one killed and one hung throughout.

The members (``federation_demo.Council``) are set up with the ``passerelle``
commands an operator types (through the command line in this process,
``run_in_process``: 550 of them for 22 members) and each runs as separate
processes (``passerelle federation serve`` and ``passerelle serve``) with its
own SQLite database, over mutual TLS on loopback. The scale story
(``federation_demo.council_story``) is told once per size, then each test
judges one property on what it saw. Four members run in the default suite
(the harness at a size a quick run affords); the twenty-two members of the
Council of Arab Interior Ministers run as a slow test (``-m slow``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.federation_demo import StepFailed, council_cast
from passerelle.federation_demo.council import Council
from passerelle.federation_demo.council_run import CouncilRun, tell
from passerelle.federation_demo.ledger import outbox_entries
from passerelle.store.db import Database
from tests.federation.nodes import run_in_process


def hub_commands() -> bool:
    """Whether this build has the hub's commands (``passerelle hub``, issue 16's hub)."""
    try:
        run_in_process(["hub", "--help"], {})
    except StepFailed:
        return False
    return True


@pytest.fixture(
    scope="module",
    params=[
        (4, "direct"),
        (4, "both"),
        pytest.param((22, "direct"), marks=pytest.mark.slow),
        pytest.param((22, "hub"), marks=pytest.mark.slow),
    ],
    ids=lambda p: f"{p[0]}-members-{p[1]}",
)
def told(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> CouncilRun:
    """The scale story told on the first N members over a route; every process stopped
    afterwards. The hub routes need the hub's commands."""
    size, route = request.param
    if route != "direct" and not hub_commands():
        pytest.skip("this build has no hub commands (passerelle hub)")
    members = council_cast.MEMBERS[:size]
    seen: list[Council] = []
    result = tell(
        tmp_path_factory.mktemp(f"council{size}{route}"),
        members,
        say=lambda _: None,
        route=route,
        run=run_in_process,
        serial=True,
        keep=seen.append,
    )
    for node in seen[0].nodes.values():  # never a process left behind
        assert not node.api.running
        assert not node.federation.running
    return result


def chapter(told: CouncilRun, number: int) -> list[str]:
    """The failed checks of step ``number`` (or the error that cut it short)."""
    step = told.chapters[number - 1]
    return ([step.error] if step.error else []) + [c.said for c in step.checks if not c.held]


def test_every_member_is_set_up_and_runs_its_processes(told: CouncilRun) -> None:
    assert set(told.plan.full) | set(told.plan.listener_only) == set(told.members)
    # at the end every member runs again: the killed one restarted, the hung one resumed
    listening = [state for state, (_, listener) in told.memory.items() if listener is not None]
    assert sorted(listening) == sorted(told.members)
    serving = [state for state, (api, _) in told.memory.items() if api is not None]
    assert sorted(serving) == sorted(told.plan.full)
    assert len(told.chapters) == 4


def test_a_killed_member_is_gone_and_a_hung_one_accepts_but_never_answers(
    told: CouncilRun,
) -> None:
    assert chapter(told, 1) == []


def test_alerts_from_five_members_reach_every_healthy_member_and_wait_for_the_others(
    told: CouncilRun,
) -> None:
    roles = council_cast.roles(told.members)
    assert chapter(told, 2) == []
    pairs = sum(1 for issuer in roles.issuers for at in roles.healthy if at != issuer)
    assert len(told.figures.alert_delivery_s) == pairs


def test_every_healthy_member_asks_every_other_and_the_absent_ones_are_reported(
    told: CouncilRun,
) -> None:
    roles = council_cast.roles(told.members)
    assert chapter(told, 3) == []
    askers = [m for m in roles.healthy if m in told.plan.full]
    assert len(told.figures.inspection_s) == len(askers)
    # one audited query per partner per kind, the killed and hung partners included
    partners = len(told.members) - 1
    assert told.figures.partner_queries == len(askers) * partners * 2


def test_the_killed_and_the_hung_member_catch_up_once_back(told: CouncilRun) -> None:
    assert chapter(told, 4) == []
    assert told.figures.convergence_s is not None


def test_no_alert_message_is_left_undelivered_at_the_end(told: CouncilRun) -> None:
    roles = council_cast.roles(told.members)
    for issuer in roles.issuers:
        database = Database(f"sqlite:///{told.base / issuer / 'passerelle.db'}")
        try:
            waiting = [
                (peer, entry.idempotency_key)
                for peer in told.members
                if peer != issuer
                for entry in outbox_entries(database, peer)
                if entry.idempotency_key.startswith("alert:") and not entry.delivered
            ]
        finally:
            database.dispose()
        assert waiting == [], issuer
    assert told.held


def test_an_unknown_route_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(StepFailed, match="must be one of direct, hub, both"):
        Council(tmp_path, council_cast.MEMBERS[:4], route="carrier pigeon")
    base = ["federation", "demo", "--base", str(tmp_path / "demo")]
    with pytest.raises(StepFailed, match=r"exit 2: .*must be one of"):
        run_in_process([*base, "--states", "22", "--route", "bus"], {})
    with pytest.raises(StepFailed, match=r"exit 2: .*three-node story runs on direct links"):
        run_in_process([*base, "--route", "hub"], {})
    assert not (tmp_path / "demo").exists()  # refused before anything was set up


def test_without_the_hub_commands_the_hub_route_is_refused_before_set_up(tmp_path: Path) -> None:
    if hub_commands():
        pytest.skip("this build has the hub commands: the hub routes run above")
    with (
        Council(
            tmp_path / "council", council_cast.MEMBERS[:4], route="hub", run=run_in_process
        ) as council,
        pytest.raises(StepFailed, match="needs the hub's commands"),
    ):
        council.set_up()
    assert not (tmp_path / "council").exists()


def test_a_council_needs_members_of_the_council(tmp_path: Path) -> None:
    with pytest.raises(StepFailed, match="BEL"):
        Council(tmp_path, ("MAR", "DZA", "TUN", "BEL"))
