"""Entries and exits of the demo world's travellers over the 30 days before the reference day.

Patterns as a Moroccan node records them:

* visitors and Moroccans living abroad: an entry, then (unless still in the
  country) an exit 2 to 25 days later, sometimes at another crossing point;
* Moroccan residents: an exit, then (unless still abroad) the entry home;
* day trips to Ceuta and Melilla (``BAB-SEBTA``, ``NDR-BNI``): out and back, or in
  and out, the same day, several times in the month;
* overstays: a third-country national who entered 95 to 160 days ago and is
  still in the country, or left in the last weeks after more than 90 days
  (the only crossings older than 30 days in the world).

Every crossing falls on a day strictly before the reference day, at a local
hour between 06:00 and 23:00 (stored in UTC).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

from passerelle.demo.model import DemoCrossing, Traveller
from passerelle.stay import Direction

__all__ = ["CROSSING_POINTS", "WINDOW_DAYS", "Itinerary"]

WINDOW_DAYS = 30

CROSSING_POINTS: Mapping[str, str] = MappingProxyType(
    {
        "TNG-MED": "Tanger Med port (ferries to Algeciras, Tarifa, Sète, Genoa)",
        "CMN-T1": "Casablanca Mohammed V airport, terminal 1",
        "RAK-MEN": "Marrakech Menara airport",
        "BAB-SEBTA": "Bab Sebta land border (Ceuta)",
        "NDR-BNI": "Beni Ensar land border (Melilla), Nador",
        "OUJ-ZKH": "Oujda Zouj Beghal (Algeria)",
    }
)

_EUROPE_BY_SEA_OR_AIR = {"TNG-MED": 40.0, "CMN-T1": 30.0, "RAK-MEN": 30.0}
_POINTS_BY_NATIONALITY: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "MAR": {
            "TNG-MED": 35.0,
            "CMN-T1": 35.0,
            "BAB-SEBTA": 11.0,
            "NDR-BNI": 11.0,
            "RAK-MEN": 6.0,
            "OUJ-ZKH": 2.0,
        },
        "ESP": {
            "TNG-MED": 40.0,
            "BAB-SEBTA": 20.0,
            "NDR-BNI": 15.0,
            "CMN-T1": 15.0,
            "RAK-MEN": 10.0,
        },
        "FRA": _EUROPE_BY_SEA_OR_AIR,
        "BEL": _EUROPE_BY_SEA_OR_AIR,
        "NLD": _EUROPE_BY_SEA_OR_AIR,
        "ITA": _EUROPE_BY_SEA_OR_AIR,
        "GBR": {"RAK-MEN": 60.0, "CMN-T1": 30.0, "TNG-MED": 10.0},
        "D": {"RAK-MEN": 60.0, "CMN-T1": 30.0, "TNG-MED": 10.0},
        "DZA": {"CMN-T1": 80.0, "OUJ-ZKH": 20.0},
    }
)
_AIR = {"CMN-T1": 95.0, "RAK-MEN": 5.0}
OFFICERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "TNG-MED": ("officer.benali", "officer.ouazzani", "officer.el-khattabi"),
        "CMN-T1": ("officer.berrada", "officer.naciri", "officer.chraibi", "officer.tazi"),
        "RAK-MEN": ("officer.amzil", "officer.ouhaddou"),
        "BAB-SEBTA": ("officer.bakkali", "officer.azzouzi"),
        "NDR-BNI": ("officer.ziani", "officer.rahmouni"),
        "OUJ-ZKH": ("officer.bouziane",),
    }
)
_DAY_TRIP_POINTS = ("BAB-SEBTA", "NDR-BNI")

Leg = tuple[Direction, datetime, str]


@dataclass
class Itinerary:
    """Draws each traveller's crossings; ``crossings()`` numbers them in time order."""

    rng: random.Random
    as_of: date
    legs: list[tuple[Traveller, Leg]] = field(default_factory=list)

    # -- drawing -------------------------------------------------------------------------

    def point(self, nationality: str) -> str:
        weights = _POINTS_BY_NATIONALITY.get(nationality, _AIR)
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def moment(self, day: date, *, after: datetime | None = None) -> datetime:
        """A local-daytime instant on ``day`` (UTC; Morocco is UTC+1), after ``after`` if given."""
        start = 5 * 60  # 06:00 local
        if after is not None and after.date() == day:
            start = max(start, after.hour * 60 + after.minute + 30)
        minute = self.rng.randint(min(start, 22 * 60 - 1), 22 * 60)
        return datetime.combine(day, time(minute // 60, minute % 60), UTC)

    def window_day(self, earliest: int = WINDOW_DAYS, latest: int = 1) -> date:
        """A day between ``earliest`` and ``latest`` days before the reference day."""
        return self.as_of - timedelta(days=self.rng.randint(latest, earliest))

    def add(self, traveller: Traveller, direction: Direction, at: datetime, point: str) -> None:
        self.legs.append((traveller, (direction, at, point)))

    def trip(self, traveller: Traveller, first: Direction, *, length: tuple[int, int]) -> None:
        """One trip in the window: ``first`` then the opposite crossing, unless not yet made."""
        start = self.window_day()
        point = self.point(traveller.nationality)
        at = self.moment(start)
        self.add(traveller, first, at, point)
        back = start + timedelta(days=self.rng.randint(*length))
        if back < self.as_of:
            if self.rng.random() < 0.2:
                point = self.point(traveller.nationality)
            second: Direction = "exit" if first == "entry" else "entry"
            self.add(traveller, second, self.moment(back, after=at), point)

    def day_trips(self, traveller: Traveller, first: Direction) -> None:
        """Several same-day crossings out and back (or in and out) at Ceuta or Melilla."""
        point = self.rng.choice(_DAY_TRIP_POINTS)
        days = sorted({self.window_day() for _ in range(self.rng.randint(2, 8))})
        second: Direction = "exit" if first == "entry" else "entry"
        for day in days:
            out = self.moment(day)
            if out.hour >= 21:
                out = out.replace(hour=8)
            self.add(traveller, first, out, point)
            self.add(traveller, second, self.moment(day, after=out), point)

    def usual(self, traveller: Traveller) -> None:
        """The crossings of an ordinary traveller (one in ten made none this month)."""
        roll = self.rng.random()
        if roll < 0.1:
            return
        if traveller.nationality == "MAR":
            if roll < 0.16:
                self.day_trips(traveller, "exit")
            elif roll < 0.6:
                self.trip(traveller, "entry", length=(7, 25))  # Moroccans living abroad
            else:
                self.trip(traveller, "exit", length=(2, 15))  # residents travelling
        elif traveller.nationality == "ESP" and roll < 0.2:
            self.day_trips(traveller, "entry")
        else:
            self.trip(traveller, "entry", length=(2, 21))

    def overstay(self, traveller: Traveller, *, still_inside: bool) -> None:
        """Entered 95-160 days ago; still inside, or left recently after more than 90 days."""
        entered_days_ago = self.rng.randint(95, 160)
        point = self.point(traveller.nationality)
        entry = self.moment(self.as_of - timedelta(days=entered_days_ago))
        self.add(traveller, "entry", entry, point)
        if not still_inside:
            left_days_ago = self.rng.randint(1, min(WINDOW_DAYS, entered_days_ago - 91))
            exit_at = self.moment(self.as_of - timedelta(days=left_days_ago))
            self.add(traveller, "exit", exit_at, point)

    # -- the result ----------------------------------------------------------------------

    def crossings(self) -> tuple[DemoCrossing, ...]:
        """Every leg as a crossing, in time order, with ids ``TNG-2026-000001`` and an officer."""
        ordered: Sequence[tuple[Traveller, Leg]] = sorted(
            self.legs, key=lambda item: (item[1][1], item[0].id, item[1][0])
        )
        out: list[DemoCrossing] = []
        for number, (traveller, (direction, at, point)) in enumerate(ordered, start=1):
            out.append(
                DemoCrossing(
                    id=f"{point.split('-')[0]}-{at.year}-{number:06d}",
                    issuing_state=traveller.issuing_state,
                    document_number=traveller.document_number,
                    nationality=traveller.nationality,
                    crossing_point=point,
                    direction=direction,
                    at=at,
                    officer=self.rng.choice(OFFICERS[point]),
                )
            )
        return tuple(out)
