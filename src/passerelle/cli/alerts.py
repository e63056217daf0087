"""``passerelle alert``: the alerts this node issues, and their life cycle.

Exit codes: 0 done, 1 no alert has that id, 2 a usage error or bad input (the
message names the field: ``status`` for a change the alert's status does not
allow), 3 the database is not ready. Every change and every search is in the
audit trail.
"""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import (
    PurposeOption,
    fail,
    node_for_cli,
    print_json,
    read_json_object,
    say,
)
from passerelle.records.alerts import CATEGORIES, PersonSubject, SeriesSubject
from passerelle.records.forgeries import MAX_IMAGE_BYTES, describe_numbers
from passerelle.services.alerts import AlertMove
from passerelle.store.alerts import (
    ALERT_STATUSES,
    AlertView,
    UnknownAlert,
    parse_alert,
)
from passerelle.store.audit import Actor
from passerelle.wiring import alert_desk

__all__ = ["alert_app"]

alert_app = typer.Typer(
    help="Alerts this node issues on persons, documents and vehicles: "
    f"{', '.join(sorted(CATEGORIES))}.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
IdArgument = Annotated[str, typer.Argument(metavar="ID", help="The alert's id.")]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why (kept in the alert's history and the audit trail).")
]


def _subject_line(alert: AlertView) -> str:
    subject = alert.subject
    if isinstance(subject, PersonSubject):
        return f"person {' / '.join(subject.names)}, born {subject.birth_date or 'unknown'}"
    data = subject.as_json()
    if isinstance(subject, SeriesSubject):
        return (
            f"forged {subject.issuing_state} {subject.document_code} documents, "
            f"{describe_numbers(subject)}"
        )
    if subject.kind == "document":
        return f"document {data['issuing_state']} {data['document_number']}"
    return f"vehicle {data['plate']} ({data['registration_country']})"


def _summary(alert: AlertView) -> str:
    until = alert.valid_until.isoformat() if alert.valid_until else "no end"
    return (
        f"{alert.id}  {alert.status:<9}  {alert.category:<15}  {_subject_line(alert)}  "
        f"[{alert.valid_from.isoformat()} .. {until}]"
    )


def _print_change(alert: AlertView, *, as_json: bool) -> None:
    if as_json:
        print_json(alert.as_dict())
    else:
        say(f"alert {alert.id}: {alert.status}")


@alert_app.command("issue")
def issue(
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="The alert as one JSON object (default: stdin).", dir_okay=False
        ),
    ] = None,
    images: Annotated[
        list[Path] | None,
        typer.Option(
            "--image",
            help="A reference image of a forged_document alert (PNG or JPEG, at most 256 KiB; "
            "up to 4, repeat the option): added to the JSON's reference_images.",
            dir_okay=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an alert from JSON and print its id (with --json, the whole alert).

    The object: {"id" (optional), "category", "subject": {"kind": "person", "names",
    "birth_date"} | {"kind": "document", "issuing_state", "document_number"} |
    {"kind": "vehicle", "plate", "registration_country"} | {"kind": "document_series",
    "issuing_state", "document_code", "series", "number_from", "number_to",
    "number_pattern", "forgery_type", "detected_by", "indicators"} (a forged_document
    alert: docs/forged-documents.md), "issuing_authority", "action", "valid_from" (default today),
    "valid_until" (optional)}.
    """
    record = read_json_object(file, what="an alert")
    if images:
        record["reference_images"] = [
            *(record.get("reference_images") or []),
            *(_image_file(path) for path in images),
        ]
    with node_for_cli() as node:
        draft = parse_alert(record)
        alert = alert_desk(node).issue(_analyst(), draft)
    if as_json:
        print_json(alert.as_dict())
    else:
        say(f"issued alert {alert.id}: {alert.category}, {_subject_line(alert)}")


@alert_app.command("list")
def list_alerts(
    purpose: PurposeOption,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help=f"Only alerts in this status: {', '.join(sorted(ALERT_STATUSES))}."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the node's alerts, oldest first (with --json, one JSON object per line)."""
    with node_for_cli() as node:
        alerts = alert_desk(node).search(_analyst(), purpose, status)
    for alert in alerts:
        if as_json:
            print_json(alert.as_dict())
        else:
            say(_summary(alert))
    if not (alerts or as_json):
        say("no alerts" + (f" with status {status}" if status else ""))


@alert_app.command("show")
def show(alert_id: IdArgument, purpose: PurposeOption, as_json: JsonOption = False) -> None:
    """Show one alert and its history; exit 1 when no alert has this id."""
    with node_for_cli() as node:
        found = alert_desk(node).show(_analyst(), purpose, alert_id)
    if found is None:
        fail(f"id: no alert {alert_id!r} on this node", code=1)
    if as_json:
        print_json(found.as_dict())
        return
    alert, events = found.alert, found.history
    say(_summary(alert))
    say(f"  issued by: {alert.issuing_authority}")
    say(f"  action:    {alert.action}")
    for event in events:
        say(
            f"  {event.at.isoformat()}  {event.from_status or '-'} -> {event.to_status}"
            f"  by {event.actor}" + (f": {event.reason}" if event.reason else "")
        )


def _change(alert_id: str, move: AlertMove, reason: str, *, as_json: bool) -> None:
    with node_for_cli() as node:
        try:
            alert = alert_desk(node).move(_analyst(), alert_id, move, reason)
        except UnknownAlert as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    _print_change(alert, as_json=as_json)


@alert_app.command("hit")
def hit(alert_id: IdArgument, reason: ReasonOption, as_json: JsonOption = False) -> None:
    """Record a border hit on an active alert (active -> hit)."""
    _change(alert_id, "hit", reason, as_json=as_json)


@alert_app.command("rearm")
def rearm(alert_id: IdArgument, reason: ReasonOption, as_json: JsonOption = False) -> None:
    """Make a hit alert active again for the next hit (hit -> active)."""
    _change(alert_id, "rearm", reason, as_json=as_json)


@alert_app.command("withdraw")
def withdraw(alert_id: IdArgument, reason: ReasonOption, as_json: JsonOption = False) -> None:
    """Withdraw an active or hit alert for good (-> withdrawn, final)."""
    _change(alert_id, "withdraw", reason, as_json=as_json)


def _image_file(path: Path) -> dict[str, str]:
    """A reference image file as the alert's JSON holds it (the parser checks the bytes)."""
    media_type = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            fail(f"--image: {path} is larger than {MAX_IMAGE_BYTES // 1024} KiB")
        data = path.read_bytes()
    except OSError as exc:
        fail(f"--image: cannot read {path}: {exc.strerror}")
    return {"media_type": media_type, "data": base64.b64encode(data).decode("ascii")}


def _analyst() -> Actor:
    """The local operator, as the analyst who manages alerts."""
    return local_operator(Permission.MANAGE_ALERTS)


def _as_of(value: str | None, today: date) -> date:
    if value is None:
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD", param_hint="--as-of"
        ) from None


@alert_app.command("expire")
def expire(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Expire alerts valid until before YYYY-MM-DD (default: today)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Expire every active or hit alert past its valid_until (the daily sweep)."""
    with node_for_cli() as node:
        now = node.clock()
        day = _as_of(as_of, now.date())
        expired = alert_desk(node).expire_due(_analyst(), day)
    if as_json:
        print_json({"as_of": day.isoformat(), "expired": [a.id for a in expired]})
    else:
        say(f"{len(expired)} alert(s) expired as of {day.isoformat()}")
        for alert in expired:
            say(f"  {alert.id}  (valid until {alert.valid_until})")
