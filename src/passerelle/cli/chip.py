"""``passerelle chip``: ePassport chip checks and the CSCA trust store (docs/chip.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.cli.doc import parse_as_of
from passerelle.documents.chip.transfer import read_chip
from passerelle.exc import InvalidInput
from passerelle.services.chip import ChipDesk
from passerelle.store.chip_trust import TrustChange

__all__ = ["chip_app"]

trust_app = typer.Typer(help="The CSCAs and CRLs chips are checked against.", no_args_is_help=True)


def _with_trust(app: typer.Typer) -> typer.Typer:
    """``app`` with its ``trust`` group."""
    app.add_typer(trust_app, name="trust")
    return app


chip_app = _with_trust(
    typer.Typer(
        help="ePassport chips: passive authentication, trusted CSCAs and CRLs.",
        no_args_is_help=True,
    )
)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
_MAX_FILE = 32 * 1024 * 1024


def _read(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > _MAX_FILE:
            fail(f"{what}: {path} is larger than {_MAX_FILE // 2**20} MiB")
        return path.read_bytes()
    except OSError as exc:
        fail(f"{what}: cannot read {path}: {exc.strerror or exc}")


@chip_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="JSON file: sod, data_groups, mrz (docs/chip.md).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Passive authentication of a chip read. Exit 0 verified, 1 not verified."""
    day = parse_as_of(as_of)
    text = _read(file, "file")
    try:
        chip, mrz = read_chip(json.loads(text))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"file: is not JSON: {exc}")
    except InvalidInput as exc:
        fail(f"{exc.field}: {exc.reason}")
    with node_for_cli() as node:
        result = ChipDesk(node).verify(
            local_operator(Permission.INSPECT), chip, printed_mrz=mrz, as_of=day
        )
    if as_json:
        print_json(result.as_dict())
    else:
        say(("VERIFIED: " if result.verified else "NOT VERIFIED: ") + result.summary)
        for finding in result.findings:
            say(f"  {finding.severity.value}: {finding.code.value} ({finding.part}): "
                f"{finding.message}")  # fmt: skip
    raise typer.Exit(0 if result.verified else 1)


def _report(change: TrustChange, as_json: bool) -> None:
    if as_json:
        print_json(change.as_dict())
    else:
        say(
            f"trust store version {change.version} ({change.kind}): {change.added} added, "
            f"{change.removed} removed, {change.skipped} already trusted"
        )


SourceOption = Annotated[
    str | None, typer.Option("--source", help="Where the file came from (default: its name).")
]


@trust_app.command("import-masterlist")
def import_masterlist(
    file: Annotated[Path, typer.Argument(help="ICAO CSCA master list (CMS SignedData, DER).")],
    anchor: Annotated[
        list[Path] | None,
        typer.Option(
            "--anchor",
            help="The publishing state's CSCA (DER or PEM), obtained out of band, when "
            "the store does not trust it yet.",
        ),
    ] = None,
    source: SourceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Trust the CSCAs of a master list whose signer verifies. A bad list imports nothing."""
    raw = _read(file, "file")
    anchors = [_read(path, "anchor") for path in anchor or ()]
    with node_for_cli() as node:
        change = ChipDesk(node).import_master_list(
            local_operator(Permission.MANAGE_NODE), raw, source=source or file.name,
            anchors=anchors,
        )  # fmt: skip
    _report(change, as_json)


@trust_app.command("import-csca")
def import_csca(
    file: Annotated[Path, typer.Argument(help="One self-signed CSCA certificate (DER or PEM).")],
    source: SourceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Trust one CSCA (its origin checked by you, e.g. its fingerprint with the state)."""
    raw = _read(file, "file")
    with node_for_cli() as node:
        change = ChipDesk(node).import_csca(
            local_operator(Permission.MANAGE_NODE), raw, source=source or file.name
        )
    _report(change, as_json)


@trust_app.command("import-crl")
def import_crl(
    file: Annotated[Path, typer.Argument(help="A CSCA's CRL (DER or PEM).")],
    source: SourceOption = None,
    as_json: JsonOption = False,
) -> None:
    """Put a CSCA's revocation list in force (signed by a trusted CSCA, newer than the last)."""
    raw = _read(file, "file")
    with node_for_cli() as node:
        change = ChipDesk(node).import_crl(
            local_operator(Permission.MANAGE_NODE), raw, source=source or file.name
        )
    _report(change, as_json)


@trust_app.command("remove")
def remove(
    fingerprint: Annotated[str, typer.Argument(help="The CSCA's SHA-256 fingerprint (hex).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is no longer trusted.")],
    as_json: JsonOption = False,
) -> None:
    """Stop trusting a CSCA (kept in the store's history)."""
    with node_for_cli() as node:
        change = ChipDesk(node).remove_csca(
            local_operator(Permission.MANAGE_NODE), fingerprint, reason=reason
        )
    _report(change, as_json)


@trust_app.command("list")
def list_cscas(
    country: Annotated[str | None, typer.Option("--country", help="Alpha-2 code.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The CSCAs in force (one JSON object per line with --json)."""
    with node_for_cli() as node:
        cscas = ChipDesk(node).cscas(local_operator(Permission.MANAGE_NODE), country=country)
    for csca in cscas:
        if as_json:
            print_json(csca.as_dict())
        else:
            say(f"{csca.country}  {csca.fingerprint[:16]}  until {csca.not_after:%Y-%m-%d}  "
                f"{csca.subject}")  # fmt: skip


@trust_app.command("history")
def history(as_json: JsonOption = False) -> None:
    """Every change of the trust store, newest first."""
    with node_for_cli() as node:
        changes = ChipDesk(node).history(local_operator(Permission.MANAGE_NODE))
    for change in changes:
        if as_json:
            print_json(change)
        else:
            say(f"v{change['version']}  {change['at']}  {change['kind']}  +{change['added']} "
                f"-{change['removed']}  {change['by']}  {change['source']}")  # fmt: skip


@trust_app.command("publish")
def publish(as_json: JsonOption = False) -> None:
    """Send the CSCAs this node trusts to every enabled partner (through the outbox)."""
    with node_for_cli() as node:
        version, partners = ChipDesk(node).publish(local_operator(Permission.MANAGE_NODE))
    if as_json:
        print_json({"version": version, "partners": partners})
    else:
        say(f"trust store version {version} queued for {', '.join(partners) or 'no partner'}")


@trust_app.command("offered")
def offered(
    state: Annotated[str | None, typer.Option("--state", help="One partner.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The CSCAs partners published to this node (not trusted until adopted)."""
    with node_for_cli() as node:
        offers = ChipDesk(node).offered(local_operator(Permission.MANAGE_NODE), state=state)
    for offer in offers:
        if as_json:
            print_json(offer.as_dict() | {"published_version": offer.added_in})
        else:
            say(f"{offer.country}  {offer.fingerprint[:16]}  {offer.subject}")


@trust_app.command("adopt")
def adopt(
    state: Annotated[str, typer.Argument(help="The partner whose published CSCAs to trust.")],
    as_json: JsonOption = False,
) -> None:
    """Trust the CSCAs a partner published (those not trusted yet), as one version."""
    with node_for_cli() as node:
        change = ChipDesk(node).adopt_partner(local_operator(Permission.MANAGE_NODE), state)
    _report(change, as_json)
