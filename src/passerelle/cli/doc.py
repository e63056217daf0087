"""``passerelle doc check``: ICAO 9303 MRZ checks from the command line (docs/documents.md)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from passerelle.cli.render import render_document_check
from passerelle.documents import DocumentCheck, check_mrz, split_documents

__all__ = ["doc_app", "parse_as_of"]

doc_app = typer.Typer(help="Travel-document checks (ICAO Doc 9303 MRZ).", no_args_is_help=True)


def parse_as_of(value: str | None) -> date:
    """The day a check is made as of: ``YYYY-MM-DD``, or today when not given."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD", param_hint="--as-of"
        ) from None


@doc_app.command("check")
def check(
    lines: Annotated[
        list[str] | None,
        typer.Argument(
            help="MRZ lines of one document. Without them the MRZ is read from standard "
            "input; a blank line separates documents.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Check expiry (and birth-date centuries) as of YYYY-MM-DD."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per document, one per line.")
    ] = False,
) -> None:
    """Check travel documents' MRZ: layout, check digits, dates, states, forgery indicators.

    Exit code 0 when every document is well formed, 1 when any is not, 2 on usage errors.
    """
    day = parse_as_of(as_of)
    if lines:
        texts = split_documents("\n".join(lines))
    elif sys.stdin is None or sys.stdin.isatty():
        raise typer.BadParameter("give the MRZ lines as arguments or on standard input")
    else:
        texts = split_documents(sys.stdin.read())
    if not texts:
        raise typer.BadParameter("no MRZ text was given", param_hint="LINES")
    results: list[DocumentCheck] = [check_mrz(text, as_of=day) for text in texts]
    if as_json:
        for result in results:
            typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        console = Console(highlight=False)
        for index, result in enumerate(results):
            if index:
                console.print()
            render_document_check(console, result, as_of=day)
    raise typer.Exit(0 if all(r.well_formed for r in results) else 1)
