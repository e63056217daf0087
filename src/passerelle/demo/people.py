"""Travellers and their passports for the demo world (pure: randomness passed in).

Nationalities are weighted as a Moroccan node sees them (Moroccans and the
Moroccan diaspora first, Spain and France next, West Africa, the Middle East,
tourists from Britain, Germany and Italy); European passports are held by
Moroccan-born families too. Document numbers follow each issuer's usual
pattern, validity its usual term (five years for minors), and every MRZ is
composed with its check digits (``documents.compose``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Literal

from passerelle.demo.model import Traveller
from passerelle.demo.names import NAMES
from passerelle.documents import MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.documents.indicators import SPECIMEN_NUMBERS

__all__ = ["NATIONALITY_WEIGHTS", "PassportOffice", "Sex"]

NATIONALITY_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "MAR": 45.0,
        "ESP": 12.0,
        "FRA": 11.0,
        "BEL": 4.0,
        "NLD": 4.0,
        "DZA": 3.0,
        "TUN": 2.0,
        "SEN": 3.0,
        "MLI": 1.5,
        "NER": 0.5,
        "CIV": 2.0,
        "GIN": 1.5,
        "SYR": 0.5,
        "LBY": 0.5,
        "EGY": 1.0,
        "GBR": 3.0,
        "D": 3.0,
        "ITA": 3.0,
    }
)
"""Share of travellers per nationality (MRZ codes: ``D`` is Germany)."""

_DIASPORA: Mapping[str, float] = MappingProxyType(
    {"FRA": 0.25, "BEL": 0.3, "NLD": 0.25, "ESP": 0.1, "ITA": 0.1, "D": 0.05}
)
"""Share of a European state's passports held by Moroccan-born families."""

_VALIDITY_YEARS: Mapping[str, int] = MappingProxyType(
    {
        "MAR": 5,
        "DZA": 10,
        "TUN": 5,
        "SEN": 5,
        "MLI": 5,
        "NER": 5,
        "CIV": 5,
        "GIN": 5,
        "SYR": 6,
        "LBY": 8,
        "EGY": 7,
        "ESP": 10,
        "FRA": 10,
        "BEL": 7,
        "NLD": 10,
        "GBR": 10,
        "D": 10,
        "ITA": 10,
    }
)
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_GERMAN = "CFGHJKLMNPRTVWXYZ0123456789"
_DIGITS = "0123456789"
_COUNTING = "0123456789 9876543210"

Sex = Literal["M", "F"]


def _draw(rng: random.Random, alphabet: str, count: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(count))


def _number_pattern(rng: random.Random, state: str) -> str:
    """A passport number in the issuer's usual pattern (letters and digits, 9 at most)."""
    if state in ("MAR", "ITA"):
        return _draw(rng, _LETTERS, 2) + _draw(rng, _DIGITS, 7)
    if state in ("DZA", "GBR", "SYR"):
        return rng.choice("123456789") + _draw(rng, _DIGITS, 8)
    if state in ("SEN", "EGY"):
        return "A" + _draw(rng, _DIGITS, 8)
    if state == "ESP":
        return "PA" + _draw(rng, _LETTERS, 1) + _draw(rng, _DIGITS, 6)
    if state in ("FRA", "CIV"):
        return _draw(rng, _DIGITS, 2) + _draw(rng, _LETTERS, 2) + _draw(rng, _DIGITS, 5)
    if state == "BEL":
        return "E" + _draw(rng, _LETTERS, 1) + _draw(rng, _DIGITS, 6)
    if state == "NLD":
        return (
            "N"
            + _draw(rng, _LETTERS, 1)
            + _draw(rng, _LETTERS + _DIGITS, 6)
            + _draw(rng, _DIGITS, 1)
        )
    if state == "D":
        return "C" + _draw(rng, _GERMAN, 8)
    return _draw(rng, _LETTERS, 1) + _draw(rng, _DIGITS, 7)  # TUN, MLI, NER, GIN, LBY


def _plausible_number(number: str) -> bool:
    """Not a specimen, a repeated character or a counting run (forgery indicators)."""
    return (
        number not in SPECIMEN_NUMBERS
        and number.count(number[0]) != len(number)
        and number not in _COUNTING
    )


def _birth_date(rng: random.Random, as_of: date) -> date:
    if rng.random() < 0.1:
        age_days = rng.randint(365, 17 * 365)
    else:
        age_days = int(rng.triangular(18 * 365, 78 * 365, 36 * 365))
    return as_of - timedelta(days=age_days)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class PassportOffice:
    """Issues passports to the world's travellers: unique numbers per state, valid MRZs."""

    rng: random.Random
    as_of: date
    issued: set[tuple[str, str]] = field(default_factory=set)
    """(state, number) pairs issued so far, the world's and the registry's alike."""

    def number(self, state: str) -> str:
        """A new document number of ``state``, never issued before in this world."""
        while True:
            number = _number_pattern(self.rng, state)
            if _plausible_number(number) and (state, number) not in self.issued:
                self.issued.add((state, number))
                return number

    def nationality(self) -> str:
        codes = list(NATIONALITY_WEIGHTS)
        return self.rng.choices(codes, weights=list(NATIONALITY_WEIGHTS.values()))[0]

    def name(self, nationality: str, sex: Sex) -> tuple[str, str]:
        """(given names, surname) usual for the nationality, MRZ spelling."""
        origin = nationality
        if self.rng.random() < _DIASPORA.get(nationality, 0.0):
            origin = "MAR"
        male, female, surnames = NAMES[origin]
        given = self.rng.choice(male if sex == "M" else female)
        surname = self.rng.choice(surnames)
        if origin == "ESP":  # two surnames, the father's then the mother's
            surname = f"{surname} {self.rng.choice([s for s in surnames if s != surname])}"
        return given, surname

    def issue(
        self,
        traveller_id: str,
        *,
        nationality: str | None = None,
        sex: Sex | None = None,
        name: tuple[str, str] | None = None,
        birth_date: date | None = None,
        number: str | None = None,
    ) -> Traveller:
        """A traveller with a valid, unexpired passport; anything not given is drawn."""
        nation = nationality or self.nationality()
        holder_sex: Sex = sex or ("M" if self.rng.random() < 0.58 else "F")
        given, surname = name or self.name(nation, holder_sex)
        born = birth_date or _birth_date(self.rng, self.as_of)
        minor = (self.as_of - born).days < 18 * 365
        years = 5 if minor else _VALIDITY_YEARS[nation]
        latest_issue = self.as_of - timedelta(days=30)
        earliest_issue = max(born + timedelta(days=30), _add_years(self.as_of, -years))
        span = max(0, (latest_issue - earliest_issue).days)
        issued_on = earliest_issue + timedelta(days=self.rng.randint(0, span))
        expiry = _add_years(issued_on, years) - timedelta(days=1)
        if expiry <= self.as_of + timedelta(days=30):
            expiry = self.as_of + timedelta(days=self.rng.randint(31, 365))
        if number is None:
            number = self.number(nation)
        else:
            self.issued.add((nation, number))
        mrz = compose_mrz(
            MrzFormat.TD3,
            document_number=number,
            birth_date=born.strftime("%y%m%d"),
            expiry_date=expiry.strftime("%y%m%d"),
            surname=surname,
            given_names=given,
            issuing_state=nation,
            nationality=nation,
            sex=holder_sex,
            document_code="P",
        )
        return Traveller(
            id=traveller_id,
            surname=surname,
            given_names=given,
            sex=holder_sex,
            birth_date=born,
            nationality=nation,
            issuing_state=nation,
            document_number=number,
            expiry_date=expiry,
            mrz=mrz,
        )
