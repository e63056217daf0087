"""``passerelle federation demo``: nodes as separate processes over mutual TLS, a story told.

Without ``--states`` (or with 3): MAR, BEL and TUN set up by commands in
``--base``, each run as two processes, and the scripted story of
``federation_demo.story``. With ``--states N`` (4 to 22): the scale story of
``federation_demo.council_story`` on the first N members of the Council of
Arab Interior Ministers, with its figures. ``--keep`` leaves the nodes running
until Ctrl-C. Exit 0 when every expectation held, 1 otherwise.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from passerelle.cli.common import fail, say

if TYPE_CHECKING:
    from passerelle.federation_demo import Mesh

__all__ = ["demo_command"]


def demo_command(
    base: Annotated[
        Path, typer.Option("--base", help="Folder of the nodes (emptied first if a demo's).")
    ] = Path("var") / "federation-demo",
    keep: Annotated[
        bool,
        typer.Option("--keep", help="Leave the nodes running afterwards, until Ctrl-C."),
    ] = False,
    states: Annotated[
        int,
        typer.Option(
            "--states",
            min=3,
            max=22,
            help="3: the three-node story (MAR, BEL, TUN); 4 to 22: the scale story on the "
            "first N members of the Council of Arab Interior Ministers.",
        ),
    ] = 3,
    route: Annotated[
        str,
        typer.Option(
            "--route",
            help="Scale story: direct links, through a hub, or both (every second partner "
            "through the hub); hub and both need the hub's commands (passerelle hub).",
        ),
    ] = "direct",
) -> None:
    """Run the nodes as separate processes over mutual TLS and play a federation story:
    MAR, BEL and TUN (the default), or --states N members at scale.

    Exit 0 when every expectation held, 1 otherwise (the failures are named).
    """
    from passerelle.federation_demo import StepFailed
    from passerelle.federation_demo.mesh import check_route

    try:
        check_route(route)
    except StepFailed as exc:
        fail(str(exc))  # a usage error: exit 2
    if states == 3 and route != "direct":
        fail(f"--route: the three-node story runs on direct links, not {route!r} (see --states)")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # the nodes are stopped on the way out
    if states > 3:
        _scale_demo(base, states, route=route, keep=keep)
    from passerelle.federation_demo import ThreeNodes
    from passerelle.federation_demo.story import Story

    say(f"Setting up three nodes in {base.resolve()}, each command as an operator types it:")
    with ThreeNodes(base, say=typer.echo) as nodes:
        try:
            nodes.set_up()
            say("Starting each node's listener and API as separate processes:")
            nodes.start()
        except StepFailed as exc:
            fail(str(exc), code=1)
        chapters = Story(nodes, say=typer.echo).run()
        checks = [check for chapter in chapters for check in chapter.checks]
        failed = [str(chapter.number) for chapter in chapters if not chapter.held]
        say("")
        say(
            f"{sum(c.held for c in checks)} of {len(checks)} expectations held, "
            + (
                f"{len(chapters) - len(failed)} of {len(chapters)} steps held: "
                f"step(s) {', '.join(failed)} FAILED"
                if failed
                else f"every step of the story held ({len(chapters)} steps)"
            )
        )
        if keep:
            _keep_running(nodes)
    raise typer.Exit(1 if failed else 0)


def _scale_demo(base: Path, states: int, *, route: str, keep: bool) -> NoReturn:
    """The scale story on the first ``states`` Council members; the set-up commands run
    through the command line in this process (``cli.in_process``: some 550 commands for 22
    members), the members' servers as separate processes."""
    from passerelle.cli.in_process import run_in_process
    from passerelle.federation_demo import StepFailed
    from passerelle.federation_demo.council_cast import MEMBERS
    from passerelle.federation_demo.council_run import tell

    try:
        told = tell(
            base,
            MEMBERS[:states],
            say=typer.echo,
            route=route,
            run=run_in_process,
            serial=True,
            keep=_keep_running if keep else None,
        )
    except StepFailed as exc:
        fail(str(exc), code=1)
    raise typer.Exit(0 if told.held else 1)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _keep_running(nodes: Mesh) -> None:
    """Print the nodes' addresses and an analyst's login on each, then wait for Ctrl-C."""
    say("")
    say(f"The nodes keep running (logins also in {nodes.base / 'logins.json'}):")
    for state, node in nodes.nodes.items():
        login = nodes.logins[(state, "analyst")]
        say(
            f"  {state}  {node.api_url}/  (federation {node.federation_url})  "
            f"{login.name}  {login.password}"
        )
    say("Ctrl-C stops them.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        say("stopping the nodes")
