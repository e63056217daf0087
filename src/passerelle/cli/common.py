"""What every CLI command shares: settings, opening the node, errors and JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer

from passerelle.exc import ConfigurationError, InvalidInput, PasserelleError
from passerelle.node import Node, open_node
from passerelle.settings import load_settings
from passerelle.store.db import DatabaseNotReady

__all__ = ["fail", "node_for_cli", "print_json"]


def fail(message: str, *, code: int = 2) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    typer.echo(f"passerelle: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def node_for_cli(*, migrated: bool = True) -> Iterator[Node]:
    """Open the node for one command, turning Passerelle errors into clear exits."""
    try:
        settings = load_settings()
        with open_node(settings, migrated=migrated) as node:
            yield node
    except InvalidInput as exc:
        fail(f"{exc.field}: {exc.reason}")
    except (DatabaseNotReady, ConfigurationError) as exc:
        fail(str(exc), code=3)
    except PasserelleError as exc:
        fail(str(exc))


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, default=str))
