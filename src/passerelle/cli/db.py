"""``passerelle db``: the node database's schema."""

from __future__ import annotations

import typer

from passerelle.cli.common import database_for_cli
from passerelle.keyring import KeyMissing
from passerelle.store.audit import AuditKeyMissing, AuditTrail, load_key

__all__ = ["db_app"]

db_app = typer.Typer(help="The node's database.", no_args_is_help=True)


SEALED_HEAD_REVISION = "0014"
"""The schema from which the audit chain head is sealed: ``upgrade`` seals an older head."""


@db_app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the node's database to this version's schema (Alembic).

    Needs no key, and makes none: a new node's keys come next, from ``passerelle keys
    init``; only an old chain head being sealed needs the audit key.
    """
    with database_for_cli() as (settings, database):
        before, after = database.upgrade()
        where = database.safe_url
        key_file = settings.effective_audit_key_file
        if before is not None and before < SEALED_HEAD_REVISION <= (after or ""):
            try:
                audit = AuditTrail(load_key(key_file))
            except AuditKeyMissing:
                raise KeyMissing("audit", key_file, settings) from None
            with database.write() as session:  # a head from before heads were sealed
                if audit.seal_unsealed_head(session):
                    typer.echo(f"{where}: audit chain head sealed with the audit key")
    if before == after:
        typer.echo(f"{where}: already at schema {after}")
    else:
        typer.echo(f"{where}: migrated from {before or 'empty'} to schema {after}")
    if not key_file.exists():
        typer.echo(
            f"no audit key at {key_file} yet: `passerelle keys init` for a new node; "
            "for another host of a node, copy the node's key folder from its first host",
            err=True,
        )


@db_app.command("status")
def status() -> None:
    """Show the database's schema revision and the one this version needs."""
    with database_for_cli() as (_, database):
        current, head = database.current_revision(), database.head_revision()
        typer.echo(f"{database.safe_url}: schema {current or 'none'} (this version: {head})")
    raise typer.Exit(0 if current == head else 1)
