"""The ``passerelle`` command line: one sub-command group per domain.

Exit codes follow docs/operator-guide.md ("Exit codes"): 0 all good, 1 a finding or a
hit the caller must act on, 2 a usage error (bad option, unreadable input).

A command imports only what it needs: ``passerelle doc check`` at a booth must
not wait for the face model, the database layer and the web stack to load.
``main`` builds the command line with the one group named on it (all of them
for ``--help`` or an unknown name); :data:`app` holds every group, for tests
and documentation.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Iterable

import typer

from passerelle.cli.arguments import CheckedArguments

__all__ = ["COMMANDS", "app", "build_app", "main"]

COMMANDS: dict[str, tuple[str, str, bool]] = {
    "doc": ("passerelle.cli.doc", "doc_app", True),
    "chip": ("passerelle.cli.chip", "chip_app", True),
    "face": ("passerelle.cli.face", "face_app", True),
    "finger": ("passerelle.cli.finger", "finger_app", True),
    "db": ("passerelle.cli.db", "db_app", True),
    "audit": ("passerelle.cli.audit", "audit_app", True),
    "sltd": ("passerelle.cli.sltd", "sltd_app", True),
    "watchlist": ("passerelle.cli.watchlist", "watchlist_app", True),
    "alert": ("passerelle.cli.alerts", "alert_app", True),
    "crossing": ("passerelle.cli.crossings", "crossing_app", True),
    "stay": ("passerelle.cli.crossings", "stay", False),
    "screen": ("passerelle.cli.screen", "screen", False),
    "stay-rule": ("passerelle.cli.crossings", "stay_rule_app", True),
    "retention": ("passerelle.cli.retention", "retention_app", True),
    "analytics": ("passerelle.cli.analytics", "analytics_app", True),
    "demo": ("passerelle.cli.demo", "demo", False),
    "serve": ("passerelle.cli.serve", "serve", False),
    "user": ("passerelle.cli.users", "user_app", True),
    "token": ("passerelle.cli.users", "token_app", True),
    "node": ("passerelle.cli.node", "node_app", True),
    "keys": ("passerelle.cli.keys", "keys_app", True),
    "federation": ("passerelle.cli.federation", "federation_app", True),
    "peer": ("passerelle.cli.peer", "peer_app", True),
    "hub": ("passerelle.cli.hub", "hub_app", True),
    "identities": ("passerelle.cli.identities", "identities_app", True),
}
"""Command name: (module, attribute, whether it is a group of sub-commands)."""


def _group() -> None:
    pass


def build_app(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The command line with the commands ``names`` (importing only their modules)."""
    built = typer.Typer(
        name="passerelle",
        help="Passerelle national node: travel-document checks, registries, screening, exchange.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=CheckedArguments,  # no control characters in any word typed (cli.arguments)
    )
    built.callback()(_group)  # a group even with one command: ``passerelle stay ...``
    for name in names:
        module, attribute, group = COMMANDS[name]
        target = getattr(importlib.import_module(module), attribute)
        if group:
            built.add_typer(target, name=name)
        else:
            built.command(name)(target)
    return built


@functools.cache
def _whole_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole command line, built on first use (``main`` does not need it)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _whole_app()


def main() -> None:
    """Console-script entry point: only the command named on the line is loaded."""
    named = sys.argv[1] if len(sys.argv) > 1 else None
    build_app([named] if named in COMMANDS else COMMANDS)()
