"""``passerelle demo``: a demo node with a generated world, users and the web pages; or a tour."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.rule import Rule

from passerelle.access import Permission, local_operator
from passerelle.cli.common import database_for_cli, node_for_cli
from passerelle.cli.render import render_document_check
from passerelle.cli.serve import run_server
from passerelle.demo import (
    DEFAULT_SEED,
    DEFAULT_TRAVELLERS,
    DemoWorld,
    SeedReport,
    generate_world,
    seed_node,
    try_commands,
)
from passerelle.demo.accounts import ensure_demo_users
from passerelle.demo.chips import CLONED_CHIP
from passerelle.demo.guide import supervisor_note
from passerelle.demo.plants_identities import plant_links
from passerelle.documents import check_mrz
from passerelle.node import Node, utc_now
from passerelle.wiring.node_keys import provision_keys

__all__ = ["DEMO_DOCUMENTS", "demo", "seed_demo_world"]

DEMO_AS_OF = date(2026, 11, 25)
DEMO_HOME = Path("var") / "demo"
DEMO_STATE = "MAR"
DEMO_TIME_ZONE = "Africa/Casablanca"

DEMO_DOCUMENTS: tuple[tuple[str, str], ...] = (
    (
        "A genuine-looking Moroccan passport (TD3)",
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\n"
        "UM47312852MAR8503024M3107140<<<<<<<<<<<<<<<6",
    ),
    (
        "The same passport, line 2 read with an O for a 0: a reader misread, not a forgery",
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\n"
        "UM47312852MAR85O3024M3107140<<<<<<<<<<<<<<<6",
    ),
    (
        "A Belgian-style identity card with a 12-character document number (TD1 overflow)",
        "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\n"
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ),
    (
        "Check digits recomputed for each field but line 2's composite left as it was",
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\n"
        "UM47312863MAR8503024M3107140<<<<<<<<<<<<<<<6",
    ),
    (
        "A Schengen-style visa (MRV-A) with an impossible date and sex X",
        "V<FRAEL<AMRANI<<YOUSSEF<<<<<<<<<<<<<<<<<<<<<\n"
        "FR01234561MAR9902303X2703017<<<<<<<<<<<<<<<<",
    ),
)


def tour(console: Console) -> None:
    """The scripted showcase of the travel-document checks (no node needed)."""
    console.print(Rule("Passerelle — travel-document checks (ICAO Doc 9303)"))
    console.print(f"Checks made as of {DEMO_AS_OF.isoformat()}.\n")
    for caption, mrz in DEMO_DOCUMENTS:
        console.print(Rule(caption, style="dim"))
        console.print(mrz, style="dim", markup=False)
        render_document_check(console, check_mrz(mrz, as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
        console.print()
    console.print("Try it yourself: passerelle doc check --help")


def demo(
    show_tour: Annotated[
        bool, typer.Option("--tour", help="Only show the document-check showcase, no node.")
    ] = False,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home", help="The demo node's folder (default: PASSERELLE_HOME or var/demo)."
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    travellers: Annotated[
        int, typer.Option("--travellers", min=50, max=200_000, help="Travellers to generate.")
    ] = DEFAULT_TRAVELLERS,
    seed: Annotated[int, typer.Option("--seed", help="The world's random seed.")] = DEFAULT_SEED,
    faces: Annotated[
        bool, typer.Option("--faces/--no-faces", help="Enrol the demo face (dlib, seconds).")
    ] = True,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the node after setting it up.")
    ] = True,
) -> None:
    """Set up a demo node (Morocco, SQLite), load a generated world, create users, serve it.

    The node lives in HOME (a folder of its own: the demo never touches another
    node's data unless PASSERELLE_HOME points there). Running it again reuses
    the world and the logins. ``--tour`` only prints the document-check showcase.
    """
    console = Console(highlight=False)
    if show_tour:
        tour(console)
        return
    folder = (home or Path(os.environ.get("PASSERELLE_HOME") or DEMO_HOME)).resolve()
    os.environ["PASSERELLE_HOME"] = str(folder)  # the served app reads the same settings
    os.environ["PASSERELLE_NODE"] = DEMO_STATE
    os.environ.setdefault("PASSERELLE_TIME_ZONE", DEMO_TIME_ZONE)  # the pages' clock: Morocco's
    with database_for_cli() as (settings, database):  # set up as an operator would
        _, after = database.upgrade()
        made = provision_keys(settings, database, at=utc_now()).created
        console.print(f"Node {DEMO_STATE} in {folder}: schema {after} ({database.safe_url})")
        if made:
            console.print(f"Keys made in {settings.keys_dir}: {', '.join(made)}", markup=False)
    with node_for_cli() as node:
        console.print(
            f"To run the commands below on it: export PASSERELLE_HOME={folder} "
            f"PASSERELLE_NODE={DEMO_STATE}",
            markup=False,
            soft_wrap=True,
        )
        seed_demo_world(node, seed=seed, travellers=travellers, faces=faces, console=console)
        logins = ensure_demo_users(node, by=local_operator(Permission.MANAGE_NODE))
    url = f"http://{host}:{port}/"
    console.print()
    console.print(Rule("Sign in"))
    console.print(f"  {url}   (API: {url}api/v1, OpenAPI: {url}docs)", markup=False)
    for login in logins:
        console.print(f"  {login.role:<10} {login.name:<10} {login.password}", markup=False)
    console.print(
        f"  (kept in {folder / 'demo-logins.json'}; MRZs to paste: "
        f"{folder / 'demo' / 'passports.txt'})",
        markup=False,
    )
    if serve:
        run_server(host, port)


def seed_demo_world(
    node: Node,
    *,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    travellers: int = DEFAULT_TRAVELLERS,
    faces: bool = True,
    console: Console | None = None,
) -> tuple[DemoWorld, SeedReport]:
    """Generate the demo world (``passerelle.demo``), load it into ``node``, print what to try.

    ``as_of`` defaults to the node's today; loading twice stores nothing new.
    """
    out = console or Console(highlight=False)
    day = as_of or node.clock().date()
    world = generate_world(seed, as_of=day, travellers=travellers)
    seeder = local_operator(Permission.MANAGE_WATCHLIST)  # the analyst who keeps the lists
    report = seed_node(node, world, actor=seeder, faces=faces)
    # the planted face is a seeded template, not a photo: filed even without dlib's faces
    links = plant_links(node, world, seeder, faces=True)
    out.print(Rule(f"Demo world (seed {seed}, as of {day.isoformat()}) in {report.folder}"))
    for name, part in (
        ("stolen/lost documents", report.sltd),
        ("watchlist persons", report.watchlist),
        ("crossings", report.crossings),
        ("alerts", report.alerts),
        ("faces", report.faces),
        ("chip files", report.chips),
    ):
        out.print(f"  {name:<22} {part.stored:>6,} stored  {part.unchanged:>6,} already there")
    out.print(f"  {'travellers':<22} {len(world.travellers):>6,} passports in passports.txt")
    out.print(f"  {'identity links':<22} {links.outcome.new:>6,} new yellow links to verify")
    for note in (*report.notes, *report.rejections):
        out.print(f"  note: {note}", markup=False)
    for scenario in world.scenarios:
        out.print()
        out.print(Rule(f"{scenario.title}: expect {scenario.expected.upper()}", style="dim"))
        out.print(scenario.explanation, markup=False)
        out.print(
            f"{scenario.direction} at {scenario.crossing_point}"
            + (" with the demo portrait as live photo" if scenario.live_photo else ""),
            style="dim",
        )
        for command in try_commands(world, scenario, portrait=report.portrait):
            out.print(f"  $ {command}", markup=False, soft_wrap=True)
        chip = report.folder / "chips" / f"{scenario.key}.json"
        if chip.exists():
            out.print(f"  $ passerelle chip verify {chip}", markup=False, soft_wrap=True)
        supervising = supervisor_note(scenario)
        if supervising:
            out.print(supervising, markup=False, style="dim")
    cloned = report.folder / "chips" / f"{CLONED_CHIP}.json"
    if cloned.exists():
        out.print()
        out.print(Rule("A cloned chip behind the clear traveller's page: expect HIT", style="dim"))
        out.print("Another traveller's genuine chip: DG1 is not the printed MRZ.", markup=False)
        out.print(f"  $ passerelle chip verify {cloned}", markup=False, soft_wrap=True)
    return world, report
