"""``passerelle screen``: who on the watchlist a name may be.

``--name`` screens one name (any script, or the MRZ form ``BENALI<<MOHAMED``);
``--batch FILE`` screens JSON Lines queries ``{"qid", "name", "birth_date",
"nationality", "sex"}`` and prints one JSON line per query, in order:
``{"qid", "matches": [{"id", "score", "reasons"}]}``, best first, scores at or
above the threshold. Exit codes: 0 no match, 1 at least one match, 2 a usage
error or bad input (the message names the line and field), 3 the database is
not ready. Every screening is a search: it states a purpose and is audited.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.names import DEFAULT_THRESHOLD, NameMatch, NameQuery
from passerelle.wiring import watchlist_searches

__all__ = ["screen"]

_QUERY_FIELDS = frozenset({"qid", "name", "birth_date", "nationality", "sex"})


def _optional_text(record: dict[str, Any], name: str, line: int) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        fail(f"line {line}: {name}: must be a string")
    return value or None


def _read_batch(path: Path) -> list[tuple[str, NameQuery]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"batch: cannot read {path}: {exc}")
    queries: list[tuple[str, NameQuery]] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            fail(f"line {number}: is not valid JSON: {exc.msg} at column {exc.colno}")
        if not isinstance(record, dict):
            fail(f"line {number}: must be a JSON object")
        unknown = sorted(set(record) - _QUERY_FIELDS)
        if unknown:
            fail(
                f"line {number}: {unknown[0]}: unknown field (expected qid, name, birth_date, "
                "nationality, sex)"
            )
        qid, name = record.get("qid"), record.get("name")
        if not isinstance(qid, str) or not qid.strip():
            fail(f"line {number}: qid: is required (a non-empty string)")
        if not isinstance(name, str) or not name.strip():
            fail(f"line {number}: name: is required (a non-empty string)")
        queries.append(
            (
                qid,
                NameQuery(
                    name,
                    _optional_text(record, "birth_date", number),
                    _optional_text(record, "nationality", number),
                    _optional_text(record, "sex", number),
                ),
            )
        )
    return queries


def _show(query: NameQuery, matches: list[NameMatch], threshold: float) -> None:
    if not matches:
        say(f"{query.name}: no watchlist match at or above {threshold:.2f}")
        return
    for match in matches:
        alerts = "  (would alert)" if match.score >= DEFAULT_THRESHOLD else ""
        say(f"{match.score:.2f}  {match.id}  {match.name}{alerts}")
        for reason in match.reasons:
            say(f"        {reason}")


def screen(
    purpose: Annotated[
        str,
        typer.Option("--purpose", help="Why this screening is made (recorded in the audit trail)."),
    ],
    name: Annotated[str | None, typer.Option("--name", help="The name to screen.")] = None,
    dob: Annotated[
        str | None, typer.Option("--dob", help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    nationality: Annotated[
        str | None, typer.Option("--nationality", help="ISO 3166-1 alpha-3 code.")
    ] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="M or F.")] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch", help="JSON Lines queries; one JSON line out per query.", dir_okay=False
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Matches per query.")] = 5,
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, max=1.0, help="Lowest score shown."),
    ] = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Screen names against the active watchlist (Arabic script, Latin spellings, MRZ form)."""
    if (name is None) == (batch is None):
        fail("give either --name NAME or --batch FILE")
    if batch is not None:
        queries = _read_batch(batch)
        source: dict[str, Any] = {
            "file": str(batch),
            "sha256": hashlib.sha256(batch.read_bytes()).hexdigest(),
            "queries": len(queries),
        }
    else:
        assert name is not None
        if not name.strip():
            fail("name: must not be empty")
        queries = [("1", NameQuery(name, dob, nationality, sex))]
    with node_for_cli() as node:
        searches = watchlist_searches(node)
        actor = local_operator(Permission.SEARCH_WATCHLIST)
        if batch is None:
            ((qid, query),) = queries
            found = searches.screen(actor, purpose, query, top=top, threshold=threshold)
            results = [(qid, query, [match.match for match in found])]
        else:
            screened = searches.screen_batch(
                actor, purpose, queries, source=source, top=top, threshold=threshold
            )
            results = [
                (qid, query, matches)
                for (qid, query), (_, matches) in zip(queries, screened, strict=True)
            ]
    for qid, query, matches in results:
        if batch is not None or as_json:
            print_json({"qid": qid, "matches": [match.as_dict() for match in matches]})
        else:
            _show(query, matches, threshold)
    raise typer.Exit(1 if any(matches for _, _, matches in results) else 0)
