"""N national nodes on one machine: set up with ``passerelle`` commands, run as processes.

:class:`Mesh` lays a federation of any number of members out in a base folder::

    BASE/ca/                  the federation CA (federation ca), shared by every member
    BASE/<STATE>/             each member's home: SQLite database, keys/, tls/, load/, logs/
    BASE/logins.json          the users' passwords (mode 0600)

Setting up (:meth:`Mesh.set_up`) runs what an operator types, one command per
step, as the member's own environment (``PASSERELLE_HOME``, ``PASSERELLE_NODE``):
``federation ca`` once; per member ``node init --state X --ca-dir`` and ``db
upgrade``; then ``peer add`` of every other member (a full mesh: N x (N-1)
agreements) with the key line its ``node init`` printed and the agreement
(``kinds`` both ways, ``alerts`` shared); the data (:meth:`Mesh.load`, nothing
here); the users (``user add`` with a random password on stdin, ``token issue``).
The members' commands run side by side (``run``: a process per command by
default, :func:`~passerelle.federation_demo.processes.run_passerelle`).

Each member then runs ``passerelle federation serve`` (the mutual-TLS listener
and the outbox deliverer) and, unless it is listener-only, ``passerelle serve``
(the officers' API): :meth:`start`. A member can be stopped (SIGTERM),
killed (SIGKILL, a crash), hung (SIGSTOP: its kernel accepts connections, it
never answers) and resumed; :meth:`close` (also on leaving the ``with`` block,
and at interpreter exit) stops every process it started.

Members reach each other by direct links (``route="direct"``), through a hub
(``"hub"``: a router node relaying sealed queries, ``federation_demo.hub_route``)
or both (every second partner through the hub). The hub is set up and run by
its own commands (``passerelle hub ...``); a build without them refuses the
route with :class:`StepFailed` before anything is set up.
"""

from __future__ import annotations

import atexit
import secrets
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

from passerelle.federation_demo.api import NodeApi
from passerelle.federation_demo.hub_route import HubRoute, sealing_line
from passerelle.federation_demo.layout import (
    fresh_base,
    in_parallel,
    json_lines,
    public_key_line,
    stop_all,
    write_logins,
)
from passerelle.federation_demo.processes import (
    CommandRunner,
    DemoNode,
    ServedProcess,
    StepFailed,
    node_environment,
    run_passerelle,
)
from passerelle.store.db import Database

__all__ = ["ROUTES", "Login", "Mesh", "Route", "check_route", "json_lines"]

Route = Literal["direct", "hub", "both"]
ROUTES: tuple[Route, ...] = ("direct", "hub", "both")
"""How members reach each other: direct links, through the hub, or both."""

Say = Callable[[str], None]


def check_route(route: str) -> Route:
    """``route`` if it is one of :data:`ROUTES`; :class:`StepFailed` naming it otherwise."""
    for known in ROUTES:
        if route == known:
            return known
    raise StepFailed("route", f"must be one of {', '.join(ROUTES)}, not {route!r}")


@dataclass(frozen=True, slots=True)
class Login:
    """A demo user: node, name, role, password (printed to whoever runs the demo) and token."""

    state: str
    name: str
    role: str
    password: str
    token: str | None


class Mesh:
    """The members ``states`` in ``base``, every one the partner of every other.

    ``users`` names the roles each member's users get (a ``ROLE.state`` user each,
    with a token unless ``(state, role)`` is in ``tokenless``); ``kinds`` and
    ``alerts`` are the agreement every pair signs; ``settings`` the members'
    ``PASSERELLE_*`` settings; ``listener_only`` the members that run no API.
    ``say`` hears one line per command run and per process started or stopped.
    """

    def __init__(
        self,
        base: Path,
        states: Sequence[str],
        *,
        kinds: Sequence[str],
        alerts: Sequence[str],
        users: Mapping[str, Sequence[str]],
        tokenless: Collection[tuple[str, str]] = (),
        say: Say | None = None,
        deliver_interval: float = 0.2,
        settings: Mapping[str, str] | None = None,
        listener_only: Collection[str] = (),
        route: str = "direct",
        run: CommandRunner = run_passerelle,
        serial: bool = False,
    ) -> None:
        self.route = check_route(route)
        if len(set(states)) != len(states) or len(states) < 2:
            raise StepFailed("states", f"need at least two distinct members, not {states}")
        self.base = base.resolve()
        self.states = tuple(states)
        self.kinds, self.alerts = tuple(kinds), tuple(alerts)
        self.users = {state: tuple(users.get(state, ())) for state in self.states}
        self.tokenless = frozenset(tokenless)
        self.listener_only = frozenset(listener_only)
        self._command = run
        self._serial = threading.Lock() if serial else None
        self._say = say or (lambda _: None)
        self._lock = threading.Lock()
        self.nodes = {
            state: DemoNode(
                state, self.base / state, deliver_interval=deliver_interval, settings=settings
            )
            for state in self.states
        }
        self.ca_dir = self.base / "ca"
        self.logins: dict[tuple[str, str], Login] = {}
        self._databases: dict[str, Database] = {}
        self._clients: list[NodeApi] = []
        self._exit_hook = False
        self.hub = (
            None
            if self.route == "direct"
            else HubRoute(self.base / "UNO", route=self.route, deliver_interval=deliver_interval)
        )
        self._sealing: dict[str, str] = {}

    # -- output --------------------------------------------------------------------------

    def say(self, line: str) -> None:
        with self._lock:
            self._say(line)

    def run(
        self, where: str, args: list[str], env: dict[str, str], *, stdin: str | None = None
    ) -> str:
        """Run ``passerelle ARGS`` as the member whose environment ``env`` is (shown first)."""
        shown = " ".join(f'"{a}"' if " " in a else a for a in args)
        if self._serial is None:
            self.say(f"  {where:<3} $ passerelle {shown}")
            return self._command(args, env, stdin=stdin)
        with self._serial:  # nothing else prints while a command in this process runs
            self.say(f"  {where:<3} $ passerelle {shown}")
            return self._command(args, env, stdin=stdin)

    # -- setting up ----------------------------------------------------------------------

    def set_up(self) -> None:
        """Create the CA, every member, its partners, its data and its users."""
        if self.hub is not None:
            self._require_hub_commands()
        fresh_base(self.base)
        self.run(
            "-", ["federation", "ca", "--out", str(self.ca_dir)], node_environment(self.base, "UTO")
        )
        inits = [self._init(node) for node in self.nodes.values()] + self.extra_inits()
        in_parallel(inits + ([self._init_hub] if self.hub is not None else []))
        chains = [self._partners_and_data(node) for node in self.nodes.values()]
        in_parallel(chains + ([self._enrol_members] if self.hub is not None else []))
        write_logins(self.base / "logins.json", self.logins.values())

    def extra_inits(self) -> list[Callable[[], None]]:
        """More set-up run beside the members' ``node init`` (none here)."""
        return []

    def load(self, node: DemoNode) -> None:
        """Load ``node``'s own data by commands (none here)."""

    def _init(self, node: DemoNode) -> Callable[[], None]:
        def init() -> None:
            said = self.run(
                node.state,
                ["node", "init", "--state", node.state, "--ca-dir", str(self.ca_dir)],
                node.env,
            )
            node.public_key = public_key_line(said, node.state)
            self.run(node.state, ["db", "upgrade"], node.env)
            self.run(node.state, ["keys", "init"], node.env)
            if self.hub is not None:
                shown = self.run(node.state, ["node", "show", "--json"], node.env)
                with self._lock:
                    self._sealing[node.state] = sealing_line(shown)

        return init

    # -- the hub route (federation_demo.hub_route) ----------------------------------------

    def _require_hub_commands(self) -> None:
        try:
            self._command(["hub", "--help"], node_environment(self.base, "UTO"))
        except StepFailed as exc:
            raise StepFailed(
                "route",
                f"{self.route!r} needs the hub's commands (passerelle hub ...), which this "
                "build does not have; use route 'direct'",
            ) from exc

    def _init_hub(self) -> None:
        assert self.hub is not None
        init, *rest = self.hub.init_args(self.ca_dir)
        self.hub.public_key = public_key_line(self.run("UNO", init, self.hub.env), "UNO")
        for args in rest:  # the schema, the keys
            self.run("UNO", args, self.hub.env)

    def _enrol_members(self) -> None:
        assert self.hub is not None
        for args in self.hub.enrol_args(list(self.nodes.values())):
            self.run("UNO", args, self.hub.env)

    def _partners_and_data(self, node: DemoNode) -> Callable[[], None]:
        def chain() -> None:
            if self.hub is not None:
                self.run(node.state, self.hub.register_args(), node.env)
            for other in self.nodes.values():
                if other is not node:
                    self.add_peer(node, other)
            self.load(node)
            for role in self.users[node.state]:
                self.add_user(node, role, token=(node.state, role) not in self.tokenless)

        return chain

    def add_peer(self, node: DemoNode, other: DemoNode) -> None:
        """``peer add`` on ``node``: ``other`` with its key, URL and the agreement."""
        kinds = ",".join(self.kinds)
        self.run(
            node.state,
            [
                "peer", "add", other.state,
                "--url", other.federation_url,
                "--key", other.public_key,
                "--name", other.name,
                "--inbound", kinds,
                "--outbound", kinds,
                "--alerts", ",".join(self.alerts),
                *self._route_terms(node, other),
            ],
            node.env,
        )  # fmt: skip

    def _route_terms(self, node: DemoNode, other: DemoNode) -> list[str]:
        if self.hub is None:
            return []
        via = self.hub.via(self.states, node.state, other.state)
        return self.hub.partner_terms(self._sealing[other.state], via=via)

    def add_user(self, node: DemoNode, role: str, *, token: bool) -> None:
        """``user add ROLE.state`` (random password) and, if ``token``, ``token issue``."""
        name = f"{role}.{node.state.lower()}"
        password = secrets.token_urlsafe(12)
        self.run(node.state, ["user", "add", name, "--role", role], node.env, stdin=password + "\n")
        issued = None
        if token:
            said = self.run(
                node.state,
                ["token", "issue", name, "--days", "1", "--label", "federation demo"],
                node.env,
            )
            issued = said.strip().splitlines()[-1]
        with self._lock:
            self.logins[(node.state, role)] = Login(node.state, name, role, password, issued)

    # -- running -------------------------------------------------------------------------

    def servers_of(self, state: str) -> list[ServedProcess]:
        """The processes ``state`` runs: its listener, and its API unless listener-only."""
        node = self.nodes[state]
        return [node.federation] if state in self.listener_only else [node.federation, node.api]

    def running(self, state: str) -> bool:
        """Whether every process of ``state`` runs (a hung one runs)."""
        return all(server.running for server in self.servers_of(state))

    def start(self, *states: str) -> None:
        """Start the members ``states`` (all by default) and wait until each server answers."""
        chosen = list(states or self.states)
        if not self._exit_hook:
            atexit.register(self.close)
            self._exit_hook = True
        servers = [server for state in chosen for server in self.servers_of(state)]
        if self.hub is not None and not self.hub.server.running:
            servers.insert(0, self.hub.server)
        for server in servers:
            server.spawn()
        try:
            for server in servers:
                server.wait_ready(timeout=90.0 + 3.0 * len(servers))
        except StepFailed:
            stop_all(servers)
            raise
        for state in chosen:
            node = self.nodes[state]
            api = (
                "no officers' API (listener only)"
                if state in self.listener_only
                else f"officers' API {node.api_url} (pid {node.api.pid})"
            )
            self.say(
                f"  {state} up: {api}, federation listener {node.federation_url} "
                f"(pid {node.federation.pid})"
            )

    def stop(self, state: str) -> None:
        """Stop one member's processes (SIGTERM; killed if they do not stop in time)."""
        servers = self.servers_of(state)
        running = [server.pid for server in servers if server.running]
        stop_all(servers)
        self.say(f"  {state} stopped (pids {', '.join(str(pid) for pid in running) or 'none'})")

    def kill(self, state: str) -> None:
        """SIGKILL one member's processes, as a crash or a power cut would."""
        servers = self.servers_of(state)
        pids = [str(server.pid) for server in servers if server.running]
        for server in servers:
            server.kill()
        self.say(f"  {state} killed (SIGKILL to pids {', '.join(pids) or 'none'})")

    def hang(self, state: str) -> None:
        """SIGSTOP one member's processes: connections are accepted, nothing is answered."""
        servers = self.servers_of(state)
        for server in servers:
            server.pause()
        pids = ", ".join(str(server.pid) for server in servers)
        self.say(f"  {state} hung (SIGSTOP to pids {pids})")

    def resume(self, state: str) -> None:
        """SIGCONT one hung member's processes."""
        for server in self.servers_of(state):
            server.resume()
        self.say(f"  {state} resumed (SIGCONT)")

    def close(self) -> None:
        """Stop every process started here, close clients and databases (safe to repeat)."""
        servers = [s for node in self.nodes.values() for s in (node.federation, node.api)]
        stop_all(servers + ([self.hub.server] if self.hub is not None else []))
        for client in self._clients:
            client.close()
        self._clients.clear()
        for database in self._databases.values():
            database.dispose()
        self._databases.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- reaching the members ------------------------------------------------------------

    def api(self, state: str, role: str) -> NodeApi:
        """A client of ``state``'s API as its ``role`` user (closed with the orchestrator)."""
        login = self.logins[(state, role)]
        if login.token is None:
            raise StepFailed("api", f"{login.name} on {state} has no token")
        if state in self.listener_only:
            raise StepFailed("api", f"{state} runs its listener only: no officers' API")
        client = NodeApi(self.nodes[state].api_url, login.token)
        with self._lock:
            self._clients.append(client)
        return client

    def database(self, state: str) -> Database:
        """``state``'s database, for reading its exchange tables (``federation_demo.ledger``)."""
        with self._lock:
            if state not in self._databases:
                url = f"sqlite:///{self.nodes[state].home / 'passerelle.db'}"
                self._databases[state] = Database(url)
            return self._databases[state]
