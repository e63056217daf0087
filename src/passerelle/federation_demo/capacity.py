"""How many members can run their officers' API beside their listener: measured, not guessed.

A member runs ``passerelle federation serve`` (its listener and outbox
deliverer) and, to ask partners or issue alerts, ``passerelle serve`` (its
officers' API). Both are Python processes of roughly the same size. The scale
demo starts one member first, measures the two processes' resident memory
(``VmRSS``), and :func:`plan` decides from that and the memory the machine
has available (``MemAvailable``, ``/proc/meminfo``) which members run full and
which run their listener only (they still answer queries and receive alerts;
they do not ask). :func:`memory_line` says it with the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MIB", "MemoryPlan", "available_bytes", "memory_line", "plan"]

MIB = 2**20

GROWTH = 1.25
"""Head-room per process over its idle size (caches, connections, a fan-out under way): at
the end of the 22-member story the processes had grown by 1.02 to 1.16 times their idle
size (``passerelle serve`` 172 to at most 179 MiB, ``federation serve`` 155 to 180 MiB)."""


@dataclass(frozen=True, slots=True)
class MemoryPlan:
    """Which members run full (API and listener) and which run their listener only."""

    full: tuple[str, ...]
    listener_only: tuple[str, ...]
    api_bytes: int
    """Resident size of one idle ``passerelle serve`` (measured)."""
    listener_bytes: int
    """Resident size of one idle ``passerelle federation serve`` (measured)."""
    available: int
    """Memory available when measured (``MemAvailable``)."""
    budget: int
    """The share of it the federation may use."""

    @property
    def expected_bytes(self) -> int:
        """What the plan should take, at rest."""
        members = len(self.full) + len(self.listener_only)
        return members * self.listener_bytes + len(self.full) * self.api_bytes


def available_bytes() -> int:
    """``MemAvailable`` of ``/proc/meminfo`` (0 when unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text("ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def plan(
    members: Sequence[str],
    *,
    must_run_full: Sequence[str],
    api_bytes: int,
    listener_bytes: int,
    available: int,
    share: float = 0.5,
) -> MemoryPlan:
    """Every listener, then an API for each member in order (``must_run_full`` first)
    while the total, with :data:`GROWTH` head-room, stays within ``share`` of ``available``.

    >>> p = plan(["A", "B", "C"], must_run_full=["C"], api_bytes=100, listener_bytes=100,
    ...          available=1000, share=0.6)
    >>> p.full, p.listener_only
    (('C',), ('A', 'B'))
    """
    budget = int(available * share)
    used = GROWTH * listener_bytes * len(members)
    order = [*must_run_full, *(m for m in members if m not in must_run_full)]
    full: list[str] = []
    for member in order:
        if used + GROWTH * api_bytes > budget and member not in must_run_full:
            continue
        used += GROWTH * api_bytes
        full.append(member)
    listener_only = tuple(m for m in members if m not in full)
    kept = tuple(m for m in members if m in full)
    return MemoryPlan(kept, listener_only, api_bytes, listener_bytes, available, budget)


def memory_line(chosen: MemoryPlan) -> str:
    """The plan in words, with its figures."""
    members = len(chosen.full) + len(chosen.listener_only)
    verdict = (
        f"all {members} members run full (API and listener)"
        if not chosen.listener_only
        else f"{len(chosen.full)} members run full, {len(chosen.listener_only)} listener only "
        f"({', '.join(chosen.listener_only)})"
    )
    return (
        f"idle RSS measured on the first member: passerelle serve "
        f"{chosen.api_bytes / MIB:.0f} MiB, federation serve {chosen.listener_bytes / MIB:.0f} "
        f"MiB; {members} x both = {members * (chosen.api_bytes + chosen.listener_bytes) / MIB:.0f} "
        f"MiB against a budget of {chosen.budget / MIB:.0f} MiB (half of the "
        f"{chosen.available / MIB:.0f} MiB available, x{GROWTH:g} head-room): {verdict}"
    )
