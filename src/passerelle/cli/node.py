"""``passerelle node``: this node's federation identity (signing key, TLS certificate).

``node init --state MAR`` creates the node's Ed25519 signing key in
``HOME/keys/`` and a TLS key in ``HOME/tls/``; with ``--ca-dir`` (a federation
CA whose key is on this host: tests, demos) it also issues the node's TLS
certificate, else it writes a signing request (``HOME/tls/node.csr``) for the
CA's operator. ``node show`` prints what a partner registers: the state, the
key id and the public key text form (``ed25519 MAR BASE64``), and the sealing key line
(``x25519 MAR KEY SIGNATURE``, the key made by ``keys init``, or here for a node without
one: what a hub relays to this node is sealed to it); ``node rotate-sealing-key`` makes a
new one and records it as the node's, the previous one still opening parts until the next
rotation.

Exit codes: 0 done, 1 the node already has an identity (``--force`` replaces
it) or has none yet (``node show``), 2 a usage error or bad input (the message
names the field), 3 the settings or the node's key files cannot be used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from passerelle.cli.common import KEY_EXIT, fail, print_json
from passerelle.exc import ConfigurationError, InvalidInput, PasserelleError
from passerelle.federation.protocol.identity import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    IdentityExists,
    IdentityMissing,
    NodeIdentity,
    load_identity,
    parse_state,
    save_identity,
)
from passerelle.federation.protocol.pki import (
    DEFAULT_NODE_DAYS,
    issue_node_certificate,
    make_node_csr,
    new_tls_key,
    state_of_certificate,
)
from passerelle.federation.protocol.revocation import CRL_FILE, install_crl
from passerelle.federation.protocol.sealing import (
    create_sealing_key,
    load_sealing_key,
    rotate_sealing_key,
)
from passerelle.federation.protocol.tls import (
    TlsFiles,
    load_certificate,
    load_federation_ca,
    save_node_tls,
)
from passerelle.keyring import KeyName, record_node_keys, recorded_key, recorded_signing_key
from passerelle.node import utc_now
from passerelle.settings import Settings, load_settings
from passerelle.store.db import Database
from passerelle.wiring.federation import node_tls_files

__all__ = ["SanOption", "exchange_errors", "node_app"]

node_app = typer.Typer(
    help="This node's federation identity: signing key and TLS certificate.",
    no_args_is_help=True,
)

SanOption = Annotated[
    list[str] | None,
    typer.Option("--san", help="Extra host name or IP address in the certificate (repeatable)."),
]


@contextmanager
def exchange_errors(*, configuration_code: int = 3) -> Iterator[None]:
    """Turn identity, input and configuration errors into clear exits (1, 2, 3)."""
    try:
        yield
    except (IdentityExists, IdentityMissing) as exc:
        message = f"{exc.field}: {exc.reason}" if isinstance(exc, InvalidInput) else str(exc)
        fail(message, code=1)
    except InvalidInput as exc:
        fail(f"{exc.field}: {exc.reason}")
    except ConfigurationError as exc:
        fail(str(exc), code=configuration_code)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigurationError as exc:
        fail(str(exc), code=3)


@node_app.command("init")
def init(
    state: Annotated[str, typer.Option("--state", help="This node's state code, e.g. MAR.")],
    name: Annotated[
        str | None, typer.Option("--name", help="Node name in its certificate (CN).")
    ] = None,
    ca_dir: Annotated[
        Path | None,
        typer.Option("--ca-dir", help="Federation CA folder (ca.pem, ca-key.pem): issue the cert."),
    ] = None,
    san: SanOption = None,
    days: Annotated[
        int, typer.Option("--days", min=1, help="Days the TLS certificate is valid.")
    ] = DEFAULT_NODE_DAYS,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing identity and TLS files.")
    ] = False,
) -> None:
    """Create this node's signing key and TLS key (and certificate, given --ca-dir)."""
    settings = _settings()
    keys_dir, files = settings.keys_dir, node_tls_files(settings)
    with exchange_errors(configuration_code=2):
        code = parse_state(state)
        node_name = name or f"passerelle-{code.lower()}"
        database = Database(settings.effective_database_url)
        try:
            node_has_one = recorded_signing_key(database)
            node_has_sealing = recorded_key(database, "sealing")
        except PasserelleError:  # no database yet: the keys are adopted when the node opens
            node_has_one = node_has_sealing = None
        if node_has_one and not force and not (keys_dir / PRIVATE_KEY_FILE).exists():
            database.dispose()
            fail(
                f"not creating a signing key in {keys_dir}: the database records the node's "
                "(made on another host); copy the node's key folder from its first host into "
                f"{keys_dir} (PASSERELLE_KEYS_DIR)",
                code=KEY_EXIT,
            )
        if not force:
            for path in (keys_dir / PRIVATE_KEY_FILE, keys_dir / PUBLIC_KEY_FILE):
                if path.exists():
                    raise IdentityExists(
                        "identity",
                        f"{path} exists: this node already has a signing key "
                        "(--force replaces it; partners must then register the new key: "
                        "`node rotate-key` rotates without an outage)",
                    )
        ca = load_federation_ca(ca_dir) if ca_dir else None
        tls_key, now = new_tls_key(), utc_now()
        if ca is not None:
            certificate = issue_node_certificate(
                ca,
                tls_key.public_key(),
                state=code,
                node_name=node_name,
                names=san or (),
                now=now,
                days=days,
            )
            written = save_node_tls(
                files,
                key=tls_key,
                certificate=certificate,
                ca_certificate=ca.certificate,
                force=force,
            )
            stale = files.csr
            crl_file = ca_dir / CRL_FILE if ca_dir else None
            if crl_file is not None and crl_file.is_file():  # the federation's CRL, as issued
                install_crl(files.crl, crl_file.read_bytes(), ca.certificate)
        else:
            csr = make_node_csr(tls_key, state=code, node_name=node_name, names=san or ())
            written = save_node_tls(files, key=tls_key, csr=csr, force=force)
            stale = files.certificate  # issued for the key just replaced
        if force:
            stale.unlink(missing_ok=True)
        identity = NodeIdentity.generate(code)
        save_identity(identity, keys_dir, force=force)
        sealing_made = not node_has_sealing and create_sealing_key(keys_dir)
        try:
            if node_has_one is not None:  # a migrated database: these keys are now the node's
                made: tuple[KeyName, ...] = ("signing", "sealing") if sealing_made else ("signing",)
                record_node_keys(database, settings, made, at=utc_now())
        finally:
            database.dispose()
    typer.echo(f"{code}: node identity created in {keys_dir}")
    typer.echo(f"key id: {identity.key_id}")
    typer.echo(f"public key: {identity.peer_key.text}")
    if ca is not None:
        typer.echo(f"TLS certificate: {written[1]} (issued by {ca.name}, valid {days} days)")
    else:
        typer.echo(
            f"TLS key: {files.key}; have the federation CA sign {files.csr}, then put the "
            f"certificate in {files.certificate} and the CA's in {files.ca}"
        )
    if settings.node != code:
        typer.echo(f"note: PASSERELLE_NODE is {settings.node}; set it to {code}", err=True)


def _tls_summary(files: TlsFiles) -> dict[str, str | bool | None] | None:
    if not files.certificate.is_file():
        return None
    certificate = load_certificate(files.certificate)
    issuer = certificate.issuer.rfc4514_string()
    return {
        "certificate": str(files.certificate),
        "state": state_of_certificate(certificate),
        "subject": certificate.subject.rfc4514_string(),
        "issuer": issuer,
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "expired": certificate.not_valid_after_utc <= utc_now(),
        "ca_installed": files.ca.is_file(),
    }


@node_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the node's state, key id, public key (to give partners) and TLS certificate."""
    settings = _settings()
    files = node_tls_files(settings)
    with exchange_errors():
        identity = load_identity(settings.keys_dir)
        sealing = load_sealing_key(settings.keys_dir, identity.state).line(identity)
        tls = _tls_summary(files)
    if as_json:
        print_json(
            {
                "state": identity.state,
                "key_id": identity.key_id,
                "public_key": identity.peer_key.text,
                "sealing_key": sealing.text,
                "tls": tls,
            }
        )
        return
    typer.echo(f"state: {identity.state}")
    typer.echo(f"key id: {identity.key_id}")
    typer.echo(f"public key: {identity.peer_key.text}")
    typer.echo(f"sealing key: {sealing.text}")
    if tls is None:
        pending = " (request pending: node.csr)" if files.csr.is_file() else ""
        typer.echo(f"TLS certificate: none at {files.certificate}{pending}")
    else:
        state = "EXPIRED" if tls["expired"] else "expires"
        typer.echo(f"TLS certificate: {tls['subject']}, {state} {tls['not_after']}")
        typer.echo(f"issued by: {tls['issuer']}")


@node_app.command("rotate-key")
def rotate_key(
    takes_over_in_hours: Annotated[
        float,
        typer.Option(
            "--takes-over-in-hours",
            min=0,
            help="When the next key is to take over, announced to partners.",
        ),
    ] = 24.0,
    complete: Annotated[
        bool,
        typer.Option("--complete", help="Switch to the announced next key and retire the old one."),
    ] = False,
) -> None:
    """Rotate the signing key without an outage: announce the next key, later switch to it.

    Without ``--complete``: write the next key beside the current one and queue its
    announcement (signed with the current key) to every enabled partner; the serving
    node switches by itself at the take-over time once every partner holds the key.
    With it: sign with the next key from now on (running processes follow) and queue
    to partners the retirement of the old one, proven by the new.
    """
    from passerelle.cli.common import node_for_cli
    from passerelle.federation.peers.directory import PeerDirectory
    from passerelle.federation.peers.key_announce import queue_key_announce, queue_key_retire
    from passerelle.federation.protocol.next_key import (
        complete_rotation,
        prepare_next_key,
        record_takes_over,
    )
    from passerelle.keyring import record_rotated_signing_key

    with node_for_cli() as node:
        keys_dir = node.settings.keys_dir
        partners = [
            p.state for p in PeerDirectory(node.database, node.audit).list(enabled_only=True)
        ]
        now = node.clock()
        with exchange_errors():
            if complete:
                previous, current = complete_rotation(keys_dir)
                with node.database.write() as session:
                    queued = queue_key_retire(
                        session, previous, current, partners=partners, now=now
                    )
                    record_rotated_signing_key(session, keys_dir, at=now)
                typer.echo(f"{current.state}: now signing with key {current.key_id}")
                typer.echo(f"retirement of key {previous.key_id} queued to {queued} partner(s)")
                typer.echo("the node's running processes sign with it from their next message")
                return
            following = prepare_next_key(keys_dir)
            takes_over_at = now + timedelta(hours=takes_over_in_hours)
            record_takes_over(keys_dir, takes_over_at)
            with node.database.write() as session:
                queued = queue_key_announce(
                    session, following, takes_over_at=takes_over_at, partners=partners, now=now
                )
        typer.echo(f"next key id: {following.key_id}")
        typer.echo(f"public key: {following.peer_key.text}")
        typer.echo(f"announced to {queued} partner(s); takes over at {takes_over_at.isoformat()}")
        typer.echo(
            "a serving node switches to it at that time once every partner holds it "
            "(or now: passerelle node rotate-key --complete)"
        )


@node_app.command("rotate-sealing-key")
def rotate_sealing_key_command() -> None:
    """Make a new sealing key; the current one still opens what partners seal to it until
    they register the new line (peer sealing-key), and is dropped at the next rotation.
    The new key's fingerprint is recorded as the node's: every other host needs the new
    key folder before it writes again."""
    from passerelle.cli.common import node_for_cli
    from passerelle.keyring import SEALING_KEY_FILE, record_rotated_key

    with node_for_cli() as node, exchange_errors():
        keys_dir = node.settings.keys_dir
        identity = load_identity(keys_dir)
        with node.database.write() as session:
            line = rotate_sealing_key(keys_dir, identity.state).line(identity)
            record_rotated_key(session, "sealing", keys_dir / SEALING_KEY_FILE, at=node.clock())
    typer.echo(f"sealing key: {line.text}")
    typer.echo(f"give it to every partner: passerelle peer sealing-key {identity.state} '...'")
