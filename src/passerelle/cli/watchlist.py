"""``passerelle watchlist``: the persons on the node's watchlist.

Exit codes: 0 done, 1 the person is not on the watchlist or a file line was
rejected, 2 a usage error or bad input (the message names the field), 3 the
database is not ready. Every change and every search is in the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import (
    PurposeOption,
    fail,
    node_for_cli,
    print_json,
    read_json_object,
    say,
)
from passerelle.cli.loading import run_load
from passerelle.services.watchlist import WatchlistKeeping
from passerelle.store.audit import Actor
from passerelle.store.watchlist import WatchlistPersonView, WatchlistRegistry
from passerelle.wiring import watchlist_searches

__all__ = ["watchlist_app"]

watchlist_app = typer.Typer(
    help="Persons wanted, banned from travel, missing or under alert.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
InputOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        help="A JSON object in the watchlist file format (default: read stdin).",
        dir_okay=False,
    ),
]


def _show(person: WatchlistPersonView) -> None:
    """Print a person for an operator."""
    valid = person.valid_until.isoformat() if person.valid_until else "no end date"
    say(f"{person.id}: {person.category}, {person.status}")
    for name in person.names:
        say(f"  name:          {name}")
    say(f"  birth date:    {person.birth_date or 'unknown'}")
    say(f"  nationalities: {', '.join(person.nationalities) or 'unknown'}")
    say(f"  sex:           {person.sex or 'unknown'}")
    say(f"  issued by:     {person.issued_by}, valid until {valid}")
    if person.restricted_matter is not None:
        say(f"  partners:      never shared ({person.restricted_matter} matter)")
    elif not person.shareable:
        say("  partners:      never shared (marked not shareable)")
    say(f"  updated:       {person.updated_at.isoformat()}")
    if person.withdrawn_at:
        say(f"  withdrawn:     {person.withdrawn_at.isoformat()}")


@watchlist_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="JSON Lines file, one person per line.")],
    as_json: JsonOption = False,
) -> None:
    """Load watchlist persons; repeats change nothing, changed content updates the person."""
    run_load(WatchlistRegistry(), file, permission=Permission.MANAGE_WATCHLIST, as_json=as_json)


@watchlist_app.command("add")
def add(file: InputOption = None) -> None:
    """Put a new person on the watchlist and print it as JSON; refuses an existing id."""
    with node_for_cli() as node:
        entry = WatchlistRegistry().parse(read_json_object(file, what="one watchlist file line"))
        person = WatchlistKeeping(node).add(_keeper(), entry)
    print_json(person.as_dict())


@watchlist_app.command("update")
def update(file: InputOption = None) -> None:
    """Replace a person's content (same id) and print it as JSON; exit 1 for an unknown id."""
    with node_for_cli() as node:
        entry = WatchlistRegistry().parse(read_json_object(file, what="one watchlist file line"))
        person = WatchlistKeeping(node).update(_keeper(), entry)
    if person is None:
        fail(f"id: no watchlist person has id {entry.id!r}", code=1)
    print_json(person.as_dict())


@watchlist_app.command("withdraw")
def withdraw(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="The person's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")],
    as_json: JsonOption = False,
) -> None:
    """Take a person off the active watchlist; the reason goes into the audit trail."""
    with node_for_cli() as node:
        person = WatchlistKeeping(node).withdraw(_keeper(), person_id, reason)
    if person is None:
        fail(f"id: no watchlist person has id {person_id.strip()!r}", code=1)
    if as_json:
        print_json(person.as_dict())
    else:
        say(f"{person.id}: withdrawn at {_when(person.withdrawn_at)}")


@watchlist_app.command("show")
def show(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="The person's id.")],
    purpose: PurposeOption,
    as_json: JsonOption = False,
) -> None:
    """Show one watchlist person (active or withdrawn); exit 1 when there is none."""
    with node_for_cli() as node:
        found = watchlist_searches(node).person(
            local_operator(Permission.SEARCH_WATCHLIST), purpose, person_id
        )
    if found is None:
        fail(f"id: no watchlist person has id {person_id.strip()!r}", code=1)
    person, _ = found
    if as_json:
        print_json(person.as_dict())
    else:
        _show(person)


def _keeper() -> Actor:
    """The local operator, as the analyst who keeps the watchlist."""
    return local_operator(Permission.MANAGE_WATCHLIST)


def _when(at: datetime | None) -> str:
    return at.isoformat() if at is not None else "?"
