"""``passerelle keys``: the node's keys, provisioned once and shared by its hosts.

``keys init`` makes the audit, biometric, audit-checkpoint and sealing keys a new node
lacks (in
``PASSERELLE_KEYS_DIR``, owner-only) and records every key's fingerprint in the
database; it never makes a key the node already has (another host's: copy the key
folder instead). ``keys show`` compares this host's keys with the node's fingerprints.
See ``passerelle.keyring`` and docs/operator-guide.md ("Keys").

Exit codes: 0 done (``show``: every key the node's), 1 ``show`` found a key missing or
not the node's, 3 the settings or the database are not ready (``db upgrade`` first),
4 a key refused (missing, not the node's, or one the node already has elsewhere).
"""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.cli.common import database_for_cli, print_json
from passerelle.keyring import host_keys
from passerelle.node import utc_now
from passerelle.store.node_keys import recorded_fingerprints
from passerelle.wiring.node_keys import provision_keys

__all__ = ["keys_app"]

keys_app = typer.Typer(
    help="The node's keys: made once by `keys init`, copied to every other host.",
    no_args_is_help=True,
)


@keys_app.command("init")
def init() -> None:
    """Make the keys a new node lacks (audit, biometric, audit checkpoint, sealing) and
    record their fingerprints."""
    with database_for_cli() as (settings, database):
        database.require_migrated()
        done = provision_keys(settings, database, at=utc_now())
    for key in done.held:
        if key.fingerprint is None:
            typer.echo(f"{key.name}: none ({key.path}; made by `passerelle node init`)")
            continue
        what = "created" if key.name in done.created else "kept"
        typer.echo(f"{key.name}: {what} {key.path} (fingerprint {key.fingerprint[:16]})")
    if done.recorded:
        typer.echo(f"fingerprints recorded in the database: {', '.join(done.recorded)}")
    typer.echo(
        f"every other host of this node needs a copy of {settings.keys_dir} "
        "(PASSERELLE_KEYS_DIR); keep one offline with the database backups"
    )


@keys_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Compare this host's keys with the fingerprints the database records for the node."""
    with database_for_cli() as (settings, database):
        database.require_migrated()
        held = host_keys(settings)
        with database.read() as session:
            recorded = recorded_fingerprints(session)
    rows = []
    for key in held:
        node_has = recorded.get(key.name)
        if key.fingerprint is None:
            verdict = "missing" if key.name in ("audit", "biometric") or node_has else "none"
        elif node_has is None:
            verdict = "not recorded"
        else:
            verdict = "the node's" if node_has == key.fingerprint else "NOT the node's"
        rows.append(
            {
                "key": key.name,
                "file": str(key.path),
                "fingerprint": key.fingerprint,
                "recorded": node_has,
                "verdict": verdict,
            }
        )
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            mine = str(row["fingerprint"] or "-")[:16]
            typer.echo(f"{row['key']}: {row['verdict']} ({row['file']}, fingerprint {mine})")
    raise typer.Exit(1 if any(r["verdict"] in ("missing", "NOT the node's") for r in rows) else 0)
