"""``passerelle sltd``: the stolen/lost travel documents registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import PurposeOption, node_for_cli, print_json, say
from passerelle.cli.loading import run_load
from passerelle.services import SltdSearches
from passerelle.store.sltd import SltdRegistry

__all__ = ["sltd_app"]

sltd_app = typer.Typer(
    help="Stolen, lost, revoked and invalidated documents.", no_args_is_help=True
)


@sltd_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="JSON Lines file, one document per line.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable report.")] = False,
) -> None:
    """Load stolen/lost document records; repeats change nothing, status changes are versioned."""
    run_load(SltdRegistry(), file, permission=Permission.MANAGE_SLTD, as_json=as_json)


@sltd_app.command("check")
def check(
    state: Annotated[str, typer.Argument(help="Issuing state (ISO 3166-1 alpha-3 or ICAO).")],
    number: Annotated[str, typer.Argument(help="Document number.")],
    purpose: PurposeOption,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable answer.")] = False,
) -> None:
    """Is this document reported stolen, lost, revoked or invalidated? Exit 1 on a hit."""
    with node_for_cli() as node:
        searched = SltdSearches(node).check(
            local_operator(Permission.SEARCH_SLTD), purpose, state, number
        )
    best = searched.best
    answer = {
        "hit": best is not None,
        "status": best.status if best else None,
        "reported_by": best.reported_by if best else None,
        "reported_on": best.reported_on.isoformat() if best else None,
        "document_number": best.document_number if best else None,
        "match": best.match if best else None,
    }
    if as_json:
        print_json(answer)
    elif best is None:
        say(f"no hit: {state.upper()} {number.upper()} is not reported")
    else:
        note = {
            "exact": "",
            "lookalike": f" (registered as {best.document_number}: O/0, I/1 read alike)",
            "truncated_number": f" (registered with the full number {best.document_number})",
        }[best.match]
        say(
            f"HIT: {best.issuing_state} {number.upper()} reported {best.status} "
            f"by {best.reported_by} on {best.reported_on.isoformat()}{note}"
        )
    raise typer.Exit(1 if best else 0)


@sltd_app.command("history")
def history(
    state: Annotated[str, typer.Argument(help="Issuing state.")],
    number: Annotated[str, typer.Argument(help="Document number.")],
    purpose: PurposeOption,
) -> None:
    """Every version of a document's record, oldest first (one JSON object per line)."""
    with node_for_cli() as node:
        rows = SltdSearches(node).history(
            local_operator(Permission.SEARCH_SLTD), purpose, state, number
        )
    for row in rows:
        print_json(
            {
                "version": row.version,
                "status": row.status,
                "reported_on": row.reported_on.isoformat(),
                "reported_by": row.reported_by,
                "recorded_at": row.recorded_at.isoformat(),
                "superseded_at": row.superseded_at.isoformat() if row.superseded_at else None,
            }
        )
    raise typer.Exit(0 if rows else 1)
