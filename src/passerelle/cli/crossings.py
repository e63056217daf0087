"""``passerelle crossing``, ``passerelle stay`` and ``passerelle stay-rule``: entries, exits, stays.

``passerelle stay STATE:NUMBER`` counts a traveller's days of stay against the
rule for their nationality (default 90 days in any 180, the Schengen rule):
exit code 0 within the limit, 1 over it. Other exit codes: 2 a usage error or
bad input (the message names the field), 3 the database is not ready.
"""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import PurposeOption, fail, node_for_cli, print_json, say
from passerelle.cli.loading import run_load
from passerelle.exc import InvalidInput
from passerelle.records.fields import document_number, state_code
from passerelle.services import StaySearches
from passerelle.stay import StayAssessment
from passerelle.store.crossings import (
    CrossingRegistry,
    CrossingView,
    parse_crossing,
    record_crossing,
)
from passerelle.store.stay_rules import DEFAULT_NATIONALITY, RuleInForce, list_rules, set_rule

__all__ = ["crossing_app", "stay", "stay_rule_app"]

crossing_app = typer.Typer(
    help="Entries and exits of travellers, by document.", no_args_is_help=True
)
stay_rule_app = typer.Typer(
    help="Stay limits per nationality: MAX days in any WINDOW days ('*' is the default).",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
_OPTION_OF_FIELD = {
    "issuing_state": "--state",
    "document_number": "--number",
    "nationality": "--nationality",
    "crossing_point": "--point",
    "direction": "--direction",
    "at": "--at",
    "officer": "--officer",
}


@crossing_app.command("record")
def record(
    state: Annotated[str, typer.Option("--state", help="Document's issuing state (alpha-3).")],
    number: Annotated[str, typer.Option("--number", help="Document number.")],
    nationality: Annotated[str, typer.Option("--nationality", help="Traveller's nationality.")],
    point: Annotated[str, typer.Option("--point", help="Border crossing point code.")],
    direction: Annotated[str, typer.Option("--direction", help="entry or exit.")],
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="When, ISO 8601 with offset (e.g. 2026-03-01T10:15Z); default now."
        ),
    ] = None,
    officer: Annotated[
        str | None, typer.Option("--officer", help="Officer who saw it (default: you).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record one entry or exit; recording the same crossing twice stores it once."""
    with node_for_cli() as node:
        now = node.clock()
        fields: dict[str, Any] = {
            "issuing_state": state,
            "document_number": number,
            "nationality": nationality,
            "crossing_point": point,
            "direction": direction,
            "at": at if at is not None else now.isoformat(),
            "officer": officer,
        }
        try:
            entry = parse_crossing(fields)
        except InvalidInput as exc:
            fail(f"{_OPTION_OF_FIELD.get(exc.field, exc.field)}: {exc.reason}")
        with node.database.write() as session:
            crossing, created = record_crossing(
                session, node.audit, entry, actor=local_operator(Permission.INSPECT), now=now
            )
    if as_json:
        print_json({**crossing.as_dict(), "created": created})
    else:
        done = "recorded" if created else "already recorded"
        say(f"{done}: {_crossing_line(crossing)} (#{crossing.id})")


@crossing_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="JSON Lines file, one crossing per line.")],
    as_json: JsonOption = False,
) -> None:
    """Load crossings; one already stored (same document, direction, time, point) is kept once."""
    officer = local_operator(Permission.INSPECT).name
    run_load(
        CrossingRegistry(default_officer=officer),
        file,
        permission=Permission.INSPECT,
        as_json=as_json,
    )


def _crossing_line(c: CrossingView) -> str:
    return (
        f"{c.at.isoformat()}  {c.direction:<5}  {c.issuing_state} {c.document_number}  "
        f"at {c.crossing_point}  nationality {c.nationality or '?'}  by {c.officer}"
    )


@crossing_app.command("list")
def list_crossings(
    state: Annotated[str, typer.Argument(help="Issuing state.")],
    number: Annotated[str, typer.Argument(help="Document number.")],
    purpose: PurposeOption,
    as_json: JsonOption = False,
) -> None:
    """A document's crossings, oldest first (with --json, one JSON object per line)."""
    with node_for_cli() as node:
        crossings = StaySearches(node).crossings(
            local_operator(Permission.INSPECT), purpose, state, number
        )
    for crossing in crossings:
        if as_json:
            print_json(crossing.as_dict())
        else:
            say(_crossing_line(crossing))
    if not (crossings or as_json):
        say(f"no crossings recorded for {state.upper()} {number.upper()}")


def _document(value: str) -> tuple[str, str]:
    state, sep, number = value.partition(":")
    if not sep:
        fail(f"document: {value!r} must be written STATE:NUMBER, e.g. MAR:UM4731285")
    try:
        return state_code({"document": state}, "document"), document_number(
            {"document": number}, "document"
        )
    except InvalidInput as exc:
        fail(f"document: {exc.reason} (write it STATE:NUMBER, e.g. MAR:UM4731285)")


def _options(as_of: str | None, tz: str) -> tuple[date | None, tzinfo]:
    day = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of: {as_of!r} is not a date; write it as YYYY-MM-DD")
    try:
        return day, UTC if tz.upper() == "UTC" else ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"--tz: {tz!r} is not a time zone name (e.g. Africa/Casablanca)")


def _stay_json(
    state: str, number: str, rule: RuleInForce, result: StayAssessment
) -> dict[str, Any]:
    return {
        "document": f"{state}:{number}",
        "as_of": result.as_of.isoformat(),
        "rule": {
            "max_days": rule.limit.max_days,
            "window_days": rule.limit.window_days,
            "applies_to": rule.applies_to,
        },
        "window_start": result.window_start.isoformat(),
        "days_used": result.days_used,
        "days_remaining": result.days_remaining,
        "inside": result.inside,
        "entered_on": result.entered_on.isoformat() if result.entered_on else None,
        "latest_day": result.latest_day.isoformat() if result.latest_day else None,
        "overstay_days": result.overstay_days,
        "within_limit": result.within_limit,
        "inconsistencies": [
            {"kind": i.kind, "at": i.at.isoformat(), "message": i.message}
            for i in result.inconsistencies
        ],
    }


def _print_stay(data: dict[str, Any], result: StayAssessment) -> None:
    rule = data["rule"]
    source = "default" if rule["applies_to"] in ("*", "built-in") else rule["applies_to"]
    say(
        f"{data['document']} as of {data['as_of']}: rule {rule['max_days']} days in any "
        f"{rule['window_days']} ({source})"
    )
    say(f"  days used:      {result.days_used} (since {data['window_start']})")
    say(f"  days remaining: {result.days_remaining}")
    if result.inside:
        say(f"  inside:         yes, since {data['entered_on']}")
        latest = data["latest_day"] or "none: already over the limit"
        say(f"  latest exit:    {latest}")
    else:
        say("  inside:         no")
        latest = data["latest_day"] or "none: no day left"
        say(f"  if entering on {data['as_of']}: may stay until {latest}")
    if result.overstay_days:
        say(f"  OVERSTAY:       {result.overstay_days} day(s) over the limit")
    for problem in result.inconsistencies:
        say(f"  warning: {problem.message}", err=True)


def stay(
    document: Annotated[
        str, typer.Argument(metavar="DOCUMENT", help="STATE:NUMBER, e.g. MAR:UM4731285.")
    ],
    purpose: PurposeOption,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Count as of YYYY-MM-DD (default: today).")
    ] = None,
    as_json: JsonOption = False,
    nationality: Annotated[
        str | None,
        typer.Option(
            "--nationality", help="Rule to apply (default: as recorded at the crossings)."
        ),
    ] = None,
    tz: Annotated[
        str, typer.Option("--tz", help="Time zone whose calendar days are counted.")
    ] = "UTC",
) -> None:
    """Days of stay used and left for a document's holder; exit 1 on an overstay.

    The day of entry and the day of exit both count; a stay still open counts
    up to the day of the check. The rule is the nationality's (set with
    `passerelle stay-rule set`), else the default '*', else 90 days in any 180.
    Exit codes: 0 within the limit, 1 over it, 2 bad input.
    """
    state, number = _document(document)
    day, zone = _options(as_of, tz)
    if nationality is not None:
        try:
            nationality = state_code({"nationality": nationality}, "nationality")
        except InvalidInput as exc:
            fail(f"--nationality: {exc.reason}")
    with node_for_cli() as node:
        answer = StaySearches(node).assess(
            local_operator(Permission.INSPECT),
            purpose,
            state,
            number,
            as_of=day,
            nationality=nationality,
            tz=zone,
        )
    rule, result = answer.rule, answer.stay
    data = _stay_json(state, number, rule, result)
    if as_json:
        print_json(data)
    else:
        _print_stay(data, result)
    raise typer.Exit(0 if result.within_limit else 1)


@stay_rule_app.command("set")
def set_stay_rule(
    nationality: Annotated[
        str, typer.Argument(help="Nationality (alpha-3), or '*' for the default.")
    ],
    max_days: Annotated[int, typer.Argument(metavar="MAX", help="Days of stay allowed.")],
    window_days: Annotated[
        int, typer.Argument(metavar="WINDOW", help="In any period of this many days.")
    ],
) -> None:
    """Set the stay limit for a nationality: MAX days in any WINDOW days (e.g. * 90 180)."""
    with node_for_cli() as node, node.database.write() as session:
        rule = set_rule(
            session,
            node.audit,
            nationality,
            max_days,
            window_days,
            actor=local_operator(Permission.MANAGE_NODE),
            now=node.clock(),
        )
    say(f"stay rule for {rule.applies_to}: {max_days} days in any {window_days}")


@stay_rule_app.command("list")
def list_stay_rules(as_json: JsonOption = False) -> None:
    """The stay limits set on this node (without any, 90 in 180 applies to everyone)."""
    with node_for_cli() as node, node.database.read() as session:
        rules = list_rules(session)
    for rule in rules:
        if as_json:
            print_json(
                {
                    "nationality": rule.applies_to,
                    "max_days": rule.limit.max_days,
                    "window_days": rule.limit.window_days,
                }
            )
        else:
            name = "default" if rule.applies_to == DEFAULT_NATIONALITY else rule.applies_to
            say(f"{name}: {rule.limit.max_days} days in any {rule.limit.window_days}")
    if not (rules or as_json):
        say("no stay rules set: 90 days in any 180 applies to every nationality")
