"""The demo node's lists: watchlist, stolen and lost documents, alerts (pure).

The watchlist mixes three kinds of persons:

* **planted**: travellers of the world, listed under another spelling of their
  name (``Muhammad bin Ali`` and ``محمد بن علي`` for a passport reading
  ``BENALI<<MOHAMED``) with their date of birth: screening must find them;
* **decoys**: common names (``Mohamed Alaoui``, ``Mamadou Diallo``…) with dates
  of birth no traveller of that name has: screening must not alert on the
  many travellers who share the name;
* **others**: persons who do not travel in this world, named as their issuers
  write them (Latin, and Arabic script for Arabic names), some with only a
  year of birth or none.

The SLTD registry holds some travellers' passports (stolen or lost, and still
presented) among documents of every issuer the node sees.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from passerelle.demo.model import StolenDocument, Traveller, WatchlistRecord
from passerelle.demo.names import NAMES, arabic_name, latin_name, scholarly_name
from passerelle.demo.people import NATIONALITY_WEIGHTS, PassportOffice

__all__ = ["COMMON_GIVEN_NAMES", "ListMaker"]

Category = Literal["wanted", "travel_ban", "missing", "alert"]
Status = Literal["stolen", "lost", "revoked", "invalidated"]

COMMON_GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "MAR": ("MOHAMED", "AHMED", "YOUSSEF", "MOHAMMED", "FATIMA", "KHADIJA", "AICHA"),
    "SEN": ("MAMADOU", "IBRAHIMA", "MOUSSA", "FATOU", "AMINATA"),
    "MLI": ("MAMADOU", "MOUSSA", "FATOUMATA", "AMINATA"),
    "GIN": ("MAMADOU", "IBRAHIMA", "FATOUMATA", "MARIAMA"),
}
"""The given names every second traveller of the region seems to bear."""
_FEMALE = frozenset({"FATIMA", "KHADIJA", "AICHA", "FATOU", "AMINATA", "FATOUMATA", "MARIAMA"})
_WATCHLIST_ORIGINS = {
    "MAR": 40.0,
    "DZA": 8.0,
    "TUN": 6.0,
    "SYR": 6.0,
    "LBY": 5.0,
    "EGY": 5.0,
    "SEN": 5.0,
    "MLI": 5.0,
    "NER": 3.0,
    "GIN": 4.0,
    "CIV": 3.0,
    "FRA": 3.0,
    "ESP": 3.0,
    "BEL": 2.0,
    "NLD": 2.0,
}
_ISSUERS = {"MAR": 80.0, "ESP": 6.0, "FRA": 6.0, "BEL": 4.0, "NLD": 4.0}
_SLTD_STATUS: dict[Status, float] = {
    "stolen": 40.0,
    "lost": 45.0,
    "revoked": 10.0,
    "invalidated": 5.0,
}


def _iso(day: date) -> str:
    return day.isoformat()


@dataclass
class ListMaker:
    """Draws the watchlist and the SLTD registry of a world, given its travellers."""

    rng: random.Random
    as_of: date
    office: PassportOffice
    travellers: Sequence[Traveller]
    reserved: set[str] = field(default_factory=set)
    """Traveller ids the lists must leave alone (scenarios, alerts, earlier picks)."""
    avoid_surnames: set[str] = field(default_factory=set)
    """Surnames the other persons must not bear (the scenario travellers')."""
    serial: int = 0

    def next_id(self, issuer: str) -> str:
        self.serial += 1
        return f"{issuer}-W-{self.serial:04d}"

    def pick(self, count: int, *, where: Iterable[Traveller]) -> list[Traveller]:
        """Up to ``count`` travellers not yet reserved, drawn among ``where``; reserved now."""
        pool = [t for t in where if t.id not in self.reserved]
        chosen = self.rng.sample(pool, min(count, len(pool)))
        self.reserved.update(t.id for t in chosen)
        return chosen

    def category(self) -> Category:
        choices: list[Category] = ["wanted", "travel_ban", "alert", "missing"]
        return self.rng.choices(choices, weights=[45, 25, 25, 5])[0]

    # -- watchlist -------------------------------------------------------------------------

    def planted(self, traveller: Traveller, *, category: Category | None = None) -> WatchlistRecord:
        """A traveller listed under the other spelling of their name and in Arabic script."""
        names = [
            scholarly_name(traveller.given_names, traveller.surname),
            arabic_name(traveller.given_names, traveller.surname),
        ]
        return WatchlistRecord(
            id=self.next_id("MAR"),
            names=tuple(n for n in names if n),
            birth_date=_iso(traveller.birth_date),
            nationalities=(traveller.nationality,),
            sex=traveller.sex,
            category=category or self.category(),
            issued_by="MAR",
            traveller_id=traveller.id,
        )

    def decoys(self, count: int) -> list[WatchlistRecord]:
        """Persons with the region's commonest names, born on days no namesake traveller was."""
        born: dict[tuple[str, str], list[date]] = defaultdict(list)
        for traveller in self.travellers:
            born[(traveller.given_names, traveller.surname)].append(traveller.birth_date)
        records: list[WatchlistRecord] = []
        origins = list(COMMON_GIVEN_NAMES)
        while len(records) < count:
            origin = self.rng.choices(origins, weights=[70, 10, 10, 10])[0]
            given = self.rng.choice(COMMON_GIVEN_NAMES[origin])
            surname = self.rng.choice(NAMES[origin][2])
            birth = self.as_of - timedelta(days=self.rng.randint(20 * 365, 65 * 365))
            if any(abs((birth - other).days) < 3 * 366 for other in born[(given, surname)]):
                continue
            names = [latin_name(given, surname), arabic_name(given, surname)]
            records.append(
                WatchlistRecord(
                    id=self.next_id("MAR"),
                    names=tuple(n for n in names if n),
                    birth_date=_iso(birth),
                    nationalities=(origin,),
                    sex="F" if given in _FEMALE else "M",
                    category=self.category(),
                    issued_by="MAR",
                )
            )
        return records

    def others(self, count: int) -> list[WatchlistRecord]:
        """Persons who do not travel in this world, as their issuers name them."""
        carried = {(t.given_names, t.surname) for t in self.travellers}
        carried_surnames = {t.surname for t in self.travellers}
        records: list[WatchlistRecord] = []
        origins = list(_WATCHLIST_ORIGINS)
        while len(records) < count:
            origin = self.rng.choices(origins, weights=list(_WATCHLIST_ORIGINS.values()))[0]
            sex: Literal["M", "F"] = "M" if self.rng.random() < 0.85 else "F"
            given, surname = self.office.name(origin, sex)
            if (given, surname) in carried or surname in self.avoid_surnames:
                continue
            birth = self.as_of - timedelta(days=self.rng.randint(18 * 365, 70 * 365))
            roll = self.rng.random()
            birth_date: str | None = _iso(birth)
            if roll < 0.15 and surname not in carried_surnames:
                birth_date = str(birth.year)
            elif roll < 0.22 and surname not in carried_surnames:
                birth_date = None
            names = [latin_name(given, surname)]
            variant = scholarly_name(given, surname)
            if variant and self.rng.random() < 0.5:
                names = [variant]
            arabic = arabic_name(given, surname)
            if arabic:
                names.append(arabic)
            issuer = self.rng.choices(list(_ISSUERS), weights=list(_ISSUERS.values()))[0]
            valid_until = None
            if self.rng.random() < 0.2:
                valid_until = self.as_of + timedelta(days=self.rng.randint(30, 3 * 365))
            records.append(
                WatchlistRecord(
                    id=self.next_id(issuer),
                    names=tuple(names),
                    birth_date=birth_date,
                    nationalities=(origin,),
                    sex=sex,
                    category=self.category(),
                    issued_by=issuer,
                    valid_until=valid_until,
                )
            )
        return records

    # -- stolen and lost documents ---------------------------------------------------------

    def reported(self, traveller: Traveller, status: Status = "stolen") -> StolenDocument:
        """A traveller's passport as its issuer reported it, weeks or months ago."""
        return StolenDocument(
            issuing_state=traveller.issuing_state,
            document_number=traveller.document_number,
            document_code="P",
            status=status,
            reported_on=self.as_of - timedelta(days=self.rng.randint(20, 300)),
            reported_by=traveller.issuing_state,
        )

    def registry(self, count: int) -> list[StolenDocument]:
        """Documents of every issuer the node sees, none of them a traveller's."""
        states = list(NATIONALITY_WEIGHTS)
        weights = [NATIONALITY_WEIGHTS[s] * (2.0 if s == "MAR" else 1.0) for s in states]
        statuses = list(_SLTD_STATUS)
        records: list[StolenDocument] = []
        for _ in range(count):
            state = self.rng.choices(states, weights=weights)[0]
            identity_card = self.rng.random() < 0.2
            number = self.office.number(state)
            if identity_card and state == "BEL":
                number = f"{self.rng.randint(100, 999)}{number[-6:]}{self.rng.randint(100, 999)}"
            records.append(
                StolenDocument(
                    issuing_state=state,
                    document_number=number,
                    document_code="I" if identity_card else "P",
                    status=self.rng.choices(statuses, weights=list(_SLTD_STATUS.values()))[0],
                    reported_on=self.as_of - timedelta(days=self.rng.randint(1, 3 * 365)),
                    reported_by=state,
                )
            )
        return records
