"""``passerelle federation``: a federation CA and node certificates, for tests and demos.

``federation ca --out DIR`` creates a self-signed federation CA (``ca.pem``,
and ``ca-key.pem`` readable by its owner only). ``federation issue`` issues a
node certificate with it: for a partner in a demo (key and certificate written
in ``--out``, laid out like a node's ``HOME/tls``), or from a partner's signing
request (``--csr``: only the certificate and the CA's are written). A real
federation keeps its CA key offline, with its operator.

``federation serve`` runs the partner-facing listener (``POST
/federation/v1/messages``) on its own port, with mutual TLS from ``HOME/tls``
and the signing identity in ``HOME/keys``; the officers' API (``passerelle
serve``) stays apart.

Exit codes: 0 done, 2 a usage error or bad input (the message names the field
or the file), 3 the node's settings, keys or TLS files cannot be used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from cryptography import x509

from passerelle.cli.common import fail, node_for_cli
from passerelle.cli.node import SanOption, exchange_errors
from passerelle.exchange.identity import load_identity, parse_state
from passerelle.exchange.pki import (
    DEFAULT_CA_DAYS,
    DEFAULT_NODE_DAYS,
    issue_node_certificate,
    new_federation_ca,
    new_tls_key,
    sign_node_csr,
    state_of_certificate,
)
from passerelle.exchange.tls import (
    TlsFiles,
    load_certificate,
    load_federation_ca,
    save_federation_ca,
    save_node_tls,
)
from passerelle.node import utc_now

__all__ = ["federation_app"]

federation_app = typer.Typer(
    help="Federation CA and node certificates for tests and demos.", no_args_is_help=True
)

OutOption = Annotated[Path, typer.Option("--out", help="Folder to write into.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace files already there.")]


@federation_app.command("ca")
def ca(
    out: OutOption,
    name: Annotated[
        str, typer.Option("--name", help="The CA's name (CN).")
    ] = "Passerelle demo federation CA",
    days: Annotated[int, typer.Option("--days", min=1, help="Days the CA is valid.")] = (
        DEFAULT_CA_DAYS
    ),
    permit: Annotated[
        list[str] | None,
        typer.Option(
            "--permit",
            help="Limit node certificates to this domain or IP network (repeatable; "
            "loopback is always permitted).",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Create a self-signed federation CA in --out (ca.pem, ca-key.pem)."""
    with exchange_errors(configuration_code=2):
        authority = new_federation_ca(name, now=utc_now(), days=days, permitted=permit or ())
        save_federation_ca(authority, out, force=force)
    until = authority.certificate.not_valid_after_utc
    typer.echo(
        f"federation CA {authority.name!r} in {out} (ca.pem, ca-key.pem), until {until:%Y-%m-%d}"
    )
    typer.echo(f"give {out / 'ca.pem'} to every node; keep ca-key.pem with the CA's operator")


@federation_app.command("issue")
def issue(
    ca_dir: Annotated[Path, typer.Option("--ca-dir", help="The CA folder (ca.pem, ca-key.pem).")],
    out: OutOption,
    state: Annotated[
        str | None, typer.Option("--state", help="The node's state code (not with --csr).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Node name (CN).")] = None,
    san: SanOption = None,
    csr_file: Annotated[
        Path | None, typer.Option("--csr", help="Sign this request (PEM) from a node instead.")
    ] = None,
    days: Annotated[
        int, typer.Option("--days", min=1, help="Days the certificate is valid.")
    ] = DEFAULT_NODE_DAYS,
    force: ForceOption = False,
) -> None:
    """Issue a node's TLS certificate: key and certificate for --state, or from --csr."""
    if (state is None) == (csr_file is None):
        fail("give either --state (a new key and certificate) or --csr (a node's request)")
    files = TlsFiles(out)
    with exchange_errors(configuration_code=2):
        authority = load_federation_ca(ca_dir)
        if csr_file is not None:
            if name or san:
                fail("--name and --san come from the request with --csr")
            certificate = sign_node_csr(authority, _read_csr(csr_file), now=utc_now(), days=days)
            written = save_node_tls(
                files, certificate=certificate, ca_certificate=authority.certificate, force=force
            )
        else:
            assert state is not None
            code = parse_state(state)
            key = new_tls_key()
            certificate = issue_node_certificate(
                authority,
                key.public_key(),
                state=code,
                node_name=name or f"passerelle-{code.lower()}",
                names=san or (),
                now=utc_now(),
                days=days,
            )
            written = save_node_tls(
                files,
                key=key,
                certificate=certificate,
                ca_certificate=authority.certificate,
                force=force,
            )
    typer.echo(f"issued {certificate.subject.rfc4514_string()} by {authority.name!r}:")
    for path in written:
        typer.echo(f"  {path}")


def _read_csr(path: Path) -> x509.CertificateSigningRequest:
    try:
        return x509.load_pem_x509_csr(path.read_bytes())
    except OSError as exc:
        fail(f"csr: cannot read {path}: {exc}")
    except ValueError as exc:
        fail(f"csr: {path} is not a PEM certificate signing request: {exc}")


@federation_app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8443,
) -> None:
    """Serve partners' messages (POST /federation/v1/messages) over mutual TLS until interrupted."""
    import uvicorn

    from passerelle.exchange.inbound import load_handlers
    from passerelle.exchange.listener import federation_uvicorn_config
    from passerelle.exchange.server import federation_app as partner_app

    with node_for_cli() as node, exchange_errors():
        home = node.settings.home
        identity = load_identity(home / "keys")
        files = TlsFiles.for_home(home)
        files.require()
        tls_state = state_of_certificate(load_certificate(files.certificate))
        if tls_state != identity.state:
            fail(
                f"the TLS certificate {files.certificate} names {tls_state}, "
                f"the signing key {identity.state}",
                code=3,
            )
        kinds = sorted(load_handlers())
        app = partner_app(node, identity)
        config = federation_uvicorn_config(app, files, host=host, port=port)
        typer.echo(
            f"{identity.state} federation listener on https://{host}:{port}/federation/v1/messages "
            f"(mutual TLS; kinds: {', '.join(kinds) or 'none'})"
        )
        uvicorn.Server(config).run()
