"""MRZ dates (ICAO Doc 9303 Part 3 §4.7): ``YYMMDD`` with no century.

The MRZ never states the century, so it is inferred against the date of the
check (``as_of``):

* a **birth date** is never in the future: the latest century that puts it on
  or before ``as_of`` (``740812`` read in 2026 → 1974-08-12; ``240301`` → 2024);
* an **expiry date** lies within 50 years either side of ``as_of``
  (``120415`` → 2012-04-15, ``340101`` → 2034-01-01).

An unknown birth date, or an unknown day, or unknown day and month, is written
with fillers (``<<<<<<``, ``8503<<``, ``85<<<<``); such a date has no full
value but keeps the parts it gives. Expiry dates must be given in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, Wording, worded

__all__ = ["DateReading", "read_mrz_date"]

DateKind = Literal["birth", "expiry"]

_NO_MONTH = N_("the %(field)s month %(month)s does not exist")


def _wrong(template: str, **parameters: str | int) -> Wording:
    """Why a field is not a date: a sentence naming the field (``%(field)s``, given by
    ``fields.date_findings``)."""
    return worded(template, **parameters)


@dataclass(slots=True)
class DateReading:
    """What a six-character MRZ date field says.

    ``value`` is the full date when the field gives one. ``year``/``month`` keep
    the known parts of a partial date. ``error`` says why the field is not a
    date at all (a sentence whose ``%(field)s`` is the date's name: ``date_findings``);
    ``unknown`` names the parts written as fillers.
    """

    value: date | None
    year: int | None = None
    month: int | None = None
    error: Wording | None = None
    unknown: str | None = None

    def reason(self, field: Parameter) -> Wording | None:
        """Why the field is not a date, naming it ``field`` (None when it is one)."""
        if self.error is None:
            return None
        return Wording(self.error.template, (("field", field), *self.error.parameters))


def _two_digits(raw: str) -> int | None:
    if len(raw) == 2 and raw.isdigit() and raw.isascii():
        return int(raw)
    return None


def _infer_year(yy: int, month: int, day: int, kind: DateKind, as_of: date) -> int:
    if kind == "expiry":
        base = as_of.year - 50
        return base + (yy - base) % 100
    year = as_of.year - (as_of.year - yy) % 100
    if (year, month, day) > (as_of.year, as_of.month, as_of.day):
        year -= 100
    return year


def read_mrz_date(raw: str, kind: DateKind, *, as_of: date) -> DateReading:
    """Read a ``YYMMDD`` MRZ date field, inferring the century for ``kind``.

    >>> read_mrz_date("740812", "birth", as_of=date(2026, 1, 1)).value
    datetime.date(1974, 8, 12)
    >>> read_mrz_date("85<<<<", "birth", as_of=date(2026, 1, 1)).year
    1985
    """
    if raw.isdigit() and raw.isascii() and len(raw) == 6:
        month = int(raw[2:4])
        day = int(raw[4:6])
        if 1 <= month <= 12 and 1 <= day <= 28:
            this_year = as_of.year
            if kind == "expiry":
                year = this_year - 50 + (int(raw[0:2]) - this_year + 50) % 100
                return DateReading(date(year, month, day), year, month)
            year = this_year - (this_year - int(raw[0:2])) % 100
            value = date(year, month, day)
            if value > as_of:
                year -= 100
                value = date(year, month, day)
            return DateReading(value, year, month)
    if len(raw) != 6:
        return DateReading(
            None,
            error=_wrong(
                N_("the %(field)s has %(count)s characters, a date has 6 (YYMMDD)"),
                count=len(raw),
            ),
        )
    for char in raw:
        if not (char.isdigit() and char.isascii()) and char != "<":
            return DateReading(
                None,
                error=_wrong(
                    N_("the %(field)s holds %(character)s where a digit belongs (YYMMDD)"),
                    character=repr(char),
                ),
            )
    yy_raw, mm_raw, dd_raw = raw[0:2], raw[2:4], raw[4:6]
    if "<" in raw:
        if kind == "expiry":
            return DateReading(
                None,
                error=_wrong(
                    N_("the %(field)s an expiry date must be given in full, not with fillers")
                ),
            )
        return _read_partial_birth_date(yy_raw, mm_raw, dd_raw, as_of)
    yy, month, day = int(yy_raw), int(mm_raw), int(dd_raw)
    if not 1 <= month <= 12:
        return DateReading(None, error=_wrong(_NO_MONTH, month=mm_raw))
    year = _infer_year(yy, month, day, kind, as_of)
    try:
        value = date(year, month, day)
    except ValueError:
        return DateReading(
            None,
            error=_wrong(
                N_("the %(field)s day %(day)s does not exist in %(month)s"),
                day=dd_raw,
                month=f"{year:04d}-{mm_raw}",
            ),
        )
    return DateReading(value, year=year, month=month)


def _read_partial_birth_date(yy_raw: str, mm_raw: str, dd_raw: str, as_of: date) -> DateReading:
    if yy_raw == "<<" and mm_raw == "<<" and dd_raw == "<<":
        return DateReading(None, unknown="date")
    yy = _two_digits(yy_raw)
    if yy is None:
        return DateReading(
            None,
            error=_wrong(
                N_("the %(field)s a year written with fillers needs month and day as fillers")
            ),
        )
    if mm_raw == "<<":
        if dd_raw != "<<":
            return DateReading(
                None,
                error=_wrong(N_("the %(field)s a day cannot be given when the month is unknown")),
            )
        return DateReading(
            None, year=_infer_year(yy, 1, 1, "birth", as_of), unknown="day and month"
        )
    month = _two_digits(mm_raw)
    if month is None or not 1 <= month <= 12:
        return DateReading(None, error=_wrong(_NO_MONTH, month=mm_raw))
    if dd_raw != "<<":
        return DateReading(
            None, error=_wrong(N_("the %(field)s day %(day)s is only partly written"), day=dd_raw)
        )
    return DateReading(
        None, year=_infer_year(yy, month, 1, "birth", as_of), month=month, unknown="day"
    )
