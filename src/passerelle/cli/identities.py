"""``passerelle identities link``: run the multiple-identity linkage over the node's records.

Prints how many identity records were read, how many pairs the model proposed at the
threshold, and what the run changed: new yellow links, yellow links rescored, resolved
links left as the analysts decided. Every link is a lead for an analyst, never a
decision. Exit codes: 2 a bad option (the message names it), 3 the database is not ready.
"""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import node_for_cli, print_json, say

__all__ = ["identities_app"]

identities_app = typer.Typer(
    help="Multiple-identity links: records of the node that are probably one person.",
    no_args_is_help=True,
)


@identities_app.command("link")
def link(
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", help="duckdb or spark (default: PASSERELLE_LINKAGE_ENGINE, duckdb)."
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Least match probability proposed (default 0.5)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Run the linkage model once and store its pairs as yellow links (audited)."""
    from passerelle.wiring import identity_linkage

    with node_for_cli() as node:
        report = identity_linkage(node).run(
            local_operator(Permission.REVIEW_HITS), engine=engine, threshold=threshold
        )
    if as_json:
        print_json(report.as_dict())
        return
    outcome = report.outcome
    say(
        f"run {report.run_id} ({report.engine}): {report.records} identity records, "
        f"{report.pairs} pairs at or above {report.threshold:g}"
    )
    say(
        f"  {outcome.new} new yellow links, {outcome.rescored} yellow links rescored, "
        f"{outcome.kept_resolved} resolved links kept as decided"
    )
