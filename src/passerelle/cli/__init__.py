"""The ``passerelle`` command line: one sub-command group per domain.

Exit codes follow the contracts in DESIGN.md: 0 all good, 1 a finding or a
hit the caller must act on, 2 a usage error (bad option, unreadable input).
"""

from __future__ import annotations

import typer

from passerelle.cli.alerts import alert_app
from passerelle.cli.audit import audit_app
from passerelle.cli.crossings import crossing_app, stay, stay_rule_app
from passerelle.cli.db import db_app
from passerelle.cli.demo import demo
from passerelle.cli.doc import doc_app
from passerelle.cli.face import face_app
from passerelle.cli.federation import federation_app
from passerelle.cli.finger import finger_app
from passerelle.cli.node import node_app
from passerelle.cli.peer import peer_app
from passerelle.cli.retention import retention_app
from passerelle.cli.screen import screen
from passerelle.cli.serve import serve
from passerelle.cli.sltd import sltd_app
from passerelle.cli.users import token_app, user_app
from passerelle.cli.watchlist import watchlist_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="passerelle",
    help="Passerelle national node: travel-document checks, registries, screening, exchange.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(doc_app, name="doc")
app.add_typer(face_app, name="face")
app.add_typer(finger_app, name="finger")
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(sltd_app, name="sltd")
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(alert_app, name="alert")
app.add_typer(crossing_app, name="crossing")
app.command("stay")(stay)
app.command("screen")(screen)
app.add_typer(stay_rule_app, name="stay-rule")
app.add_typer(retention_app, name="retention")
app.command("demo")(demo)
app.command("serve")(serve)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(node_app, name="node")
app.add_typer(federation_app, name="federation")
app.add_typer(peer_app, name="peer")


def main() -> None:
    """Console-script entry point."""
    app()
