"""``passerelle peer``: the partner nodes this node talks to, and on what terms.

``peer add BEL --url https://bel.example:8443 --key "ed25519 BEL BASE64"``
registers a partner with the public key it gave (confirm the key id with it
out of band: ``peer show`` prints it), ``--inbound`` the queries it may ask
this node, ``--outbound`` those this node sends it, ``--alerts`` the alert
categories exchanged with it (both ways: its alerts of other categories are
refused). ``key-add`` / ``key-remove`` rotate its key, ``disable`` stops every
exchange with it at once (approved disclosures not yet sent are held back: sending
them after ``enable`` takes ``federation requeue``), ``remove`` deletes it (refused
while messages to it wait, unless ``--force``, which parks them; its alerts are
withdrawn on this node and its pending requests closed). ``add --hub`` registers a
federation hub; ``sealing-key BEL LINE`` registers the partner's sealing key (from its
``node show``) and ``route BEL --via HUB`` / ``--direct`` says how to reach it
(``federation.hub``). Every change is audited.

Exit codes: 0 done, 2 a usage error or bad input (the message names the
field), 3 the settings or the database cannot be used.
"""

from __future__ import annotations

from typing import Annotated

import typer

from passerelle.access import Permission, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.federation.alerts.outgoing import Backfill
from passerelle.federation.peers.directory import (
    DEFAULT_FOLLOW_UP_HOURS,
    Agreement,
    PeerDirectory,
    PeerView,
)
from passerelle.federation.peers.values import parse_peer_keys
from passerelle.federation.protocol.identity import parse_state
from passerelle.federation.protocol.sealing import parse_sealing_line
from passerelle.node import Node

__all__ = ["peer_app"]

peer_app = typer.Typer(
    help="Partner nodes: URL, public keys and the exchange agreement.", no_args_is_help=True
)

StateArgument = Annotated[str, typer.Argument(help="The partner's state code, e.g. BEL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
UrlOption = Annotated[str | None, typer.Option("--url", help="Its base URL (https://...).")]
NameOption = Annotated[str | None, typer.Option("--name", help="A readable name.")]
InboundOption = Annotated[
    str | None,
    typer.Option(
        "--inbound", help="Queries it may ask this node: document,person,face,fingerprint."
    ),
]
OutboundOption = Annotated[
    str | None,
    typer.Option(
        "--outbound", help="Queries this node sends it: document,person,face,fingerprint."
    ),
]
AlertsOption = Annotated[
    str | None,
    typer.Option(
        "--alerts",
        help="Alert categories exchanged with it, comma-separated: this node's shared with it,"
        " and the only ones of its alerts this node takes.",
    ),
]
HoursOption = Annotated[
    int | None,
    typer.Option("--follow-up-hours", help="Hours to answer a follow-up request (default 48)."),
]


def _list(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part.strip()]


def _directory(node: Node) -> PeerDirectory:
    return PeerDirectory(node.database, node.audit, clock=node.clock)


def _echo(peer: PeerView) -> None:
    terms = peer.agreement
    say(f"{peer.state}: {peer.name} ({'enabled' if peer.enabled else 'DISABLED'})")
    say(f"  url: {peer.url}")
    for key in peer.keys:
        say(f"  key {key.key_id}: {key.text}")
    say(f"  it may ask: {', '.join(terms.inbound_kinds) or '-'}")
    say(f"  this node asks it: {', '.join(terms.outbound_kinds) or '-'}")
    say(f"  alerts shared: {', '.join(terms.alert_categories) or '-'}")
    say(f"  follow-up answer within: {terms.follow_up_hours} h")
    if peer.relays:
        say("  a federation hub: relays sealed parts between members")
    say(f"  route: {f'through the hub {peer.via}' if peer.via else 'direct'}")
    say(f"  sealing key: {peer.sealing_key or '-'}")


def _echo_backfill(backfill: Backfill | None) -> None:
    """Say which alerts issued before were queued for the partner, and how many were kept."""
    if backfill is None or not (backfill.queued or backfill.refused):
        return
    kept = sum(backfill.refused.values())
    why = ", ".join(f"{count} {code}" for code, count in backfill.refused.items())
    say(
        f"  alerts issued before: {len(backfill.queued)} queued for delivery"
        + (f", {kept} kept home ({why})" if kept else "")
    )


@peer_app.command("add")
def add(
    state: StateArgument,
    url: Annotated[str, typer.Option("--url", help="Its base URL (https://...).")],
    key: Annotated[
        list[str], typer.Option("--key", help="Its public key 'ed25519 STATE BASE64' (repeatable).")
    ],
    name: NameOption = None,
    inbound: InboundOption = None,
    outbound: OutboundOption = None,
    alerts: AlertsOption = None,
    follow_up_hours: HoursOption = None,
    hub: Annotated[
        bool,
        typer.Option("--hub", help="It is a federation hub relaying for members (no agreement)."),
    ] = False,
    sealing: Annotated[
        str | None,
        typer.Option("--sealing-key", help="Its sealing key line 'x25519 STATE KEY SIGNATURE'."),
    ] = None,
    via: Annotated[
        str | None, typer.Option("--via", help="Reach it through this hub (needs --sealing-key).")
    ] = None,
) -> None:
    """Register a partner node with its URL, public key(s) and agreement."""
    with node_for_cli() as node:
        agreement = Agreement.of(
            inbound_kinds=_list(inbound),
            outbound_kinds=_list(outbound),
            alert_categories=_list(alerts),
            follow_up_hours=(
                DEFAULT_FOLLOW_UP_HOURS if follow_up_hours is None else follow_up_hours
            ),
        )
        directory = _directory(node)
        _check_route(directory, state, key, sealing, via)
        peer = directory.add(
            state,
            url=url,
            public_keys=key,
            name=name,
            agreement=agreement,
            actor=local_operator(Permission.MANAGE_NODE),
            relays=hub,
        )
        operator = local_operator(Permission.MANAGE_NODE)
        if sealing is not None:
            peer = directory.set_sealing_key(peer.state, sealing, actor=operator)
        if via is not None:
            peer = directory.set_route(peer.state, via=via, actor=operator)
    say(f"partner {peer.state} registered; confirm the key id(s) with it out of band:")
    _echo(peer)
    _echo_backfill(directory.last_backfill)


def _check_route(
    directory: PeerDirectory, state: str, keys: list[str], sealing: str | None, via: str | None
) -> None:
    """Refuse ``--sealing-key`` and ``--via`` before anything is registered: the line must
    be signed by one of the keys given, the hub registered as one."""
    if sealing is not None:
        parse_sealing_line(sealing, parse_peer_keys(keys, parse_state(state)))
    if via is not None:
        if sealing is None:
            fail("--via needs the partner's --sealing-key (what the hub relays is sealed to it)")
        hub = directory.find(via)
        if hub is None or not hub.relays:
            fail(f"via: {via.strip().upper()} is not registered as a hub (peer add --hub)")


@peer_app.command("update")
def update(
    state: StateArgument,
    url: UrlOption = None,
    name: NameOption = None,
    inbound: InboundOption = None,
    outbound: OutboundOption = None,
    alerts: AlertsOption = None,
    follow_up_hours: HoursOption = None,
) -> None:
    """Change a partner's URL, name or agreement (the options given replace what is held)."""
    with node_for_cli() as node:
        directory = _directory(node)
        held = directory.get(state).agreement
        changed = (inbound, outbound, alerts, follow_up_hours) != (None, None, None, None)
        agreement = Agreement.of(
            inbound_kinds=held.inbound_kinds if inbound is None else _list(inbound),
            outbound_kinds=held.outbound_kinds if outbound is None else _list(outbound),
            alert_categories=held.alert_categories if alerts is None else _list(alerts),
            follow_up_hours=(held.follow_up_hours if follow_up_hours is None else follow_up_hours),
        )
        peer = directory.update(
            state,
            actor=local_operator(Permission.MANAGE_NODE),
            agreement=agreement if changed else None,
            url=url,
            name=name,
        )
    _echo(peer)
    _echo_backfill(directory.last_backfill)


@peer_app.command("list")
def list_peers(as_json: JsonOption = False) -> None:
    """List the partners, their URL and agreement."""
    with node_for_cli() as node:
        peers = _directory(node).list()
    if as_json:
        print_json([peer.as_json() for peer in peers])
        return
    if not peers:
        say("no partners registered (passerelle peer add STATE --url ... --key ...)")
    for peer in peers:
        terms = peer.agreement
        say(
            f"{peer.state}  {'on ' if peer.enabled else 'OFF'}  {peer.url}  "
            f"in:{','.join(terms.inbound_kinds) or '-'}  "
            f"out:{','.join(terms.outbound_kinds) or '-'}  keys:{len(peer.keys)}"
        )


@peer_app.command("show")
def show(state: StateArgument, as_json: JsonOption = False) -> None:
    """Show one partner: URL, key ids and public keys, agreement."""
    with node_for_cli() as node:
        peer = _directory(node).get(state)
    if as_json:
        print_json(peer.as_json())
    else:
        _echo(peer)


@peer_app.command("disable")
def disable(state: StateArgument) -> None:
    """Stop exchanging with a partner: its messages are refused, none are sent to it."""
    with node_for_cli() as node:
        peer = _directory(node).disable(state, actor=local_operator(Permission.MANAGE_NODE))
    say(f"partner {peer.state} disabled")


@peer_app.command("remove")
def remove(
    state: StateArgument,
    force: Annotated[
        bool,
        typer.Option("--force", help="Remove it even with messages waiting: they are parked."),
    ] = False,
) -> None:
    """Delete a partner: its alerts are withdrawn here, its pending requests closed."""
    with node_for_cli() as node:
        done = _directory(node).remove(
            state, actor=local_operator(Permission.MANAGE_NODE), force=force
        )
    say(
        f"partner {state.strip().upper()} removed: {done.parked} queued message(s) parked,"
        f" {done.alerts_withdrawn} of its alert(s) withdrawn,"
        f" {done.followups_closed} pending request(s) closed"
    )


@peer_app.command("enable")
def enable(state: StateArgument) -> None:
    """Exchange with a disabled partner again."""
    with node_for_cli() as node:
        directory = _directory(node)
        peer = directory.enable(state, actor=local_operator(Permission.MANAGE_NODE))
    say(f"partner {peer.state} enabled")
    _echo_backfill(directory.last_backfill)


@peer_app.command("key-add")
def key_add(
    state: StateArgument,
    key: Annotated[str, typer.Argument(help="The new key: 'ed25519 STATE BASE64'.")],
) -> None:
    """Register a partner's new key beside the old one (rotation)."""
    with node_for_cli() as node:
        peer = _directory(node).add_key(state, key, actor=local_operator(Permission.MANAGE_NODE))
    say(f"{peer.state} now has {len(peer.keys)} key(s):")
    for held in peer.keys:
        say(f"  {held.key_id}")


@peer_app.command("key-remove")
def key_remove(
    state: StateArgument,
    key: Annotated[str, typer.Argument(help="The key line, or its key id.")],
) -> None:
    """Remove a partner's old key once it signs with the new one."""
    with node_for_cli() as node:
        peer = _directory(node).remove_key(state, key, actor=local_operator(Permission.MANAGE_NODE))
    say(f"{peer.state} now has {len(peer.keys)} key(s):")
    for held in peer.keys:
        say(f"  {held.key_id}")


@peer_app.command("sealing-key")
def sealing_key(
    state: StateArgument,
    line: Annotated[
        str, typer.Argument(help="Its sealing key line 'x25519 STATE KEY SIGNATURE' (node show).")
    ],
) -> None:
    """Register a partner's sealing key (what a hub relays to it is sealed to this key)."""
    with node_for_cli() as node:
        peer = _directory(node).set_sealing_key(
            state, line, actor=local_operator(Permission.MANAGE_NODE)
        )
    say(f"{peer.state}'s sealing key registered (signed by its registered signing key)")


@peer_app.command("route")
def route(
    state: StateArgument,
    via: Annotated[
        str | None, typer.Option("--via", help="Reach it through this hub (a partner added --hub).")
    ] = None,
    direct: Annotated[bool, typer.Option("--direct", help="Reach it directly.")] = False,
) -> None:
    """Reach a partner through a hub (--via HUB) or directly (--direct)."""
    if (via is None) == (not direct):
        fail("give either --via HUB or --direct")
    with node_for_cli() as node:
        peer = _directory(node).set_route(
            state, via=via, actor=local_operator(Permission.MANAGE_NODE)
        )
    say(f"{peer.state}: {f'through the hub {peer.via}' if peer.via else 'direct'}")
