"""``passerelle sltd``: the stolen/lost travel documents registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from passerelle.cli.common import PurposeOption, node_for_cli, print_json
from passerelle.cli.loading import run_load
from passerelle.node import Node, local_operator
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
    run_load(SltdRegistry(), file, as_json=as_json)


@sltd_app.command("check")
def check(
    state: Annotated[str, typer.Argument(help="Issuing state (ISO 3166-1 alpha-3 or ICAO).")],
    number: Annotated[str, typer.Argument(help="Document number.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable answer.")] = False,
    purpose: PurposeOption = "border control: document check",
) -> None:
    """Is this document reported stolen, lost, revoked or invalidated? Exit 1 on a hit."""
    registry = SltdRegistry()
    with node_for_cli() as node, node.database.write() as session:
        matches = registry.lookup(session, state, number)
        _audit_search(
            node,
            session,
            state,
            number,
            purpose,
            {"hit": bool(matches), "records": [m.as_dict() for m in matches]},
        )
    best = matches[0] if matches else None
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
        typer.echo(f"no hit: {state.upper()} {number.upper()} is not reported")
    else:
        note = {
            "exact": "",
            "lookalike": f" (registered as {best.document_number}: O/0, I/1 read alike)",
            "truncated_number": f" (registered with the full number {best.document_number})",
        }[best.match]
        typer.echo(
            f"HIT: {best.issuing_state} {number.upper()} reported {best.status} "
            f"by {best.reported_by} on {best.reported_on.isoformat()}{note}"
        )
    raise typer.Exit(1 if best else 0)


@sltd_app.command("history")
def history(
    state: Annotated[str, typer.Argument(help="Issuing state.")],
    number: Annotated[str, typer.Argument(help="Document number.")],
    purpose: PurposeOption = "registry management",
) -> None:
    """Every version of a document's record, oldest first (one JSON object per line)."""
    registry = SltdRegistry()
    with node_for_cli() as node, node.database.write() as session:
        rows = registry.history(session, state, number)
        _audit_search(node, session, state, number, purpose, {"versions": [r.id for r in rows]})
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


def _audit_search(
    node: Node, session: Session, state: str, number: str, purpose: str, result: dict[str, Any]
) -> None:
    """Record an SLTD search by the local operator in the search's own transaction."""
    node.audit.record(
        session,
        actor=local_operator(),
        action="sltd.search",
        purpose=purpose,
        at=node.clock(),
        query={"issuing_state": state.upper(), "document_number": number.upper()},
        result=result,
    )
