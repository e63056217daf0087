"""``passerelle federation revoke`` and ``federation crl``: the federation's revocation list.

At the CA's operator, ``federation revoke --ca-dir DIR`` adds a node's TLS
certificate (``--cert FILE`` or ``--serial N``) or signing key (``--key-id
ID``) to the CRL in ``DIR/crl.pem``, signed by the CA and numbered one above
the last. The operator sends that file to every node, where ``federation crl
install FILE`` checks the CA's signature, refuses a list older than the one
held, and writes ``HOME/tls/crl.pem``; a running listener reads it on the next
connection. ``federation crl show`` says what the node's list revokes.

Exit codes: 0 done, 2 bad input (a file that is not a CRL, not the CA's, or
older), 3 the node's TLS files cannot be used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import fail, say
from passerelle.cli.node import exchange_errors
from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation.protocol.revocation import (
    CRL_FILE,
    REASONS,
    RevocationList,
    crl_pem,
    install_crl,
    read_crl_file,
    revoke,
)
from passerelle.federation.protocol.tls import TlsFiles, load_certificate, load_federation_ca
from passerelle.node import utc_now
from passerelle.settings import load_settings
from passerelle.wiring.federation import node_tls_files

__all__ = ["crl_app", "revoke_command"]

crl_app = typer.Typer(help="The federation CRL this node checks.", no_args_is_help=True)


def revoke_command(
    ca_dir: Annotated[Path, typer.Option("--ca-dir", help="The CA folder (ca.pem, ca-key.pem).")],
    cert: Annotated[
        list[Path] | None, typer.Option("--cert", help="Revoke this node certificate (PEM).")
    ] = None,
    serial: Annotated[
        list[str] | None,
        typer.Option("--serial", help="Revoke the certificate with this serial (decimal or 0x…)."),
    ] = None,
    key_id: Annotated[
        list[str] | None, typer.Option("--key-id", help="Revoke this signing key id.")
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help=f"One of {', '.join(REASONS)}.")
    ] = "superseded",
) -> None:
    """Revoke certificates or signing keys: a new CRL in --ca-dir, for every node."""
    if not (cert or serial or key_id):
        fail("give at least one --cert, --serial or --key-id")
    if reason not in REASONS:
        fail(f"reason: {reason!r} is not one of {', '.join(REASONS)}")
    with exchange_errors(configuration_code=2):
        authority = load_federation_ca(ca_dir)
        serials = [load_certificate(path).serial_number for path in cert or ()]
        serials += [_serial(text) for text in serial or ()]
        path = ca_dir / CRL_FILE
        current = read_crl_file(path, authority.certificate)
        crl = revoke(
            authority,
            current,
            serials=serials,
            key_ids=key_id or (),
            reason=REASONS[reason],
            now=utc_now(),
        )
        written = install_crl(path, crl_pem(crl), authority.certificate)
    say(f"CRL number {written.number} in {path}: {_summary(written)}")
    say(f"install it on every node: passerelle federation crl install {path}")


def _serial(text: str) -> int:
    try:
        value = int(text.strip(), 0)
    except ValueError:
        raise InvalidInput("serial", f"{text!r} is not a number (decimal or 0x…)") from None
    if value < 1:
        raise InvalidInput("serial", f"{text!r} is not a certificate serial")
    return value


def _summary(revocations: RevocationList) -> str:
    return (
        f"{len(revocations.serials)} certificate(s), "
        f"{len(revocations.key_ids)} signing key(s) revoked"
    )


def _files() -> TlsFiles:
    try:
        return node_tls_files(load_settings())
    except ConfigurationError as exc:
        fail(str(exc), code=3)


@crl_app.command("install")
def install(
    crl_file: Annotated[Path, typer.Argument(help="The CRL (PEM) the CA's operator sent.")],
) -> None:
    """Install a newer federation CRL after checking the CA's signature."""
    files = _files()
    with exchange_errors(configuration_code=3):
        try:
            data = crl_file.read_bytes()
        except OSError as exc:
            raise InvalidInput("crl", f"cannot read {crl_file}: {exc}") from exc
        installed = install_crl(files.crl, data, load_certificate(files.ca))
    say(f"CRL number {installed.number} installed in {files.crl}: {_summary(installed)}")


@crl_app.command("show")
def show() -> None:
    """What the installed CRL revokes."""
    files = _files()
    with exchange_errors(configuration_code=3):
        revocations = read_crl_file(files.crl, load_certificate(files.ca))
    if revocations is None:
        say(f"no CRL installed ({files.crl}): nothing is revoked")
        return
    say(f"CRL number {revocations.number}: {_summary(revocations)}")
    for entry in revocations.crl:
        say(f"  certificate {entry.serial_number:#x} revoked {entry.revocation_date_utc:%Y-%m-%d}")
    for key in sorted(revocations.key_ids):
        say(f"  signing key {key}")
