"""``passerelle user`` and ``passerelle token``: the node's accounts and API tokens.

Passwords are read from standard input: typed twice at a terminal (not
echoed), or one line from a pipe (``printf '%s\\n' "$PW" | passerelle user add
...``); never from an argument, which other users of the host could see.
``token issue`` prints the bearer token alone on stdout, once: the node keeps
only its hash.

Where a user works (``--point CODE --booth LABEL`` on ``user add`` and ``user
modify``) sets whose inspections they read and decide (``passerelle.access.scope``):
an officer their booth's (or point's), a supervisor their point's. A point must be
one of the catalogue's when it lists any; a booth is a booth of the point.

``user unlock NAME`` lifts the lock that failed logins put on an account, ``user unlock
--address IP`` the pace on a client address (``passerelle.access.policy``); ``user role
NAME ROLE`` gives a user another role.

Exit codes: 0 done, 1 no such user or token, 2 a usage error or bad input (the
message names the field), 3 the database is not ready. Every change is in the
audit trail, made by the operator running the command (``local:NAME``).
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from passerelle.access import AccessControl, Permission, UnknownToken, UnknownUser, local_operator
from passerelle.cli.common import fail, node_for_cli, print_json, say
from passerelle.node import Node
from passerelle.store.users import TokenView, UserView
from passerelle.wiring.catalogues import saved_catalogues

__all__ = ["token_app", "user_app"]

user_app = typer.Typer(help="The node's users and their roles.", no_args_is_help=True)
token_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The user's name.")]
ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why (recorded in the audit trail).")
]
PointOption = Annotated[
    str | None,
    typer.Option(
        "--point",
        metavar="CODE",
        help="The crossing point the user works at (one of the catalogue's); '' for none.",
    ),
]
BoothOption = Annotated[
    str | None,
    typer.Option(
        "--booth", metavar="LABEL", help="The booth of that point (e.g. B3); '' for none."
    ),
]


def read_password() -> str:
    """The new password: prompted twice at a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        password: str = typer.prompt(
            "New password", hide_input=True, confirmation_prompt=True, err=True
        )
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("password: none given (type it at the prompt, or give one line on stdin)")
    return password


def _show_user(user: UserView, *, as_json: bool) -> None:
    if as_json:
        print_json(user.as_dict())
        return
    state = "enabled" if user.enabled else f"disabled since {user.disabled_at:%Y-%m-%d %H:%M}"
    say(f"{user.name}: {user.role}, {state}{_workplace(user)}")


def _workplace(user: UserView) -> str:
    """``, at TNG-MED booth B3`` for a user assigned to a place; nothing when unassigned."""
    if user.crossing_point is None:
        return ""
    booth = f" booth {user.booth}" if user.booth else ""
    return f", at {user.crossing_point}{booth}"


def _listed_point(node: Node, point: str | None) -> str | None:
    """The point as stored, refused (exit 2) when the catalogue lists points and not it."""
    if point is None or not point.strip():
        return None
    return saved_catalogues(node).crossing_point(point)


@user_app.command("add")
def add(
    name: NameArgument,
    role: Annotated[
        str, typer.Option("--role", help="officer, supervisor, analyst, admin, auditor or partner.")
    ],
    point: PointOption = None,
    booth: BoothOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a user with a role, optionally at a crossing point and booth; the password
    comes from stdin."""
    password = read_password()
    with node_for_cli() as node:
        user = AccessControl.for_node(node).add_user(
            name,
            role,
            password,
            by=local_operator(Permission.MANAGE_USERS),
            crossing_point=_listed_point(node, point),
            booth=booth,
        )
    _show_user(user, as_json=as_json)


@user_app.command("modify")
def modify(
    name: NameArgument,
    point: PointOption = None,
    booth: BoothOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change where a user works: the options given change, '' clears one (clearing the
    point clears the booth). It sets whose inspections they read and decide."""
    if point is None and booth is None:
        fail("give --point CODE and/or --booth LABEL ('' clears one)")
    with node_for_cli() as node:
        access = AccessControl.for_node(node)
        try:
            user = access.user(name)
            if user is None:
                raise UnknownUser(name.strip())
            new_point = user.crossing_point if point is None else _listed_point(node, point)
            new_booth = user.booth if booth is None else booth
            if point is not None and new_point is None and booth is None:
                new_booth = None
            user = access.set_workplace(
                name, new_point, new_booth, by=local_operator(Permission.MANAGE_USERS)
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    _show_user(user, as_json=as_json)


@user_app.command("list")
def list_users(as_json: JsonOption = False) -> None:
    """List the users, their roles, whether they are enabled and where they work."""
    with node_for_cli() as node:
        users = AccessControl.for_node(node).users()
    if as_json:
        print_json([user.as_dict() for user in users])
        return
    if not users:
        say("no users: add one with `passerelle user add NAME --role ROLE`")
    for user in users:
        _show_user(user, as_json=False)


@user_app.command("passwd")
def passwd(name: NameArgument) -> None:
    """Set a user's password (from stdin); their web sessions end."""
    with node_for_cli() as node:
        access = AccessControl.for_node(node)
        try:
            if access.user(name) is None:
                raise UnknownUser(name.strip())
            user = access.change_password(
                name, read_password(), by=local_operator(Permission.MANAGE_USERS)
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    say(f"{user.name}: password changed")


@user_app.command("disable")
def disable(name: NameArgument, reason: ReasonOption = None, as_json: JsonOption = False) -> None:
    """Disable a user: no more logins; their web sessions and tokens are revoked."""
    with node_for_cli() as node:
        try:
            user = AccessControl.for_node(node).disable_user(
                name, by=local_operator(Permission.MANAGE_USERS), reason=reason
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    _show_user(user, as_json=as_json)


@user_app.command("enable")
def enable(name: NameArgument, as_json: JsonOption = False) -> None:
    """Let a disabled user log in again (tokens revoked on disabling stay revoked)."""
    with node_for_cli() as node:
        try:
            user = AccessControl.for_node(node).enable_user(
                name, by=local_operator(Permission.MANAGE_USERS)
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    _show_user(user, as_json=as_json)


@token_app.command("issue")
def issue(
    name: NameArgument,
    days: Annotated[
        int | None, typer.Option("--days", help="Days the token is valid (default 90).")
    ] = None,
    label: Annotated[
        str | None, typer.Option("--label", help="What the token is for (e.g. a kiosk).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Issue an API bearer token for a user and print it (shown this once only)."""
    with node_for_cli() as node:
        try:
            issued = AccessControl.for_node(node).issue_token(
                name, by=local_operator(Permission.MANAGE_USERS), days=days, label=label
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
        now = node.clock()
    if as_json:
        print_json({"token": issued.token} | issued.view.as_dict(now))
        return
    say(issued.token)
    say(
        f"token {issued.view.id} for {issued.view.user}, valid until "
        f"{issued.view.expires_at.isoformat(timespec='seconds')}; it is not shown again",
        err=True,
    )


def _show_token(token: TokenView, now: datetime) -> None:
    label = f" ({token.label})" if token.label else ""
    expires = token.expires_at.isoformat(timespec="seconds")
    say(f"{token.id}: {token.user}{label}, {token.state(now)}, expires {expires}")


@token_app.command("list")
def list_tokens(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="Only this user's tokens.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the API tokens issued (never the tokens themselves) and their state."""
    with node_for_cli() as node:
        tokens = AccessControl.for_node(node).tokens(name)
        now = node.clock()
    if as_json:
        print_json([token.as_dict(now) for token in tokens])
        return
    if not tokens:
        say("no tokens")
    for token in tokens:
        _show_token(token, now)


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (token list).")],
    reason: ReasonOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke an API token: it is refused from now on."""
    with node_for_cli() as node:
        try:
            token = AccessControl.for_node(node).revoke_token(
                token_id, by=local_operator(Permission.MANAGE_USERS), reason=reason
            )
        except UnknownToken as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
        now = node.clock()
    if as_json:
        print_json(token.as_dict(now))
    else:
        say(f"token {token.id} of {token.user}: revoked")


@user_app.command("role")
def role(
    name: NameArgument,
    new_role: Annotated[
        str,
        typer.Argument(
            metavar="ROLE", help="officer, supervisor, analyst, admin, auditor or partner."
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Give a user another role (it applies from their next request)."""
    with node_for_cli() as node:
        try:
            user = AccessControl.for_node(node).set_role(
                name, new_role, by=local_operator(Permission.MANAGE_USERS)
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    _show_user(user, as_json=as_json)


@user_app.command("unlock")
def unlock(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="The locked user's name.")
    ] = None,
    address: Annotated[
        str | None,
        typer.Option("--address", metavar="IP", help="Lift the pace on this client address."),
    ] = None,
) -> None:
    """Let a locked account (NAME) or a paced address (--address IP) log in again at once."""
    if (name is None) == (address is None):
        fail("give NAME or --address IP (one of them)")
    with node_for_cli() as node:
        try:
            lifted = AccessControl.for_node(node).unlock(
                name, address=address, by=local_operator(Permission.MANAGE_USERS)
            )
        except UnknownUser as exc:
            fail(f"{exc.field}: {exc.reason}", code=1)
    say(f"{lifted.name or lifted.address}: unlocked ({lifted.failures} failed logins cleared)")
