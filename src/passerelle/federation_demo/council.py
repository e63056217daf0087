"""The Council of Arab Interior Ministers on one machine: N members in a full mesh.

:class:`Council` is a :class:`~passerelle.federation_demo.mesh.Mesh` of the
members of ``council_cast.MEMBERS`` (all twenty-two, or the first N): each
gets an officer and an analyst (with tokens), its stolen passport (``sltd
load``) and an agreement with every other member (document and person queries
both ways; ``wanted``, ``travel_ban`` and ``stolen_document`` alerts).

:meth:`Council.start_measured` starts one member, measures its two processes'
resident memory, decides with ``capacity.plan`` which members run full and
which run their listener only, and starts the others: the plan, with its
figures, is returned. The members run with :data:`COUNCIL_SETTINGS`: a
2-second deadline for inspections (twenty-two nodes sharing a few cores) and
at most 5 s between two tries of a message, so that a member that comes back
gets its messages within seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from passerelle.federation_demo import council_cast
from passerelle.federation_demo.capacity import MemoryPlan, available_bytes, plan
from passerelle.federation_demo.mesh import Mesh, json_lines
from passerelle.federation_demo.processes import (
    NODE_SETTINGS,
    CommandRunner,
    DemoNode,
    StepFailed,
    run_passerelle,
)

__all__ = ["COUNCIL_SETTINGS", "Council", "ProcessMemory"]

COUNCIL_SETTINGS = NODE_SETTINGS | {
    "PASSERELLE_FEDERATION_DEADLINE_MS": "2000",
    "PASSERELLE_FEDERATION_RETRY_MAX_S": "5",
}
"""What every member runs with: the demo's settings, a 2 s deadline, retries capped at 5 s."""

ProcessMemory = dict[str, tuple[int | None, int | None]]
"""Per member: resident bytes of ``passerelle serve`` and of ``passerelle federation serve``."""


class Council(Mesh):
    """The members ``members`` in ``base``, set up by commands, run as processes."""

    def __init__(
        self,
        base: Path,
        members: Sequence[str] = council_cast.MEMBERS,
        *,
        say: Callable[[str], None] | None = None,
        route: str = "direct",
        run: CommandRunner = run_passerelle,
        serial: bool = False,
        deliver_interval: float = 0.5,
    ) -> None:
        unknown = [m for m in members if m not in council_cast.MEMBERS]
        if unknown:
            raise StepFailed("members", f"not members of the Council: {', '.join(unknown)}")
        super().__init__(
            base,
            members,
            kinds=council_cast.AGREED_KINDS,
            alerts=council_cast.AGREED_ALERTS,
            users=dict.fromkeys(members, council_cast.USER_ROLES),
            say=say,
            deliver_interval=deliver_interval,
            settings=COUNCIL_SETTINGS,
            route=route,
            run=run,
            serial=serial,
        )
        self.roles = council_cast.roles(members)

    def load(self, node: DemoNode) -> None:
        folder = node.home / "load"
        folder.mkdir(parents=True, exist_ok=True)
        sltd = json_lines(folder / "sltd.jsonl", council_cast.member_sltd(node.state))
        self.run(node.state, ["sltd", "load", str(sltd)], node.env)

    def start_measured(self, *, settle: float = 2.0) -> MemoryPlan:
        """Start the first member, measure it, plan who runs full, start the others."""
        first = self.states[0]
        self.start(first)
        time.sleep(settle)  # past the start-up's transient allocations
        node = self.nodes[first]
        chosen = plan(
            self.states,
            must_run_full=(*self.roles.issuers, self.roles.killed, self.roles.hung),
            api_bytes=node.api.rss_bytes() or 0,
            listener_bytes=node.federation.rss_bytes() or 0,
            available=available_bytes(),
        )
        self.listener_only = frozenset(chosen.listener_only)
        self.start(*self.states[1:])
        return chosen

    def idle_cores(self, seconds: float = 3.0) -> float:
        """How many cores the members' processes keep busy when nobody asks anything
        (outbox passes, audit checkpoints, keep-alives): CPU time over ``seconds``."""
        servers = [s for state in self.states for s in self.servers_of(state)]
        before = [server.cpu_seconds() or 0.0 for server in servers]
        time.sleep(seconds)
        after = [server.cpu_seconds() or 0.0 for server in servers]
        return sum(b - a for a, b in zip(before, after, strict=True)) / seconds

    def memory(self) -> ProcessMemory:
        """Each member's processes' resident memory now (None: not running)."""
        return {
            state: (node.api.rss_bytes(), node.federation.rss_bytes())
            for state, node in self.nodes.items()
        }
