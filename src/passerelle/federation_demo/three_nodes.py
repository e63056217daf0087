"""Three national nodes on one machine: set up with ``passerelle`` commands, run as processes.

:class:`ThreeNodes` lays a federation out in a base folder and runs it::

    BASE/ca/                  the federation CA (federation ca)
    BASE/MAR|BEL|TUN/         each node's home: SQLite database, keys/, tls/, load/, logs/
    BASE/FRA/                 a node with a certificate from the same CA, registered nowhere
    BASE/logins.json          the demo users' passwords (mode 0600)

Setting up (:meth:`ThreeNodes.set_up`) runs what an operator types, one
command per step, as the node's own environment (``PASSERELLE_HOME``,
``PASSERELLE_NODE``): ``federation ca``; per node ``node init --state X
--ca-dir`` and ``db upgrade``; then ``peer add`` of each other node with the
key line its ``node init`` printed and the agreement (document, person, face
and fingerprint queries both ways; alerts ``wanted``, ``travel_ban``,
``stolen_document``); the data (``sltd load``, ``watchlist load``, ``face enrol``,
``finger synth`` and ``finger enrol``, ``alert issue``); the users (``user add``
with a random password on stdin, ``token issue``). The live fingerprint MAR's
booth sends is drawn by ``finger synth`` too (another impression of the finger
BEL enrols).
The three nodes' commands run side by side. Only the demo portrait (scikit-image's
``astronaut``, ``demo.loading.demo_portrait``) is made in Python: no command
writes it.

Each node then runs two processes (:meth:`start`): ``passerelle federation
serve`` (the mutual-TLS listener and the outbox deliverer) and ``passerelle
serve`` (the officers' API, ``PASSERELLE_FEDERATION=on``), each on its own
loopback port. :meth:`stop` ends one node's processes (SIGTERM), :meth:`start`
brings them back on the same ports; :meth:`close` (also on leaving the
``with`` block, and at interpreter exit) stops every process it started.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from passerelle.federation.protocol.identity import NodeIdentity, load_identity
from passerelle.federation.protocol.tls import TlsFiles
from passerelle.federation_demo import cast
from passerelle.federation_demo.api import NodeApi
from passerelle.federation_demo.processes import (
    CommandRunner,
    DemoNode,
    ServedProcess,
    StepFailed,
    node_environment,
    run_passerelle,
)
from passerelle.store.db import Database

__all__ = ["OUTSIDER", "Login", "ThreeNodes"]

OUTSIDER = "FRA"
"""The state of the node that holds a certificate from the federation CA but is no one's partner."""

MARKER = ".passerelle-federation-demo"
"""The file that marks a base folder as the demo's own (it is emptied before a new run)."""

USERS: dict[str, tuple[str, ...]] = {
    "MAR": ("officer", "analyst", "auditor"),
    "BEL": ("officer", "analyst"),
    "TUN": ("analyst",),
}
"""The users each node gets (named ``ROLE.state``); each has a token but TUN's analyst."""

Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Login:
    """A demo user: node, name, role, password (printed to whoever runs the demo) and token."""

    state: str
    name: str
    role: str
    password: str
    token: str | None


class ThreeNodes:
    """MAR, BEL and TUN in ``base``: set up by commands, run as separate processes.

    ``say`` hears one line per command run and per process started or
    stopped. ``run`` runs each set-up command (by default the console script,
    as a process: :func:`~passerelle.federation_demo.processes.run_passerelle`).
    The outbox deliverers pass every ``deliver_interval`` seconds. Use it as a
    context manager: every process it started is stopped on leaving the block,
    whatever happened.
    """

    def __init__(
        self,
        base: Path,
        *,
        say: Say | None = None,
        deliver_interval: float = 0.2,
        run: CommandRunner = run_passerelle,
    ) -> None:
        self.base = base.resolve()
        self._command = run
        self._say = say or (lambda _: None)
        self._lock = threading.Lock()
        self.nodes = {
            state: DemoNode(state, self.base / state, deliver_interval=deliver_interval)
            for state in cast.STATES
        }
        self.outsider_home = self.base / OUTSIDER
        self.ca_dir = self.base / "ca"
        self.logins: dict[tuple[str, str], Login] = {}
        self._databases: dict[str, Database] = {}
        self._clients: list[NodeApi] = []
        self._exit_hook = False

    # -- output --------------------------------------------------------------------------

    def say(self, line: str) -> None:
        with self._lock:
            self._say(line)

    def _run(
        self, where: str, args: list[str], env: dict[str, str], *, stdin: str | None = None
    ) -> str:
        shown = " ".join(f'"{a}"' if " " in a else a for a in args)
        self.say(f"  {where:<3} $ passerelle {shown}")
        return self._command(args, env, stdin=stdin)

    # -- setting up ----------------------------------------------------------------------

    def set_up(self) -> None:
        """Create the CA, the three nodes (and FRA), their partners, data and users."""
        _fresh_base(self.base)
        self._run(
            "-", ["federation", "ca", "--out", str(self.ca_dir)], node_environment(self.base, "UTO")
        )
        outsider_env = node_environment(self.outsider_home, OUTSIDER)
        jobs: list[Callable[[], None]] = [self._init(node) for node in self.nodes.values()]
        jobs.append(lambda: self._init_outsider(outsider_env))
        _in_parallel(jobs)
        _in_parallel([self._partners_and_data(node) for node in self.nodes.values()])
        _write_logins(self.base / "logins.json", self.logins.values())

    def _init(self, node: DemoNode) -> Callable[[], None]:
        def init() -> None:
            said = self._run(
                node.state,
                ["node", "init", "--state", node.state, "--ca-dir", str(self.ca_dir)],
                node.env,
            )
            node.public_key = _public_key_line(said, node.state)
            self._run(node.state, ["db", "upgrade"], node.env)

        return init

    def _init_outsider(self, env: dict[str, str]) -> None:
        self._run(
            OUTSIDER, ["node", "init", "--state", OUTSIDER, "--ca-dir", str(self.ca_dir)], env
        )

    def _partners_and_data(self, node: DemoNode) -> Callable[[], None]:
        def chain() -> None:
            for other in self.nodes.values():
                if other is not node:
                    self._add_peer(node, other)
            self._load(node)
            for role in USERS[node.state]:
                self._add_user(node, role, token=(node.state, role) != ("TUN", "analyst"))

        return chain

    def _add_peer(self, node: DemoNode, other: DemoNode) -> None:
        kinds = ",".join(cast.AGREED_KINDS)
        self._run(
            node.state,
            [
                "peer", "add", other.state,
                "--url", other.federation_url,
                "--key", other.public_key,
                "--name", other.name,
                "--inbound", kinds,
                "--outbound", kinds,
                "--alerts", ",".join(cast.AGREED_ALERTS),
            ],
            node.env,
        )  # fmt: skip

    def _load(self, node: DemoNode) -> None:
        folder = node.home / "load"
        folder.mkdir(parents=True, exist_ok=True)
        if node.state == "MAR":
            sltd = _json_lines(folder / "sltd.jsonl", cast.mar_sltd())
            self._run("MAR", ["sltd", "load", str(sltd)], node.env)
            listed = _json_lines(folder / "watchlist.jsonl", cast.mar_watchlist())
            self._run("MAR", ["watchlist", "load", str(listed)], node.env)
            portrait = self.portrait()
            self._run(
                "MAR",
                ["face", "enrol", cast.FACE_GALLERY, cast.WANTED_ALERT_ID, str(portrait)],
                node.env,
            )
            self._synthetic_finger(node, self.live_finger(), impression=1)
        elif node.state == "BEL":
            listed = _json_lines(folder / "watchlist.jsonl", cast.bel_watchlist())
            self._run("BEL", ["watchlist", "load", str(listed)], node.env)
            enrolled = self._synthetic_finger(node, folder / "wanted-finger.png", impression=0)
            self._run(
                "BEL",
                ["finger", "enrol", cast.FINGER_GALLERY, cast.BEL_WANTED_FINGER, str(enrolled)],
                node.env,
            )
        elif node.state == "TUN":
            sltd = _json_lines(folder / "sltd.jsonl", cast.tun_sltd())
            self._run("TUN", ["sltd", "load", str(sltd)], node.env)
            alert = folder / "alert.json"
            alert.write_text(json.dumps(cast.tun_alert(), ensure_ascii=False), "utf-8")
            self._run("TUN", ["alert", "issue", "--file", str(alert)], node.env)

    def _synthetic_finger(self, node: DemoNode, path: Path, *, impression: int) -> Path:
        seed = str(cast.FINGER_SEED)
        args = ["finger", "synth", seed, "--impression", str(impression), "--out", str(path)]
        self._run(node.state, args, node.env)
        return path

    def live_finger(self) -> Path:
        """The live capture MAR's booth sends: another impression of BEL's enrolled finger,
        drawn at set-up by ``passerelle finger synth``."""
        return self.base / "MAR" / "load" / "live-finger.png"

    def portrait(self) -> Path:
        """The demo portrait (the face MAR enrols, and BEL's live photo) as a JPEG file."""
        path = self.base / "portrait.jpg"
        if not path.is_file():
            from passerelle.demo.loading import demo_portrait

            image = demo_portrait()
            if image is None:
                raise StepFailed(
                    "portrait", "scikit-image is not installed (pip install -e '.[dev]')"
                )
            path.write_bytes(image)
        return path

    def _add_user(self, node: DemoNode, role: str, *, token: bool) -> None:
        name = f"{role}.{node.state.lower()}"
        password = secrets.token_urlsafe(12)
        self._run(
            node.state, ["user", "add", name, "--role", role], node.env, stdin=password + "\n"
        )
        issued = None
        if token:
            said = self._run(
                node.state,
                ["token", "issue", name, "--days", "1", "--label", "federation demo"],
                node.env,
            )
            issued = said.strip().splitlines()[0]
        with self._lock:
            self.logins[(node.state, role)] = Login(node.state, name, role, password, issued)

    # -- running -------------------------------------------------------------------------

    def start(self, *states: str) -> None:
        """Start the nodes ``states`` (all by default) and wait until both servers answer."""
        chosen = [self.nodes[s] for s in (states or cast.STATES)]
        if not self._exit_hook:
            atexit.register(self.close)
            self._exit_hook = True
        servers = [server for node in chosen for server in (node.federation, node.api)]
        for server in servers:
            server.spawn()
        try:
            for server in servers:
                server.wait_ready()
        except StepFailed:
            _stop_all(servers)
            raise
        for node in chosen:
            self.say(
                f"  {node.state} up: officers' API {node.api_url} (pid {node.api.pid}), "
                f"federation listener {node.federation_url} (pid {node.federation.pid})"
            )

    def stop(self, state: str) -> None:
        """Stop one node's two processes (SIGTERM; killed if they do not stop in time)."""
        node = self.nodes[state]
        running = [server.pid for server in (node.federation, node.api) if server.running]
        _stop_all([node.federation, node.api])
        self.say(f"  {state} stopped (pids {', '.join(str(pid) for pid in running) or 'none'})")

    def close(self) -> None:
        """Stop every process started here, close clients and databases (safe to repeat)."""
        _stop_all([s for node in self.nodes.values() for s in (node.federation, node.api)])
        for client in self._clients:
            client.close()
        self._clients.clear()
        for database in self._databases.values():
            database.dispose()
        self._databases.clear()

    def __enter__(self) -> ThreeNodes:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- reaching the nodes --------------------------------------------------------------

    def api(self, state: str, role: str) -> NodeApi:
        """A client of ``state``'s API as its ``role`` user (closed with the orchestrator)."""
        login = self.logins[(state, role)]
        if login.token is None:
            raise StepFailed("api", f"{login.name} on {state} has no token")
        client = NodeApi(self.nodes[state].api_url, login.token)
        self._clients.append(client)
        return client

    def database(self, state: str) -> Database:
        """``state``'s database, for reading its exchange tables (``federation_demo.ledger``)."""
        if state not in self._databases:
            url = f"sqlite:///{self.nodes[state].home / 'passerelle.db'}"
            self._databases[state] = Database(url)
        return self._databases[state]

    def outsider(self) -> tuple[NodeIdentity, TlsFiles]:
        """FRA's signing identity and TLS files (a CA-issued certificate, no partner)."""
        return load_identity(self.outsider_home / "keys"), TlsFiles.for_home(self.outsider_home)


def _fresh_base(base: Path) -> None:
    """Make ``base`` an empty demo folder: created, or emptied if a previous demo left it."""
    if base.exists() and any(base.iterdir()):
        if not (base / MARKER).is_file():
            raise StepFailed("base", f"{base} is not empty and not a federation demo folder")
        for child in base.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    base.mkdir(parents=True, exist_ok=True)
    (base / MARKER).write_text("made by passerelle federation demo; emptied by the next run\n")


def _stop_all(servers: Sequence[ServedProcess]) -> None:
    """SIGTERM every server at once, then wait for each (killed if it takes too long)."""
    for server in servers:
        server.terminate()
    for server in servers:
        server.stop()


def _in_parallel(jobs: Sequence[Callable[[], object]]) -> None:
    """Run ``jobs`` side by side; the first failure is raised once all have ended."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(job) for job in jobs]
    for future in futures:
        future.result()


def _public_key_line(said: str, state: str) -> str:
    for line in said.splitlines():
        if line.startswith("public key: "):
            return line.removeprefix("public key: ").strip()
    raise StepFailed(f"{state} node init", "printed no public key")


def _json_lines(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def _write_logins(path: Path, logins: Iterable[Login]) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        kept = [
            {"node": x.state, "name": x.name, "role": x.role, "password": x.password}
            for x in logins
        ]
        json.dump(kept, out, indent=2)
        out.write("\n")
