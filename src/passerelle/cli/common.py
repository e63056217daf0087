"""What every CLI command shares: settings, opening the node, errors and JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from passerelle.exc import ConfigurationError, InvalidInput, PasserelleError
from passerelle.keyring import KeyMissing, NodeKeyExists, NotTheNodesKey
from passerelle.node import Node, open_node
from passerelle.records.text import BIDI_CONTROLS, ZERO_WIDTH, visible
from passerelle.settings import Settings, load_settings
from passerelle.store.audit import AuditKeyMissing
from passerelle.store.db import Database, DatabaseNotReady
from passerelle.store.private_files import private_folder

__all__ = [
    "KEY_EXIT",
    "PurposeOption",
    "cli_errors",
    "database_for_cli",
    "fail",
    "node_for_cli",
    "print_json",
    "read_json_object",
    "say",
]

PurposeOption = Annotated[
    str,
    typer.Option(
        "--purpose", help="Why this search is made (required; recorded in the audit trail)."
    ),
]


def say(text: str, *, err: bool = False) -> None:
    """Print a line that may hold stored text (a name, a remark, a reason): its control
    characters escaped and its direction or zero-width characters shown as ``<U+202E>``
    (``records.text.visible``), so that nothing stored reaches the terminal as a command
    (an ANSI sequence) or reorders the line unseen."""
    typer.echo(visible(text), err=err)


def fail(message: str, *, code: int = 2) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    say(f"passerelle: {message}", err=True)
    raise typer.Exit(code)


KEY_EXIT = 4
"""Exit code when this host lacks one of the node's keys, or holds another than the node's
(``passerelle.keyring``), or the audit key does not match the audit records."""


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn Passerelle errors into one-line exits: a key missing or not the node's 4,
    settings or database not ready 3, bad input 2."""
    try:
        yield
    except (AuditKeyMissing, KeyMissing, NotTheNodesKey, NodeKeyExists) as exc:
        fail(str(exc), code=KEY_EXIT)
    except InvalidInput as exc:
        fail(f"{exc.field}: {exc.reason}")
    except (DatabaseNotReady, ConfigurationError) as exc:
        fail(str(exc), code=3)
    except PasserelleError as exc:
        fail(str(exc))


@contextmanager
def node_for_cli(*, migrated: bool = True, writing: bool = True) -> Iterator[Node]:
    """Open the node for one command, turning Passerelle errors into clear exits.

    A key this host lacks, or holds in another version than the node's, exits with
    ``KEY_EXIT`` (4), naming the file and what provides it (``passerelle.keyring``).
    ``writing=False`` (``audit verify``) adopts no fingerprint.
    """
    with cli_errors():
        settings = load_settings()
        with open_node(settings, migrated=migrated, writing=writing) as node:
            yield node


@contextmanager
def database_for_cli() -> Iterator[tuple[Settings, Database]]:
    """The settings and the node's database alone, for the commands that set a node up
    (``db upgrade``, ``keys init``): no key is needed to open it."""
    with cli_errors():
        settings = load_settings()
        private_folder(settings.home)
        database = Database(settings.effective_database_url)
        try:
            yield settings, database
        finally:
            database.dispose()


_JSON_ESCAPED = str.maketrans(
    {
        c: f"\\u{ord(c):04x}"
        for c in [*map(chr, range(0x7F, 0xA0)), "\u2028", "\u2029", *BIDI_CONTROLS, *ZERO_WIDTH]
    }
)


def print_json(value: Any) -> None:
    """``value`` as one line of JSON; besides the C0 controls JSON always escapes, the C1
    controls, line separators, direction and zero-width characters are written as ``\\uXXXX``
    escapes: the same JSON to a parser, nothing a terminal acts on."""
    typer.echo(json.dumps(value, ensure_ascii=False, default=str).translate(_JSON_ESCAPED))


def read_json_object(path: Path | None, *, what: str) -> dict[str, Any]:
    """One JSON object from ``path`` or stdin; a usage error (exit 2) naming what is wrong."""
    if path is None and sys.stdin.isatty():
        fail(f"give {what} as JSON with --file PATH or on stdin")
    try:
        text = path.read_text(encoding="utf-8") if path else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"input: cannot read {path or 'stdin'}: {exc}")
    if not text.strip():
        fail("input: no JSON object given")
    try:
        record: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"input: is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    if not isinstance(record, dict):
        fail(f"input: must be one JSON object ({what})")
    return record
