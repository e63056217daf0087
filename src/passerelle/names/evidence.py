"""Evidence besides the name: the date of birth, the nationality, the sex.

Each comparison gives bits for or against (:class:`Evidence`) and says why; a
date of birth years apart or another sex *contradicts*: a namesake, never an
alert, however close the names (:mod:`passerelle.names.index` holds it under the
threshold).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.names.saved import SavedAsFields
from passerelle.names.weights import DEFAULT_WEIGHTS, NameWeights

__all__ = ["BirthDate", "Evidence", "compare_birth_dates", "compare_nationality", "compare_sex"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Bits for or against, and why (``wordings``: sentences to write in any language)."""

    bits: float
    wordings: tuple[Wording, ...]
    contradicts: bool = False
    """Evidence that the two are different people whatever their names say."""

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why, in English."""
        return tuple(wording.english for wording in self.wordings)


@dataclass(frozen=True, slots=True)
class BirthDate(SavedAsFields):
    """A possibly partial date of birth (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> BirthDate | None:
        if not text:
            return None
        pieces = text.strip().split("-")
        try:
            numbers = [int(piece) for piece in pieces[:3]]
        except ValueError:
            return None
        if not numbers or not 1800 <= numbers[0] <= 2200:
            return None
        month = numbers[1] if len(numbers) > 1 and 1 <= numbers[1] <= 12 else None
        day = numbers[2] if len(numbers) > 2 and month and 1 <= numbers[2] <= 31 else None
        return cls(numbers[0], month, day)

    def first_of_january(self) -> bool:
        """A full date on 1 January: as often a register's stand-in for an unknown day
        and month as a birthday."""
        return self.month == 1 and self.day == 1

    def ordinal(self) -> int:
        """The date as one number (19961129; month and day 0 where unknown)."""
        return self.year * 10_000 + (self.month or 0) * 100 + (self.day or 0)

    def digits(self) -> str:
        return f"{self.year:04d}{self.month or 0:02d}{self.day or 0:02d}"


def compare_birth_dates(
    query: BirthDate | None, record: BirthDate | None, *, weights: NameWeights = DEFAULT_WEIGHTS
) -> Evidence:
    """Evidence from two dates of birth (none when either is unknown).

    A full date that differs by one digit (a typing or reading slip) or by a
    day/month swap still counts for; years two or more apart otherwise contradict:
    different people, whatever the names. Where both dates say 1 January, the day
    and month registers write when they do not know them, only the years say
    something: 1966-01-01 and 1976-01-01 are ten years apart, not one digit.
    """
    if query is None or record is None:
        return Evidence(0.0, ())
    w = weights
    if query.first_of_january() and record.first_of_january():
        if query.year == record.year:
            return Evidence(
                w.birth_same_first_of_january_bits,
                (
                    worded(
                        N_("born 1 January %(year)s on both (often a day and month unknown)"),
                        year=record.year,
                    ),
                ),
            )
        if abs(query.year - record.year) == 1:
            return Evidence(w.birth_year_apart_bits, (_other_year(query, record),))
        return Evidence(w.birth_contradicts_bits, (_other_year(query, record),), contradicts=True)
    if query.day and record.day and query.month and record.month:
        if (query.year, query.month, query.day) == (record.year, record.month, record.day):
            return Evidence(w.birth_same_date_bits, (worded(N_("same date of birth")),))
        if query.year == record.year and (query.month, query.day) == (record.day, record.month):
            return Evidence(
                w.birth_day_month_swapped_bits,
                (worded(N_("date of birth with day and month swapped")),),
            )
        if _one_digit_apart(query.digits(), record.digits()):
            return Evidence(
                w.birth_one_digit_apart_bits, (worded(N_("date of birth one digit apart")),)
            )
        if query.year == record.year:
            return Evidence(
                w.birth_same_year_other_day_bits, (worded(N_("same year of birth, another day")),)
            )
        if abs(query.year - record.year) == 1:
            return Evidence(w.birth_year_apart_full_bits, (_other_year(query, record),))
        return Evidence(w.birth_contradicts_bits, (_other_year(query, record),), contradicts=True)
    if query.year == record.year:
        if query.month and record.month:
            if query.month == record.month:
                return Evidence(
                    w.birth_same_year_and_month_bits, (worded(N_("same year and month of birth")),)
                )
            return Evidence(
                w.birth_same_year_other_month_bits,
                (worded(N_("same year of birth, another month")),),
            )
        return Evidence(w.birth_same_year_bits, (worded(N_("same year of birth")),))
    if abs(query.year - record.year) == 1:
        return Evidence(w.birth_year_apart_bits, (_other_year(query, record),))
    return Evidence(w.birth_contradicts_bits, (_other_year(query, record),), contradicts=True)


def _other_year(query: BirthDate, record: BirthDate) -> Wording:
    """Written only where said (a query weighs every candidate's date, most agree)."""
    return worded(N_("born %(record)s, not %(query)s"), record=record.year, query=query.year)


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(map(str.__ne__, a, b)) == 1


def compare_nationality(
    query: str | None, record: Sequence[str], *, weights: NameWeights = DEFAULT_WEIGHTS
) -> Evidence:
    """Evidence from a nationality and the record's (none when either is unknown)."""
    if not query or not record:
        return Evidence(0.0, ())
    if query.upper() in record:
        return Evidence(
            weights.nationality_agrees_bits,
            (worded(N_("nationality %(state)s"), state=query.upper()),),
        )
    return Evidence(
        weights.nationality_differs_bits,
        (
            worded(
                N_("nationality %(record)s, not %(query)s"),
                record="/".join(record),
                query=query.upper(),
            ),
        ),
    )


def compare_sex(
    query: str | None, record: str | None, *, weights: NameWeights = DEFAULT_WEIGHTS
) -> Evidence:
    """Evidence from the sex (none when either is unknown); another sex contradicts."""
    if not query or not record:
        return Evidence(0.0, ())
    if query.upper() == record:
        return Evidence(weights.sex_agrees_bits, ())
    return Evidence(
        weights.sex_differs_bits,
        (worded(N_("sex %(record)s, not %(query)s"), record=record, query=query.upper()),),
        contradicts=True,
    )
