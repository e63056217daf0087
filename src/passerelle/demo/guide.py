"""The commands a demo user can type to see each scenario for themselves (pure: strings).

>>> from datetime import date
>>> from passerelle.demo import generate_world
>>> world = generate_world(1, as_of=date(2026, 11, 25), travellers=100)
>>> try_commands(world, world.scenario("overstay"))[-1].split(" --as-of ")[1].split()[0]
'2026-11-25'
"""

from __future__ import annotations

import shlex
from pathlib import Path

from passerelle.demo.model import DemoWorld, Scenario

__all__ = ["supervisor_note", "try_commands"]

_WHY = "--purpose 'demo: second-line check'"
"""Every search states why (the CLI refuses one without ``--purpose``)."""


def try_commands(
    world: DemoWorld, scenario: Scenario, *, portrait: Path | None = None
) -> tuple[str, ...]:
    """``passerelle`` command lines showing what the scenario is about, the MRZ check first.

    The face scenario's search needs the portrait ``seed_node`` wrote; without
    it only the document check is given.
    """
    day = world.as_of.isoformat()
    lines = " ".join(shlex.quote(line) for line in scenario.mrz_lines)
    commands = [f"passerelle doc check --as-of {day} {lines}"]
    if scenario.traveller_id is None:
        return tuple(commands)
    traveller = world.traveller(scenario.traveller_id)
    if scenario.key == "stolen":
        commands.append(f"passerelle sltd check {traveller.document.replace(':', ' ')} {_WHY}")
    elif scenario.key in ("watchlisted", "common_name"):
        commands.append(
            f"passerelle screen --name {shlex.quote(traveller.mrz_name)} "
            f"--dob {traveller.birth_date.isoformat()} --nationality {traveller.nationality} "
            f"--sex {traveller.sex} {_WHY}"
        )
    elif scenario.key in ("overstay", "clear"):
        commands.append(f"passerelle stay {traveller.document} --as-of {day} {_WHY}")
    elif scenario.key == "travel_ban":
        alert = next(a for a in world.alerts if a.category == "travel_ban")
        commands.append(f"passerelle alert show {alert.id} {_WHY}")
    elif scenario.key == "discreet_check":
        alert = next(a for a in world.alerts if a.category == "surveillance")
        commands.append(f"passerelle alert show {alert.id} {_WHY}")
    elif scenario.key == "face" and portrait is not None:
        commands.append(
            f"passerelle face search {world.face.gallery} {shlex.quote(str(portrait))} {_WHY}"
        )
    return tuple(commands)


def supervisor_note(scenario: Scenario) -> str | None:
    """What the ``supervisor`` demo login shows on this scenario: for a HIT, that the
    officer's Admit awaits a supervisor's confirmation (four eyes) and that Second line
    queues the traveller at ``/second-line``; nothing for the other scenarios.

    >>> from datetime import date
    >>> from passerelle.demo import generate_world
    >>> world = generate_world(1, as_of=date(2026, 11, 25), travellers=100)
    >>> supervisor_note(world.scenario("stolen")).startswith("Admit (A) on this HIT")
    True
    >>> supervisor_note(world.scenario("clear")) is None
    True
    """
    if scenario.expected != "hit":
        return None
    return (
        "Admit (A) on this HIT awaits a supervisor's confirmation: sign in as `supervisor` "
        "(another person) and confirm it from /second-line, Confirmations. Second line (R) "
        f"puts the traveller in the queue of {scenario.crossing_point} at /second-line, where "
        "the supervisor records the outcome."
    )
