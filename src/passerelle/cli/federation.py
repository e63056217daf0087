"""``passerelle federation``: a federation CA and node certificates, for tests and demos.

``federation ca --out DIR`` creates a self-signed federation CA (``ca.pem``,
``ca-key.pem`` readable by its owner only, and an empty CRL ``crl.pem``;
``federation revoke`` and ``federation crl`` are in ``cli.revocation``).
``federation issue`` issues a node certificate with it: for a partner in a demo
(key and certificate written in ``--out``, laid out like a node's ``HOME/tls``),
or from a partner's signing request (``--csr``: only the certificate and the
CA's are written). A real federation keeps its CA key offline, with its operator.

``federation serve`` runs the partner-facing listener (``POST
/federation/v1/messages``) on its own port, with mutual TLS from ``HOME/tls``
and the signing identity in ``HOME/keys``; the officers' API (``passerelle
serve``) stays apart. Beside it, a thread delivers the outbox (alerts issued
and withdrawn) to partners every second, with retries (``federation.transport.delivery``),
each partner directly or through its hub (``peer route``; ``federation.hub.sending``);
``--no-deliver`` leaves that to a separate ``federation deliver``, which loops
until interrupted, or makes one pass with ``--once`` (for cron). Two
deliverers on one database are safe: each message is claimed by one of them.
``federation outbox`` says what waits for each partner; ``federation requeue
STATE`` sends a partner's parked messages (refused for good) again once the
cause is fixed.

``federation demo`` sets up three nodes (MAR, BEL, TUN) in ``--base`` with these
commands, runs each as two separate processes (``federation serve`` and
``serve``) on loopback ports, and plays the scripted story of
``passerelle.federation_demo.story``, printing each step and whether it held;
``--keep`` leaves the nodes running until Ctrl-C. ``--states N`` (4 to 22)
plays the scale story instead (``federation_demo.council_story``: the first N
members of the Council of Arab Interior Ministers in a full mesh, one killed
and one hung throughout) and prints its figures. It exits 0 when every
expectation held, 1 otherwise.

Exit codes: 0 done, 2 a usage error or bad input (the message names the field
or the file), 3 the node's settings, keys or TLS files cannot be used.
"""

from __future__ import annotations

import dataclasses
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from cryptography import x509

from passerelle.access import Permission, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.cli.federation_demo import demo_command
from passerelle.cli.node import SanOption, exchange_errors
from passerelle.cli.revocation import crl_app, revoke_command
from passerelle.federation.peers.key_switch import KeySwitch
from passerelle.federation.protocol.identity import parse_state
from passerelle.federation.protocol.pki import (
    DEFAULT_CA_DAYS,
    DEFAULT_NODE_DAYS,
    issue_node_certificate,
    new_federation_ca,
    new_tls_key,
    sign_node_csr,
    state_of_certificate,
)
from passerelle.federation.protocol.revocation import CRL_FILE, crl_pem, revoke
from passerelle.federation.protocol.signing_key import SigningKeyFile
from passerelle.federation.protocol.tls import (
    TlsFiles,
    load_certificate,
    load_federation_ca,
    save_federation_ca,
    save_node_tls,
)
from passerelle.federation.transport.delivery import Deliverer, DeliveryPolicy, DeliveryReport
from passerelle.node import Node, utc_now
from passerelle.wiring.federation import node_tls_files

__all__ = ["federation_app"]


def _with_revocation(app: typer.Typer) -> typer.Typer:
    """``app`` with ``revoke`` (at the CA) and ``crl`` (at each node): ``cli.revocation``;
    and ``demo`` (``cli.federation_demo``)."""
    app.command("revoke")(revoke_command)
    app.command("demo")(demo_command)
    app.add_typer(crl_app, name="crl")
    return app


federation_app = _with_revocation(
    typer.Typer(
        help="The federation: CA and certificates, the partner listener, outbox delivery, a demo.",
        no_args_is_help=True,
    )
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
        first_crl = revoke(authority, None, now=utc_now())  # number 1, nothing revoked yet
        (out / CRL_FILE).write_bytes(crl_pem(first_crl))
    until = authority.certificate.not_valid_after_utc
    say(
        f"federation CA {authority.name!r} in {out} (ca.pem, ca-key.pem, crl.pem), "
        f"until {until:%Y-%m-%d}"
    )
    say(f"give {out / 'ca.pem'} and crl.pem to every node; keep ca-key.pem with the CA's operator")


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
    say(f"issued {certificate.subject.rfc4514_string()} by {authority.name!r}:")
    for path in written:
        say(f"  {path}")


def _read_csr(path: Path) -> x509.CertificateSigningRequest:
    try:
        return x509.load_pem_x509_csr(path.read_bytes())
    except OSError as exc:
        fail(f"csr: cannot read {path}: {exc}")
    except ValueError as exc:
        fail(f"csr: {path} is not a PEM certificate signing request: {exc}")


IntervalOption = Annotated[
    float,
    typer.Option("--deliver-interval", min=0.05, help="Seconds between delivery passes."),
]


def node_tls(node: Node) -> tuple[SigningKeyFile, TlsFiles]:
    """The node's signing key (followed as its files change: a rotation applies without a
    restart) and TLS files, checked to name the same state."""
    signing = SigningKeyFile(node.settings.keys_dir)
    identity = signing.current()
    files = node_tls_files(node.settings)
    files.require()
    tls_state = state_of_certificate(load_certificate(files.certificate))
    if tls_state != identity.state:
        fail(
            f"the TLS certificate {files.certificate} names {tls_state}, "
            f"the signing key {identity.state}",
            code=3,
        )
    return signing, files


@federation_app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8443,
    no_deliver: Annotated[
        bool,
        typer.Option("--no-deliver", help="Do not deliver the outbox here (federation deliver)."),
    ] = False,
    interval: IntervalOption = 1.0,
) -> None:
    """Serve partners' messages (POST /federation/v1/messages) over mutual TLS until interrupted,
    and deliver the outbox to partners (unless --no-deliver)."""
    import uvicorn

    from passerelle.federation.transport.admission import UnauthenticatedLimit
    from passerelle.federation.transport.client import BlockingExchangeClient
    from passerelle.federation.transport.listener import federation_uvicorn_config
    from passerelle.federation.transport.server import federation_app as partner_app
    from passerelle.wiring import federation_handlers, partner_services
    from passerelle.wiring.federation import outbox_sender

    with node_for_cli() as node, exchange_errors():
        signing, files = node_tls(node)
        identity = signing.current()
        handlers = federation_handlers(partner_services(node))
        kinds = sorted(handlers)
        settings = node.settings
        unauthenticated = UnauthenticatedLimit(
            per_second=settings.federation_unauthenticated_per_second,
            burst=settings.federation_unauthenticated_burst,
            summary_interval_s=settings.federation_unauthenticated_summary_s,
        )
        app = partner_app(node, signing, handlers=handlers, unauthenticated=unauthenticated)
        config = federation_uvicorn_config(app, files, host=host, port=port)
        policy = _capped(DeliveryPolicy(interval=interval), settings.federation_retry_max_s)
        say(
            f"{identity.state} federation listener on https://{host}:{port}/federation/v1/messages "
            f"(mutual TLS; kinds: {', '.join(kinds) or 'none'}; outbox "
            f"{'not delivered here' if no_deliver else f'delivered every {interval:g} s'})"
        )
        gate = app.state.unauthenticated_gate  # its pending refusals summarised on the way out
        if no_deliver:
            try:
                uvicorn.Server(config).run()
            finally:
                gate.close()
            return
        stop = threading.Event()
        with BlockingExchangeClient(signing, files) as client:
            deliverer = Deliverer(
                node, outbox_sender(node, client, signing.current, files), policy=policy
            )
            switch = KeySwitch(node, node.settings.keys_dir)
            thread = threading.Thread(
                target=deliverer.run,
                args=(stop,),
                kwargs={"on_pass": switch},
                name="passerelle-deliver",
                daemon=True,
            )
            thread.start()
            try:
                uvicorn.Server(config).run()
            finally:
                gate.close()
                stop.set()
                thread.join(policy.timeout + 5)


@federation_app.command("deliver")
def deliver(
    once: Annotated[
        bool, typer.Option("--once", help="One pass over the messages due now, then exit.")
    ] = False,
    interval: Annotated[
        float, typer.Option("--interval", min=0.05, help="Seconds between delivery passes.")
    ] = 1.0,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a partner's answer.")
    ] = 10.0,
    lease: Annotated[
        float,
        typer.Option(
            "--lease",
            min=0.2,
            help="Seconds a message being sent is kept from other deliverers (> --timeout).",
        ),
    ] = 60.0,
    lanes: Annotated[
        int, typer.Option("--lanes", min=1, help="Partners served at once (one lane each).")
    ] = 16,
) -> None:
    """Deliver the outbox to partners with retries: until interrupted, or one pass (--once)."""
    from passerelle.federation.transport.client import BlockingExchangeClient
    from passerelle.wiring.federation import outbox_sender

    with node_for_cli() as node, exchange_errors():
        signing, files = node_tls(node)
        policy = _capped(
            DeliveryPolicy(interval=interval, timeout=timeout, lease=lease, lanes=lanes),
            node.settings.federation_retry_max_s,
        )
        with BlockingExchangeClient(signing, files) as client:
            deliverer = Deliverer(
                node, outbox_sender(node, client, signing.current, files), policy=policy
            )
            switch = KeySwitch(node, node.settings.keys_dir)
            if once:
                say(str(deliverer.deliver_due()))
                switch.check()
                return
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            say(f"{signing.state} delivering the outbox every {interval:g} s")

            def after_pass(report: DeliveryReport) -> None:
                _echo_pass(report)
                switch(report)

            try:
                deliverer.run(stop, on_pass=after_pass)
            except KeyboardInterrupt:
                stop.set()


JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@federation_app.command("outbox")
def outbox(as_json: JsonOption = False) -> None:
    """What waits for each partner: messages to send or retry, parked (refused for good)."""
    from passerelle.federation.transport.outbox_status import outbox_status

    with node_for_cli() as node:
        partners = outbox_status(node.database)
    if as_json:
        print_json([partner.as_json() for partner in partners])
        return
    if not partners:
        say("the outbox is empty")
    for partner in partners:
        since = (
            partner.oldest_waiting.isoformat(timespec="seconds") if partner.oldest_waiting else "-"
        )
        say(
            f"{partner.peer}  waiting {partner.waiting} (oldest {since})  "
            f"parked {partner.parked}  delivered {partner.delivered}"
        )


@federation_app.command("requeue")
def requeue(
    state: Annotated[str, typer.Argument(help="The partner whose parked messages go again.")],
) -> None:
    """Send a partner's parked messages again, once the cause of the refusal is fixed."""
    from passerelle.federation.transport.outbox_status import requeue_parked

    with node_for_cli() as node:
        keys = requeue_parked(
            node.database,
            node.audit,
            state,
            actor=local_operator(Permission.MANAGE_NODE),
            now=node.clock(),
        )
    say(f"{len(keys)} parked message(s) to {state.strip().upper()} due again")


def _capped(policy: DeliveryPolicy, retry_max_s: float) -> DeliveryPolicy:
    """``policy`` with the node's cap on the wait between tries (back-off and breaker)."""
    return dataclasses.replace(
        policy,
        max_delay=retry_max_s,
        breaker_pause=min(policy.breaker_pause, retry_max_s),
        breaker_max_pause=retry_max_s,
    )


def _echo_pass(report: DeliveryReport) -> None:
    if report != DeliveryReport():
        say(str(report))
