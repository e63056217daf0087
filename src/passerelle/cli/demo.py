"""``passerelle demo``: a short scripted showcase of what a node checks today."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.rule import Rule

from passerelle.cli.render import render_document_check
from passerelle.documents import check_mrz

__all__ = ["DEMO_DOCUMENTS", "demo"]

DEMO_AS_OF = date(2026, 11, 25)

DEMO_DOCUMENTS: tuple[tuple[str, str], ...] = (
    (
        "A genuine-looking Moroccan passport (TD3)",
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\n"
        "UM47312852MAR8503024M3107140<<<<<<<<<<<<<<<6",
    ),
    (
        "The same passport, line 2 read with an O for a 0: a reader misread, not a forgery",
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\n"
        "UM47312852MAR85O3024M3107140<<<<<<<<<<<<<<<6",
    ),
    (
        "A Belgian-style identity card with a 12-character document number (TD1 overflow)",
        "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\n"
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ),
    (
        "Check digits recomputed for each field but line 2's composite left as it was",
        "P<MARBENALI<<MOHAMED<<<<<<<<<<<<<<<<<<<<<<<<\n"
        "UM47312863MAR8503024M3107140<<<<<<<<<<<<<<<6",
    ),
    (
        "A Schengen-style visa (MRV-A) with an impossible date and sex X",
        "V<FRAEL<AMRANI<<YOUSSEF<<<<<<<<<<<<<<<<<<<<<\n"
        "FR01234561MAR9902303X2703017<<<<<<<<<<<<<<<<",
    ),
)


def demo() -> None:
    """Run a short scripted showcase of the travel-document checks."""
    console = Console(highlight=False)
    console.print(Rule("Passerelle — travel-document checks (ICAO Doc 9303)"))
    console.print(f"Checks made as of {DEMO_AS_OF.isoformat()}.\n")
    for caption, mrz in DEMO_DOCUMENTS:
        console.print(Rule(caption, style="dim"))
        console.print(mrz, style="dim", markup=False)
        render_document_check(console, check_mrz(mrz, as_of=DEMO_AS_OF), as_of=DEMO_AS_OF)
        console.print()
    console.print("Try it yourself: passerelle doc check --help")
