"""Unusual patterns planted in the demo world, so that the risk page has something to show.

* **A document used twice at once**: a passport (its number ``DU`` and seven digits, a
  copy carried by two persons) enters at Tanger Med and, four minutes later, leaves at
  Oujda Zouj Beghal, about 360 km away (``used_at_once``);
* **a burst of sequential passports**: five passports of one issuing state, numbers
  ``N7310450`` to ``N7310455`` (one missing), entering at Casablanca airport within
  40 minutes, each carried by a traveller of the world (``sequential_documents``).

Both fall on the fourth day before the reference day. The plants draw from a random
generator of their own (seeded from the world's seed), so the rest of the world is
drawn as before.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from passerelle.demo.journeys import Itinerary
from passerelle.demo.model import Traveller

__all__ = ["BURST_NUMBERS", "BURST_STATE", "plant_patterns"]

BURST_STATE = "SEN"
BURST_NUMBERS = ("N7310450", "N7310451", "N7310452", "N7310454", "N7310455")
DAYS_AGO = 4


def plant_patterns(
    itinerary: Itinerary, population: Sequence[Traveller], as_of: date, *, seed: int
) -> Traveller:
    """Plant the double use and the burst in ``itinerary``; the double-used passport."""
    rng = random.Random(seed * 7919 + 20)
    day = as_of - timedelta(days=DAYS_AGO)
    visitors = [t for t in population if t.nationality not in ("MAR", BURST_STATE)]
    holder = rng.choice(visitors or list(population))
    copied = replace(
        holder, id=f"{holder.id}-copied", document_number=f"DU{rng.randint(0, 9_999_999):07d}"
    )
    first = datetime.combine(day, time(9, rng.randint(0, 50)), UTC)
    itinerary.add(copied, "entry", first, "TNG-MED")
    itinerary.add(copied, "exit", first + timedelta(minutes=4), "OUJ-ZKH")
    carriers = rng.sample(list(population), len(BURST_NUMBERS))
    start = datetime.combine(day, time(14, rng.randint(0, 15)), UTC)
    for n, (carrier, number) in enumerate(zip(carriers, BURST_NUMBERS, strict=True)):
        passport = replace(
            carrier, id=f"{carrier.id}-burst", issuing_state=BURST_STATE, nationality=BURST_STATE,
            document_number=number,
        )  # fmt: skip
        itinerary.add(
            passport, "entry", start + timedelta(minutes=8 * n + rng.randint(0, 3)), "CMN-T1"
        )
    return copied
