"""``passerelle db``: the node database's schema."""

from __future__ import annotations

import typer

from passerelle.cli.common import node_for_cli

__all__ = ["db_app"]

db_app = typer.Typer(help="The node's database.", no_args_is_help=True)


SEALED_HEAD_REVISION = "0014"
"""The schema from which the audit chain head is sealed: ``upgrade`` seals an older head."""


@db_app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the node's database to this version's schema (Alembic)."""
    with node_for_cli(migrated=False) as node:
        before, after = node.database.upgrade()
        where = node.database.safe_url
        if before is not None and before < SEALED_HEAD_REVISION <= (after or ""):
            with node.database.write() as session:  # a head from before heads were sealed
                if node.audit.seal_unsealed_head(session):
                    typer.echo(f"{where}: audit chain head sealed with the audit key")
    if before == after:
        typer.echo(f"{where}: already at schema {after}")
    else:
        typer.echo(f"{where}: migrated from {before or 'empty'} to schema {after}")


@db_app.command("status")
def status() -> None:
    """Show the database's schema revision and the one this version needs."""
    with node_for_cli(migrated=False) as node:
        current, head = node.database.current_revision(), node.database.head_revision()
        typer.echo(f"{node.database.safe_url}: schema {current or 'none'} (this version: {head})")
    raise typer.Exit(0 if current == head else 1)
