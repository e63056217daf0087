"""``passerelle audit``: proving the audit trail intact."""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.cli.common import KEY_EXIT, node_for_cli, print_json

__all__ = ["audit_app"]

audit_app = typer.Typer(help="The node's tamper-evident audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable verdict.")] = False,
) -> None:
    """Walk the audit chain: exit 0 when intact, 1 naming the first broken record, 4 when
    the audit key is missing or does not match the records (never creates a key)."""
    with node_for_cli(create_audit_key=False) as node, node.database.read() as session:
        verdict = node.audit.verify(session)
    if as_json:
        print_json(
            {
                "intact": verdict.intact,
                "records": verdict.records,
                "first_broken": verdict.first_broken,
                "reason": verdict.reason,
                "redacted_payloads": verdict.redacted_payloads,
                "key_mismatch": verdict.key_mismatch,
            }
        )
    elif verdict.intact:
        typer.echo(
            f"audit chain intact: {verdict.records} records"
            + (
                f" ({verdict.redacted_payloads} payloads removed by retention)"
                if verdict.redacted_payloads
                else ""
            )
        )
    elif verdict.key_mismatch:
        typer.echo(f"passerelle: {verdict.reason}", err=True)
    else:
        typer.echo(
            f"audit chain BROKEN at record {verdict.first_broken}: {verdict.reason}", err=True
        )
    raise typer.Exit(0 if verdict.intact else KEY_EXIT if verdict.key_mismatch else 1)
