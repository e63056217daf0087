"""The hub route of a demo mesh: a router node and the commands that point members at it.

A :class:`HubRoute` is one more node in the base folder (``BASE/UNO/``), set up
and run by the commands an operator types (``passerelle hub ...``, from the
hub branch of issue 16):

* ``node init --state UNO --ca-dir``, ``db upgrade``, ``keys init`` (beside the members');
* ``hub member add X --url --key`` for every member, and ``hub allow '*' '*'
  --kinds query.*,alert.*,...`` (the members' own agreements still apply on arrival: the
  matrix only forbids);
* on each member, ``peer add UNO --url --key --hub``; every partner is then
  registered with its sealing key (``--sealing-key``, the line ``node show``
  prints) and, when routed through the hub, ``--via UNO``.

Which partners go through the hub: every one for ``route="hub"``; for
``route="both"`` every second one (:meth:`HubRoute.via`), so that an inspection
asks some partners directly and the others through the hub within one
deadline. ``hub serve`` runs as the hub's one process (:attr:`HubRoute.server`).
"""

from __future__ import annotations

import json
from pathlib import Path

from passerelle.federation.protocol.tls import TlsFiles, client_ssl_context
from passerelle.federation_demo.processes import (
    DemoNode,
    ServedProcess,
    answers_tls,
    node_environment,
)
from passerelle.server.ports import free_port

__all__ = ["HUB", "HubRoute"]

HUB = "UNO"
"""The hub's node code."""

KINDS = "query.*,alert.*,followup.*,hit.*,key.*,audit.*"
"""What the hub forwards between any two members (their own agreements still apply)."""


class HubRoute:
    """The hub of a mesh in ``home``: its port, its key, its process, its routes."""

    def __init__(self, home: Path, *, route: str, deliver_interval: float) -> None:
        self.home = home
        self.route = route
        self.port = free_port()
        self.env = node_environment(home, HUB)
        self.public_key = ""
        self.server = ServedProcess(
            f"{HUB} passerelle hub serve",
            [
                "hub", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                "--deliver-interval", f"{deliver_interval:g}",
            ],
            self.env,
            home / "logs" / "hub.log",
            lambda: answers_tls(self.port, client_ssl_context(TlsFiles.for_home(home))),
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def via(self, states: tuple[str, ...], asker: str, partner: str) -> bool:
        """Whether ``asker`` reaches ``partner`` through the hub."""
        if self.route == "hub":
            return True
        distance = (states.index(partner) - states.index(asker)) % len(states)
        return distance % 2 == 1  # "both": every second partner around the ring

    def init_args(self, ca_dir: Path) -> list[list[str]]:
        """The hub's own set-up commands."""
        return [
            ["node", "init", "--state", HUB, "--ca-dir", str(ca_dir)],
            ["db", "upgrade"],
            ["keys", "init"],
        ]

    def enrol_args(self, members: list[DemoNode]) -> list[list[str]]:
        """The hub's commands that enrol ``members`` and let each send every other anything
        their own agreements allow."""
        args = [
            ["hub", "member", "add", m.state, "--url", m.federation_url, "--key", m.public_key]
            for m in members
        ]
        return [*args, ["hub", "allow", "*", "*", "--kinds", KINDS]]

    def register_args(self) -> list[str]:
        """``peer add`` of the hub on a member."""
        return ["peer", "add", HUB, "--url", self.url, "--key", self.public_key, "--hub"]

    def partner_terms(self, sealing_key: str, *, via: bool) -> list[str]:
        """What ``peer add PARTNER`` adds on this route: the partner's sealing key, and
        ``--via`` the hub when it is reached through it."""
        return ["--sealing-key", sealing_key, *(["--via", HUB] if via else [])]


def sealing_line(shown: str) -> str:
    """The sealing key line of ``node show --json``'s output."""
    return str(json.loads(shown)["sealing_key"])
