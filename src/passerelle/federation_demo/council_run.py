"""``passerelle federation demo --states N``: the Council set up, started, told and summed up.

:func:`tell` sets the members up (timed), starts them with the memory plan
(timed), tells :class:`~passerelle.federation_demo.council_story.CouncilStory`,
measures every process's resident memory at the end, and prints a summary
with the figures. It returns a :class:`CouncilRun` (the chapters, the figures,
the plan and the memory) for the caller to judge.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from passerelle.federation_demo.capacity import MIB, MemoryPlan, memory_line
from passerelle.federation_demo.council import Council, ProcessMemory
from passerelle.federation_demo.council_story import CouncilStory, Figures, percentile
from passerelle.federation_demo.processes import CommandRunner, run_passerelle
from passerelle.federation_demo.story import Chapter

__all__ = ["CouncilRun", "summary", "tell"]


@dataclass(frozen=True, slots=True)
class CouncilRun:
    """A told scale story: its chapters and what was measured."""

    base: Path
    members: tuple[str, ...]
    chapters: list[Chapter]
    figures: Figures
    plan: MemoryPlan
    memory: ProcessMemory
    setup_s: float
    start_s: float
    idle_cores: float
    """CPUs the members kept busy at rest, before the story."""

    @property
    def held(self) -> bool:
        return all(chapter.held for chapter in self.chapters)


def tell(
    base: Path,
    members: Sequence[str],
    *,
    say: Callable[[str], None],
    route: str = "direct",
    run: CommandRunner = run_passerelle,
    serial: bool = False,
    keep: Callable[[Council], None] | None = None,
) -> CouncilRun:
    """Set up, start and tell the story on ``members`` in ``base``; every process is stopped
    on the way out (after ``keep``, if given, returns). ``run`` and ``serial``: as
    :class:`~passerelle.federation_demo.mesh.Mesh` takes them."""
    with Council(base, members, say=say, route=route, run=run, serial=serial) as council:
        say(f"Setting up {len(members)} members in {council.base} ({route} links):")
        started = time.monotonic()
        council.set_up()
        setup_s = time.monotonic() - started
        say(f"Starting the members (set-up took {setup_s:.1f} s):")
        started = time.monotonic()
        plan = council.start_measured()
        start_s = time.monotonic() - started
        say(f"  {memory_line(plan)}")
        idle = council.idle_cores()
        say(f"  at rest the {len(members)} members keep {idle:.2f} of {os.cpu_count()} CPUs busy")
        story = CouncilStory(council, say=say)
        chapters = story.run()
        told = CouncilRun(
            council.base,
            tuple(members),
            chapters,
            story.figures,
            plan,
            council.memory(),
            setup_s,
            start_s,
            idle,
        )
        for line in summary(told):
            say(line)
        if keep is not None:
            keep(council)
    return told


def summary(told: CouncilRun) -> list[str]:
    """The figures and the verdict, in lines."""
    figures = told.figures
    apis = [a for a, _ in told.memory.values() if a]
    listeners = [f for _, f in told.memory.values() if f]
    total = sum(apis) + sum(listeners)
    checks = [check for chapter in told.chapters for check in chapter.checks]
    failed = [str(chapter.number) for chapter in told.chapters if not chapter.held]
    members = len(told.members)
    return [
        "",
        f"── Summary: {members} members, {members * (members - 1)} agreements " + "─" * 30,
        f"  set-up {told.setup_s:.1f} s (CA, {members} x node init, db upgrade, keys init, "
        f"{members - 1} peer add, sltd load, 2 users), start {told.start_s:.1f} s",
        f"  at rest the members kept {told.idle_cores:.2f} of {os.cpu_count()} CPUs busy",
        f"  resident memory at the end: passerelle serve {_mib(apis)}, federation serve "
        f"{_mib(listeners)}; {len(apis) + len(listeners)} processes, {total / MIB:.0f} MiB "
        "in all",
        f"  inspections ({len(figures.inspection_s)}, each asking {members - 1} partners "
        f"two queries, {figures.partner_queries} queries audited; one partner hung): "
        f"p50 {percentile(figures.inspection_s, 50):.2f} s, p95 "
        f"{percentile(figures.inspection_s, 95):.2f} s",
        f"  alert delivery to healthy members ({len(figures.alert_delivery_s)} arrivals): "
        f"p50 {percentile(figures.alert_delivery_s, 50):.2f} s, p95 "
        f"{percentile(figures.alert_delivery_s, 95):.2f} s, max "
        f"{max(figures.alert_delivery_s, default=0):.2f} s",
        "  the killed and the hung member caught up "
        + (
            f"{figures.convergence_s:.1f} s after the restart"
            if figures.convergence_s is not None
            else "NOT within the patience"
        ),
        f"{sum(c.held for c in checks)} of {len(checks)} expectations held; "
        + (
            f"step(s) {', '.join(failed)} FAILED"
            if failed
            else f"every step held ({len(told.chapters)} steps)"
        ),
    ]


def _mib(sizes: list[int]) -> str:
    if not sizes:
        return "-"
    return (
        f"{min(sizes) / MIB:.0f}-{max(sizes) / MIB:.0f} MiB "
        f"(mean {sum(sizes) / len(sizes) / MIB:.0f}, x{len(sizes)})"
    )
