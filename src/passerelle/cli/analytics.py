"""``passerelle analytics``: the daily counts, recounted from the rows and checked.

The counts are the dashboard's (crossings, inspections) and the risk page's
(inspection outcomes, :mod:`passerelle.store.outcomes`); both commands cover all three.

``rebuild`` recounts the days from ``--since`` (by default the first day no
retention run can have thinned out: the counts of earlier days outlive their rows)
and is audited (``analytics.rebuild``); ``--all`` recounts every day from what is
still stored. ``verify`` compares the counts with a scan of the rows over the same
days and exits 1 when they disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import node_for_cli, print_json
from passerelle.node import Node
from passerelle.store.rollups import (
    first_whole_day,
    rebuild_audited,
    verify_rollups,
)
from passerelle.wiring import retention_policy

__all__ = ["analytics_app"]

analytics_app = typer.Typer(
    help="The dashboard's and the risk page's daily counts.", no_args_is_help=True
)

Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="First UTC day (YYYY-MM-DD) recounted; default: the first day retention left whole.",
    ),
]
Every = Annotated[
    bool,
    typer.Option("--all", help="Every day still stored (the counts of deleted rows are lost)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable report.")]


def _first_day(node: Node, since: str | None, every: bool) -> date | None:
    if every:
        if since is not None:
            raise typer.BadParameter("give --since or --all, not both", param_hint="--since")
        return None
    if since is None:
        return first_whole_day(retention_policy(node.settings), node.clock())
    try:
        return date.fromisoformat(since)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{since!r} is not a day as YYYY-MM-DD", param_hint="--since"
        ) from exc


@analytics_app.command("rebuild")
def rebuild(since: Since = None, every: Every = False, as_json: AsJson = False) -> None:
    """Recount the daily counts from the crossings and inspections stored (audited)."""
    with node_for_cli() as node:
        first = _first_day(node, since, every)
        now = node.clock()
        with node.database.write() as session:
            report, seq = rebuild_audited(
                session,
                node.audit,
                since=first,
                actor=local_operator(Permission.MANAGE_NODE),
                now=now,
            )
    if as_json:
        print_json(report.as_dict() | {"audit_seq": seq})
        return
    days = f"from {first.isoformat()}" if first else "every day"
    typer.echo(
        f"daily counts rebuilt ({days}, audit record {seq}): {report.crossings} crossings in"
        f" {report.crossing_rows} rows, {report.inspections} inspections in"
        f" {report.inspection_rows} rows, {report.outcomes} inspection outcomes in"
        f" {report.outcome_rows} rows"
    )


@analytics_app.command("verify")
def verify(since: Since = None, every: Every = False, as_json: AsJson = False) -> None:
    """Compare the daily counts with a scan of the rows; exit 1 when they disagree."""
    with node_for_cli() as node:
        first = _first_day(node, since, every)
        with node.database.read() as session:
            disagreements = verify_rollups(session, since=first)
    if as_json:
        print_json(
            {
                "since": first.isoformat() if first else None,
                "agree": not disagreements,
                "disagreements": [d.as_dict() for d in disagreements],
            }
        )
    else:
        for d in disagreements:
            typer.echo(f"{d.table} {' '.join(d.key)}: counted {d.counted}, scanned {d.scanned}")
        days = f"from {first.isoformat()}" if first else "every day"
        verdict = "agree with" if not disagreements else f"{len(disagreements)} differ from"
        typer.echo(f"daily counts ({days}) {verdict} the rows")
    if disagreements:
        raise typer.Exit(1)
