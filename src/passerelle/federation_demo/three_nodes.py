"""Three national nodes on one machine: set up with ``passerelle`` commands, run as processes.

:class:`ThreeNodes` lays a federation out in a base folder and runs it::

    BASE/ca/                  the federation CA (federation ca)
    BASE/MAR|BEL|TUN/         each node's home: SQLite database, keys/, tls/, load/, logs/
    BASE/FRA/                 a node with a certificate from the same CA, registered nowhere
    BASE/logins.json          the demo users' passwords (mode 0600)

Setting up (:meth:`ThreeNodes.set_up`) runs what an operator types, one
command per step, as the node's own environment (``PASSERELLE_HOME``,
``PASSERELLE_NODE``): ``federation ca``; per node ``node init --state X
--ca-dir``, ``db upgrade`` and ``keys init``; then ``peer add`` of each other node with the
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

The set-up and the processes are :class:`~passerelle.federation_demo.mesh.Mesh`'s
(any number of members); this module adds the three nodes' data, users and FRA.
Each node then runs two processes (:meth:`start`): ``passerelle federation
serve`` (the mutual-TLS listener and the outbox deliverer) and ``passerelle
serve`` (the officers' API, ``PASSERELLE_FEDERATION=on``), each on its own
loopback port. :meth:`stop` ends one node's processes (SIGTERM), :meth:`start`
brings them back on the same ports; :meth:`close` (also on leaving the
``with`` block, and at interpreter exit) stops every process it started.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from passerelle.federation.protocol.identity import NodeIdentity, load_identity
from passerelle.federation.protocol.tls import TlsFiles
from passerelle.federation_demo import cast
from passerelle.federation_demo.mesh import Login, Mesh, json_lines
from passerelle.federation_demo.processes import (
    CommandRunner,
    DemoNode,
    StepFailed,
    node_environment,
    run_passerelle,
)

__all__ = ["OUTSIDER", "Login", "ThreeNodes"]

OUTSIDER = "FRA"
"""The state of the node that holds a certificate from the federation CA but is no one's partner."""

USERS: dict[str, tuple[str, ...]] = {
    "MAR": ("officer", "analyst", "auditor"),
    "BEL": ("officer", "analyst"),
    "TUN": ("analyst",),
}
"""The users each node gets (named ``ROLE.state``); each has a token but TUN's analyst."""

Say = Callable[[str], None]


class ThreeNodes(Mesh):
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
        super().__init__(
            base,
            cast.STATES,
            kinds=cast.AGREED_KINDS,
            alerts=cast.AGREED_ALERTS,
            users=USERS,
            tokenless={("TUN", "analyst")},
            say=say,
            deliver_interval=deliver_interval,
            run=run,
        )
        self.outsider_home = self.base / OUTSIDER

    def extra_inits(self) -> list[Callable[[], None]]:
        """FRA's ``node init``: a certificate from the same CA, registered nowhere."""
        env = node_environment(self.outsider_home, OUTSIDER)
        args = ["node", "init", "--state", OUTSIDER, "--ca-dir", str(self.ca_dir)]

        def init_outsider() -> None:
            self.run(OUTSIDER, args, env)

        return [init_outsider]

    def load(self, node: DemoNode) -> None:
        folder = node.home / "load"
        folder.mkdir(parents=True, exist_ok=True)
        if node.state == "MAR":
            sltd = json_lines(folder / "sltd.jsonl", cast.mar_sltd())
            self.run("MAR", ["sltd", "load", str(sltd)], node.env)
            listed = json_lines(folder / "watchlist.jsonl", cast.mar_watchlist())
            self.run("MAR", ["watchlist", "load", str(listed)], node.env)
            portrait = self.portrait()
            self.run(
                "MAR",
                ["face", "enrol", cast.FACE_GALLERY, cast.WANTED_ALERT_ID, str(portrait)],
                node.env,
            )
            self._synthetic_finger(node, self.live_finger(), impression=1)
        elif node.state == "BEL":
            listed = json_lines(folder / "watchlist.jsonl", cast.bel_watchlist())
            self.run("BEL", ["watchlist", "load", str(listed)], node.env)
            enrolled = self._synthetic_finger(node, folder / "wanted-finger.png", impression=0)
            self.run(
                "BEL",
                ["finger", "enrol", cast.FINGER_GALLERY, cast.BEL_WANTED_FINGER, str(enrolled)],
                node.env,
            )
        elif node.state == "TUN":
            sltd = json_lines(folder / "sltd.jsonl", cast.tun_sltd())
            self.run("TUN", ["sltd", "load", str(sltd)], node.env)
            alert = folder / "alert.json"
            alert.write_text(json.dumps(cast.tun_alert(), ensure_ascii=False), "utf-8")
            self.run("TUN", ["alert", "issue", "--file", str(alert)], node.env)

    def _synthetic_finger(self, node: DemoNode, path: Path, *, impression: int) -> Path:
        seed = str(cast.FINGER_SEED)
        args = ["finger", "synth", seed, "--impression", str(impression), "--out", str(path)]
        self.run(node.state, args, node.env)
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

    def outsider(self) -> tuple[NodeIdentity, TlsFiles]:
        """FRA's signing identity and TLS files (a CA-issued certificate, no partner)."""
        return load_identity(self.outsider_home / "keys"), TlsFiles.for_home(self.outsider_home)
