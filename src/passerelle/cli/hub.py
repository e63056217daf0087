"""``passerelle hub``: a federation hub (router) that relays sealed parts between members.

A hub is a node of its own (``PASSERELLE_HOME``, ``PASSERELLE_NODE`` set to its code,
e.g. ``UNO``): its identity and certificate come as any node's (``node init --state
UNO``, ``federation issue``), its database holds its members and its matrix, and its
audit trail the routing metadata of what it relayed (never content: it cannot read it).

``hub member add MAR --url https://mar:8443 --key "ed25519 MAR ..."`` enrols a member
(``member list``, ``member remove``); ``hub allow MAR BEL --kinds query.document``
lets MAR send BEL those kinds (``*`` for every member on either side), ``hub deny``
takes a row away, ``hub matrix`` shows the matrix and ``hub matrix-load FILE`` replaces
it from a JSON file (``federation.hub.matrix``); ``hub serve`` runs the hub's listener
(mutual TLS, ``POST /federation/v1/messages``, kind ``hub.relay`` only).

On a member: ``peer add UNO --url ... --key ... --hub`` registers the hub, ``peer
add BEL ... --sealing-key LINE --via UNO`` a partner reached through it (or, for a
partner already registered, ``peer sealing-key BEL LINE`` and ``peer route BEL --via
UNO`` / ``--direct``).

Exit codes: 0 done, 2 a usage error or bad input (the message names the field or the
file), 3 the hub's settings, keys or TLS files cannot be used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.cli.node import exchange_errors
from passerelle.federation.hub.matrix import HubMatrix, parse_matrix
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.node import Node

__all__ = ["hub_app"]

member_app = typer.Typer(help="The hub's members: URL and public keys.", no_args_is_help=True)


def _with_members(app: typer.Typer) -> typer.Typer:
    """``app`` with its ``member`` group."""
    app.add_typer(member_app, name="member")
    return app


hub_app = _with_members(
    typer.Typer(
        help="A federation hub: its members, its agreement matrix, its relay listener.",
        no_args_is_help=True,
    )
)

StateArgument = Annotated[str, typer.Argument(help="A member's state code, e.g. BEL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _matrix(node: Node) -> HubMatrix:
    return HubMatrix(node.database, node.audit, clock=node.clock)


def _members(node: Node) -> PeerDirectory:
    return PeerDirectory(node.database, node.audit, clock=node.clock)


@member_app.command("add")
def member_add(
    state: StateArgument,
    url: Annotated[str, typer.Option("--url", help="Its federation listener (https://...).")],
    key: Annotated[
        list[str], typer.Option("--key", help="Its public key 'ed25519 STATE BASE64' (repeatable).")
    ],
    name: Annotated[str | None, typer.Option("--name", help="A readable name.")] = None,
) -> None:
    """Enrol a member: the hub accepts its requests and forwards it parts."""
    with node_for_cli() as node:
        member = _members(node).add(
            state, url=url, public_keys=key, name=name, actor=local_operator(Permission.MANAGE_NODE)
        )
    say(f"member {member.state} enrolled at {member.url}; key id(s): ")
    for held in member.keys:
        say(f"  {held.key_id}")


@member_app.command("remove")
def member_remove(state: StateArgument) -> None:
    """Remove a member (nothing waits at a hub: it stores no message)."""
    with node_for_cli() as node:
        _members(node).remove(state, actor=local_operator(Permission.MANAGE_NODE), force=True)
    say(f"member {state.strip().upper()} removed")


@member_app.command("list")
def member_list(as_json: JsonOption = False) -> None:
    """The hub's members."""
    with node_for_cli() as node:
        members = _members(node).list()
    if as_json:
        print_json([{"state": m.state, "url": m.url, "enabled": m.enabled} for m in members])
        return
    for member in members:
        say(f"{member.state}  {member.url}  {'enabled' if member.enabled else 'DISABLED'}")


@hub_app.command("allow")
def allow(
    sender: Annotated[str, typer.Argument(help="The member that sends (or '*').")],
    addressee: Annotated[str, typer.Argument(help="The member it sends to (or '*').")],
    kinds: Annotated[
        str, typer.Option("--kinds", help="Message kinds, comma-separated: query.document,query.*")
    ],
) -> None:
    """Let SENDER send ADDRESSEE these kinds through the hub (replacing the pair's kinds)."""
    with node_for_cli() as node:
        made = _matrix(node).allow(
            sender, addressee, kinds.split(","), actor=local_operator(Permission.MANAGE_NODE)
        )
    say(f"{made.sender} -> {made.addressee}: {', '.join(made.kinds)}")


@hub_app.command("deny")
def deny(
    sender: Annotated[str, typer.Argument(help="The member that sends (or '*').")],
    addressee: Annotated[str, typer.Argument(help="The member it sends to (or '*').")],
) -> None:
    """Remove the pair's row from the matrix."""
    with node_for_cli() as node:
        _matrix(node).deny(sender, addressee, actor=local_operator(Permission.MANAGE_NODE))
    say(f"{sender.strip().upper()} -> {addressee.strip().upper()}: nothing forwarded by its row")


@hub_app.command("matrix")
def matrix(as_json: JsonOption = False) -> None:
    """The hub's agreement matrix."""
    with node_for_cli() as node:
        rules = _matrix(node).rules()
    if as_json:
        print_json({"agreements": [made.as_json() for made in rules]})
        return
    if not rules:
        say("the matrix is empty: nothing is forwarded")
    for made in rules:
        say(f"{made.sender} -> {made.addressee}: {', '.join(made.kinds)}")


@hub_app.command("matrix-load")
def matrix_load(
    path: Annotated[Path, typer.Argument(help='A JSON file {"agreements": [...]}.')],
) -> None:
    """Replace the whole matrix with the file's, in one transaction."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"{path}: cannot read a JSON matrix: {exc}")
    if not isinstance(document, dict):
        fail(f"{path}: must hold a JSON object with 'agreements'")
    with node_for_cli() as node:
        count = _matrix(node).replace(
            parse_matrix(document), actor=local_operator(Permission.MANAGE_NODE)
        )
    say(f"the matrix now holds {count} row(s)")


@hub_app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8443,
    interval: Annotated[
        float, typer.Option("--deliver-interval", min=0.05, help="Seconds between deliveries.")
    ] = 1.0,
) -> None:
    """Relay members' sealed parts (POST /federation/v1/messages, mutual TLS) until
    interrupted; take members' key rotations and checkpoints; deliver the hub's own
    outbox (its key rotations) to members."""
    import threading

    import uvicorn

    from passerelle.cli.federation import node_tls
    from passerelle.federation.hub.router import HubRouter
    from passerelle.federation.transport.client import BlockingExchangeClient
    from passerelle.federation.transport.delivery import Deliverer, DeliveryPolicy
    from passerelle.federation.transport.listener import federation_uvicorn_config
    from passerelle.federation.transport.server import federation_app
    from passerelle.wiring.federation import hub_handlers

    with node_for_cli() as node, exchange_errors():
        identity, files = node_tls(node)
        with BlockingExchangeClient(identity, files, clock=node.clock) as client:
            router = HubRouter(client, _members(node), _matrix(node))
            handlers = hub_handlers(router)
            app = federation_app(node, identity, handlers=handlers)
            config = federation_uvicorn_config(app, files, host=host, port=port)
            policy = DeliveryPolicy(interval=interval)
            deliverer = Deliverer(node, client, policy=policy)
            stop = threading.Event()
            thread = threading.Thread(
                target=deliverer.run, args=(stop,), name="passerelle-deliver", daemon=True
            )
            say(
                f"{identity.state} hub on https://{host}:{port}/federation/v1/messages "
                f"(mutual TLS; kinds: {', '.join(sorted(handlers))}; "
                f"{len(_members(node).list())} member(s))"
            )
            thread.start()
            try:
                uvicorn.Server(config).run()
            finally:
                app.state.unauthenticated_gate.close()
                stop.set()
                thread.join(policy.timeout + 5)
