"""What the analysts' dashboard is asked: a period of days and, optionally, one crossing point.

A period runs from ``start`` to ``end``, both days included, in UTC (the store
keeps every timestamp in UTC). It is at most :data:`MAX_PERIOD_DAYS` long, and
the dashboard's default is the last :data:`DEFAULT_PERIOD_DAYS` days up to
today. A crossing point code is compared as the store keeps it: trimmed and in
upper case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from passerelle.exc import InvalidInput

__all__ = ["DEFAULT_PERIOD_DAYS", "MAX_PERIOD_DAYS", "DashboardQuery", "crossing_point_code"]

DEFAULT_PERIOD_DAYS = 30
MAX_PERIOD_DAYS = 366
_MAX_POINT = 64
# Letters or digits first, then letters, digits, blanks and . _ / - (TNG-MED, NDR, "BAB SEBTA").
_POINT = re.compile(r"[^\W_][\w .\-/]*")


def crossing_point_code(value: str) -> str:
    """A crossing point code as the store keeps it (trimmed, upper case), or ``InvalidInput``.

    >>> crossing_point_code(" tng-med ")
    'TNG-MED'
    """
    code = value.strip().upper()
    if not code:
        raise InvalidInput("crossing_point", "must not be empty")
    if len(code) > _MAX_POINT:
        raise InvalidInput("crossing_point", f"is longer than {_MAX_POINT} characters")
    if not _POINT.fullmatch(code):
        raise InvalidInput(
            "crossing_point",
            f"{value!r} is not a crossing point code (letters, digits, blanks and . _ / -)",
        )
    return code


def _day(value: object, name: str) -> date:
    # A datetime is a date too: refuse it rather than silently drop its time and zone.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInput(name, f"must be a day (a date), not {type(value).__name__}")
    return value


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(name, f"{value!r} is not a day as YYYY-MM-DD") from exc


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    """The period (``start`` to ``end``, both included, UTC days) and the optional point.

    Refuses, naming the field: an ``end`` before ``start``, a period longer than
    366 days, a crossing point that is not a code. The point is kept normalised.

    >>> DashboardQuery(date(2026, 11, 1), date(2026, 11, 30), "tng-med").days
    30
    """

    start: date
    end: date
    crossing_point: str | None = None

    def __post_init__(self) -> None:
        start, end = _day(self.start, "start"), _day(self.end, "end")
        if end < start:
            raise InvalidInput("end", f"{end.isoformat()} is before start {start.isoformat()}")
        span = (end - start).days + 1
        if span > MAX_PERIOD_DAYS:
            raise InvalidInput(
                "end", f"the period is {span} days long; at most {MAX_PERIOD_DAYS} are shown"
            )
        if end == date.max:
            raise InvalidInput("end", "is out of range")
        if self.crossing_point is not None:
            object.__setattr__(self, "crossing_point", crossing_point_code(self.crossing_point))

    @classmethod
    def last_days(
        cls, today: date, *, days: int = DEFAULT_PERIOD_DAYS, crossing_point: str | None = None
    ) -> DashboardQuery:
        """The ``days`` days up to and including ``today`` (the dashboard's default: 30).

        >>> DashboardQuery.last_days(date(2026, 11, 30)).start
        datetime.date(2026, 11, 1)
        """
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise InvalidInput("days", f"must be 1 to {MAX_PERIOD_DAYS}, not {days}")
        return cls(today - timedelta(days=days - 1), today, crossing_point)

    @classmethod
    def from_params(
        cls,
        *,
        start: str | None,
        end: str | None,
        crossing_point: str | None,
        today: date,
    ) -> DashboardQuery:
        """The query a page or a request asks for, as text (``YYYY-MM-DD``; blank = not given).

        Without ``end`` the period ends ``today``; without ``start`` it is the 30 days
        up to ``end``. A blank point means every point.

        >>> DashboardQuery.from_params(start=None, end="2026-11-30", crossing_point="",
        ...                            today=date(2026, 12, 5)).start
        datetime.date(2026, 11, 1)
        """
        last = _parse_day(end, "end") if end and end.strip() else today
        first = (
            _parse_day(start, "start")
            if start and start.strip()
            else last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        )
        point = crossing_point if crossing_point and crossing_point.strip() else None
        return cls(first, last, point)

    @property
    def days(self) -> int:
        """How many days the period holds."""
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime:
        """The period's first instant (``start`` at 00:00 UTC), included."""
        return datetime.combine(self.start, time(), tzinfo=UTC)

    @property
    def until(self) -> datetime:
        """The instant after the period (the day after ``end`` at 00:00 UTC), excluded."""
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC)

    def each_day(self) -> Iterator[date]:
        """Every day of the period, oldest first."""
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "crossing_point": self.crossing_point,
        }
