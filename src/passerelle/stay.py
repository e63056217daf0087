"""Counting a traveller's days of stay against a rolling limit (pure: no I/O, no clock).

The rule is *max_days in any window_days*: by default 90 days in any 180-day
period, the Schengen short-stay rule (Regulation (EU) 2016/399, Article 6(1)).
How days are counted follows that rule:

* a day of stay is a calendar day: the day of entry and the day of exit both
  count, so an entry and an exit on the same day make one day;
* the window is the ``window_days`` days ending on the day of the check
  (``as_of``), that day included; a day counted twice (exit and re-entry on
  one day) counts once;
* a stay still open counts up to ``as_of``; crossings after ``as_of`` are
  ignored, so a check can be replayed as of any past day.

Records are not always clean, and what this module does about it is stated in
the result as an :class:`Inconsistency`:

* two entries without an exit between them (``entry_without_exit``): the
  missing exit is assumed not to have happened, so the traveller is counted
  inside from the first entry on (the conservative reading: never fewer days
  than the truth);
* an exit without an entry before it (``exit_without_entry``): the entry is
  unknown, so only the day of exit is counted (the one day the traveller is
  known to have been inside); the officer should check the passport's stamps.

Crossing days are calendar days in ``tz`` (UTC unless told), the zone of the
border the rule is applied at.

>>> from datetime import UTC, date, datetime
>>> stay = assess_stay(
...     [Movement("entry", datetime(2025, 1, 1, 9, tzinfo=UTC)),
...      Movement("exit", datetime(2025, 3, 31, 18, tzinfo=UTC))],
...     as_of=date(2025, 6, 30),
... )
>>> stay.days_used, stay.days_remaining, stay.inside, stay.latest_day
(89, 1, False, datetime.date(2025, 9, 27))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import groupby
from typing import Literal

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = [
    "SCHENGEN_SHORT_STAY",
    "Direction",
    "Inconsistency",
    "Movement",
    "Stay",
    "StayAssessment",
    "StayLimit",
    "assess_stay",
]

Direction = Literal["entry", "exit"]
InconsistencyKind = Literal["entry_without_exit", "exit_without_entry"]

MAX_WINDOW_DAYS = 3660


@dataclass(frozen=True, slots=True)
class StayLimit:
    """At most ``max_days`` days of stay in any ``window_days`` consecutive days."""

    max_days: int = 90
    window_days: int = 180

    def __post_init__(self) -> None:
        if not 1 <= self.window_days <= MAX_WINDOW_DAYS:
            raise InvalidInput(
                "window_days",
                worded(
                    N_("must be between 1 and %(max_window_days)s days"),
                    max_window_days=MAX_WINDOW_DAYS,
                ),
            )
        if not 1 <= self.max_days < self.window_days:
            raise InvalidInput(
                "max_days",
                worded(
                    N_("must be at least 1 and less than window_days (%(window_days)s)"),
                    window_days=self.window_days,
                ),
            )


SCHENGEN_SHORT_STAY = StayLimit(90, 180)


@dataclass(frozen=True, slots=True)
class Movement:
    """One border crossing of a traveller: an entry or an exit at an aware timestamp."""

    direction: Direction
    at: datetime

    def __post_init__(self) -> None:
        if self.direction not in ("entry", "exit"):
            raise InvalidInput(
                "direction",
                worded(
                    N_("%(direction)s is not one of entry, exit"), direction=repr(self.direction)
                ),
            )
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise InvalidInput("at", worded(N_("must be timezone-aware (carry a UTC offset)")))


@dataclass(frozen=True, slots=True)
class Stay:
    """Days spent inside, first and last day included; ``open`` when no exit is recorded."""

    first_day: date
    last_day: date
    open: bool = False

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """A crossing that does not follow the one before it, and how it was counted."""

    kind: InconsistencyKind
    at: datetime
    message: str
    wording: Wording | None = None
    """``message`` as its sentence's template and parameters (``i18n.wording``)."""


def _inconsistency(kind: InconsistencyKind, at: datetime, said: Wording) -> Inconsistency:
    return Inconsistency(kind, at, said.english, said)


@dataclass(frozen=True, slots=True)
class StayAssessment:
    """Where a traveller stands against a stay limit on a given day."""

    as_of: date
    limit: StayLimit
    window_start: date
    days_used: int
    """Days of stay in the window ending ``as_of`` (both ends included)."""
    inside: bool
    """Whether the last counted crossing is an entry with no exit yet."""
    latest_day: date | None
    """If inside: the last day the traveller may stay. Otherwise: the last day the
    traveller could stay when entering on ``as_of``. ``None`` when not one more
    day is allowed (already over the limit, or no day left to enter on)."""
    stays: tuple[Stay, ...]
    inconsistencies: tuple[Inconsistency, ...]

    @property
    def days_remaining(self) -> int:
        return max(0, self.limit.max_days - self.days_used)

    @property
    def overstay_days(self) -> int:
        return max(0, self.days_used - self.limit.max_days)

    @property
    def within_limit(self) -> bool:
        return self.overstay_days == 0

    @property
    def entered_on(self) -> date | None:
        """The first day of the stay in progress, when the traveller is inside."""
        return self.stays[-1].first_day if self.inside else None


def _in_order(movements: Iterable[Movement]) -> Iterator[Movement]:
    """Movements by time; at one instant, in the order that follows on from the state.

    An entry and an exit recorded at the same instant are read as a pass out
    and back in when the traveller was inside, and as a one-day stay otherwise.
    """
    inside = False
    for _, group in groupby(sorted(movements, key=lambda m: m.at), key=lambda m: m.at):
        first: Direction = "exit" if inside else "entry"
        for movement in sorted(group, key=lambda m: m.direction != first):
            inside = movement.direction == "entry"
            yield movement


def _build_stays(
    movements: Iterable[Movement], *, as_of: date, tz: tzinfo
) -> tuple[list[Stay], list[Inconsistency]]:
    stays: list[Stay] = []
    problems: list[Inconsistency] = []
    opened: Movement | None = None
    for movement in _in_order(movements):
        day = movement.at.astimezone(tz).date()
        if day > as_of:
            break
        if movement.direction == "entry":
            if opened is not None:
                problems.append(
                    _inconsistency(
                        "entry_without_exit",
                        movement.at,
                        worded(
                            N_(
                                "entry on %(day)s follows the entry of %(first)s with no exit "
                                "between: counted as inside since the first entry"
                            ),
                            day=day.isoformat(),
                            first=opened.at.astimezone(tz).date().isoformat(),
                        ),
                    )
                )
                continue
            opened = movement
        elif opened is None:
            problems.append(
                _inconsistency(
                    "exit_without_entry",
                    movement.at,
                    worded(
                        N_(
                            "exit on %(day)s has no entry before it: only the day of exit is "
                            "counted"
                        ),
                        day=day.isoformat(),
                    ),
                )
            )
            stays.append(Stay(day, day))
        else:
            stays.append(Stay(opened.at.astimezone(tz).date(), day))
            opened = None
    if opened is not None:
        stays.append(Stay(opened.at.astimezone(tz).date(), as_of, open=True))
    return stays, problems


def _days_in_window(stays: Iterable[Stay], start: date, end: date) -> set[int]:
    days: set[int] = set()
    for stay in stays:
        first, last = max(stay.first_day, start), min(stay.last_day, end)
        days.update(range(first.toordinal(), last.toordinal() + 1))
    return days


def _last_allowed_day(days: set[int], count: int, start: date, limit: StayLimit) -> date | None:
    """The last day of a continuous stay that began or goes on at ``start``.

    ``days`` holds the counted days of the window ending ``start`` (the stay's
    day ``start`` included) and ``count`` their number. Each following day adds
    one day of stay and drops the day that leaves the window.
    """
    if count > limit.max_days:
        return None
    day = start.toordinal()
    while True:  # ends within window_days steps: the stay alone then fills the window
        following = day + 1
        count += 1
        if following - limit.window_days in days:
            count -= 1
        if count > limit.max_days:
            return date.fromordinal(day)
        day = following


def assess_stay(
    movements: Iterable[Movement],
    *,
    as_of: date,
    limit: StayLimit = SCHENGEN_SHORT_STAY,
    tz: tzinfo = UTC,
) -> StayAssessment:
    """Count a traveller's days of stay in the window ending ``as_of`` and what is left.

    Movements may come in any order; those after ``as_of`` are ignored. See the
    module docstring for how days are counted and records repaired.

    >>> from datetime import UTC, date, datetime
    >>> at = lambda d: datetime.combine(d, datetime.min.time(), UTC)
    >>> stay = assess_stay([Movement("entry", at(date(2025, 3, 1)))], as_of=date(2025, 3, 10))
    >>> stay.days_used, stay.inside, stay.latest_day
    (10, True, datetime.date(2025, 5, 29))
    """
    stays, problems = _build_stays(movements, as_of=as_of, tz=tz)
    window_start = as_of - timedelta(days=limit.window_days - 1)
    days = _days_in_window(stays, window_start, as_of)
    used = len(days)
    inside = bool(stays) and stays[-1].open
    if inside:
        latest = _last_allowed_day(days, used, as_of, limit)
    else:
        today = as_of.toordinal()
        latest = _last_allowed_day(days | {today}, used + (today not in days), as_of, limit)
    return StayAssessment(
        as_of=as_of,
        limit=limit,
        window_start=window_start,
        days_used=used,
        inside=inside,
        latest_day=latest,
        stays=tuple(stays),
        inconsistencies=tuple(problems),
    )
