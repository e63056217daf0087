"""The demo's smuggling ring: seven travellers crossing together at Beni Ensar (Nador).

An organiser and two sub-groups of three Moroccan residents make day trips to Melilla
over the four weeks before the reference day: out through ``NDR-BNI`` in the morning,
back in the afternoon, each member a few minutes after the one before. The organiser
crosses every time, with one sub-group then the other; the sub-groups never together.
The networks page (``/analysis/networks``) shows them as one community whose most
central person is the organiser; nothing else in the world crosses with anyone three
times within ten minutes.

The members are ordinary travellers of the population, picked by the ring's own seeded
generator; their usual crossings are replaced by the ring's (the world's other draws are
unchanged, and each member's crossings still alternate exit and entry).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, time, timedelta

from passerelle.demo.journeys import Itinerary
from passerelle.demo.model import Traveller

__all__ = ["RING_POINT", "RING_SIZE", "TRIP_DAYS_AGO", "plant_ring"]

RING_POINT = "NDR-BNI"
RING_SIZE = 7
TRIP_DAYS_AGO = (28, 25, 21, 18, 14, 11, 7, 4)
"""The days (before the reference day) of the trips: sub-group A, then B, in turn."""


def plant_ring(
    itinerary: Itinerary, population: Sequence[Traveller], *, seed: int, skip: Collection[str]
) -> tuple[Traveller, ...]:
    """Replace seven residents' crossings by the ring's trips; the organiser comes first."""
    rng = random.Random(f"smuggling-ring-{seed}")
    residents = [t for t in population if t.nationality == "MAR" and t.id not in skip]
    if len(residents) < RING_SIZE:
        return ()
    members = tuple(rng.sample(residents, RING_SIZE))
    ids = {member.id for member in members}
    itinerary.legs[:] = [leg for leg in itinerary.legs if leg[0].id not in ids]
    organiser, groups = members[0], (members[1:4], members[4:])
    for number, days_ago in enumerate(TRIP_DAYS_AGO):
        day = itinerary.as_of - timedelta(days=days_ago)
        crew = (organiser, *groups[number % 2])
        out = datetime.combine(day, time(7, rng.randint(30, 59)), UTC)  # 08:30-09:00 local
        back = datetime.combine(day, time(15, rng.randint(0, 40)), UTC)
        for member in crew:
            out += timedelta(minutes=rng.randint(1, 3))
            back += timedelta(minutes=rng.randint(1, 3))
            itinerary.add(member, "exit", out, RING_POINT)
            itinerary.add(member, "entry", back, RING_POINT)
    return members
