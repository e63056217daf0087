"""Counting days of stay against a rolling limit: the Schengen 90/180 cases worked by hand."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.exc import InvalidInput
from passerelle.stay import Direction, Movement, StayLimit, assess_stay


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def entry(day: date, hour: int = 12) -> Movement:
    return Movement("entry", at(day, hour))


def exit_(day: date, hour: int = 12) -> Movement:
    return Movement("exit", at(day, hour))


D = date  # short for the hand-worked calendars below


def test_no_crossings_leave_the_whole_allowance() -> None:
    stay = assess_stay([], as_of=D(2025, 5, 1))
    assert (stay.days_used, stay.days_remaining, stay.inside) == (0, 90, False)
    assert stay.latest_day == D(2025, 7, 29)  # May 1 + 89 days: 90 days if entering today
    assert stay.window_start == D(2024, 11, 3)  # 180 days ending May 1, both ends included


def test_same_day_entry_and_exit_count_one_day() -> None:
    stay = assess_stay([entry(D(2025, 2, 3), 8), exit_(D(2025, 2, 3), 20)], as_of=D(2025, 2, 10))
    assert stay.days_used == 1
    assert not stay.inside


def test_day_of_entry_and_day_of_exit_both_count() -> None:
    stay = assess_stay([entry(D(2025, 1, 1)), exit_(D(2025, 1, 10))], as_of=D(2025, 1, 20))
    assert stay.days_used == 10


def test_first_of_january_to_thirty_first_of_march_is_exactly_ninety_days() -> None:
    stay = assess_stay([entry(D(2025, 1, 1)), exit_(D(2025, 3, 31))], as_of=D(2025, 3, 31))
    assert (stay.days_used, stay.days_remaining, stay.overstay_days) == (90, 0, 0)
    assert stay.within_limit
    assert stay.latest_day == D(2025, 3, 31)  # re-entering today adds no day; tomorrow would


def test_ninety_first_day_is_a_one_day_overstay() -> None:
    stay = assess_stay([entry(D(2025, 1, 1)), exit_(D(2025, 4, 1))], as_of=D(2025, 4, 1))
    assert (stay.days_used, stay.overstay_days, stay.within_limit) == (91, 1, False)


def test_after_ninety_days_in_no_day_is_left_until_the_first_one_leaves_the_window() -> None:
    movements = [entry(D(2025, 1, 1)), exit_(D(2025, 3, 31))]
    on_april_first = assess_stay(movements, as_of=D(2025, 4, 1))
    assert (on_april_first.days_used, on_april_first.latest_day) == (90, None)
    # June 29 is day 180 counted from January 1: the whole stay is still in the window.
    on_june_29 = assess_stay(movements, as_of=D(2025, 6, 29))
    assert (on_june_29.days_used, on_june_29.days_remaining) == (90, 0)
    on_june_30 = assess_stay(movements, as_of=D(2025, 6, 30))
    assert (on_june_30.days_used, on_june_30.days_remaining) == (89, 1)


def test_re_entry_while_old_days_roll_out_may_last_until_the_window_is_full_again() -> None:
    # Entering June 30: every new day replaces a day of January to March leaving the
    # window, until March 31 has left it (window ending September 27 starts April 1).
    # June 30..September 27 is 90 days; September 28 would be the 91st.
    stay = assess_stay([entry(D(2025, 1, 1)), exit_(D(2025, 3, 31))], as_of=D(2025, 6, 30))
    assert stay.latest_day == D(2025, 9, 27)


def test_two_stays_of_thirty_days_leave_thirty_for_a_third() -> None:
    movements = [
        entry(D(2025, 1, 1)),
        exit_(D(2025, 1, 30)),
        entry(D(2025, 3, 1)),
        exit_(D(2025, 3, 30)),
    ]
    stay = assess_stay(movements, as_of=D(2025, 5, 1))
    assert (stay.days_used, stay.days_remaining) == (60, 30)
    assert stay.latest_day == D(2025, 5, 30)  # May 1..30 is 30 days; nothing leaves before June 30


def test_open_stay_counts_up_to_the_day_of_the_check() -> None:
    stay = assess_stay([entry(D(2025, 3, 1))], as_of=D(2025, 3, 10))
    assert (stay.days_used, stay.days_remaining, stay.inside) == (10, 80, True)
    assert stay.entered_on == D(2025, 3, 1)
    assert stay.latest_day == D(2025, 5, 29)  # March 1 + 89 days
    assert stay.stays[-1].open


def test_open_stay_beyond_ninety_days_is_an_overstay_with_no_day_left() -> None:
    stay = assess_stay([entry(D(2025, 1, 1))], as_of=D(2025, 4, 5))
    assert (stay.days_used, stay.overstay_days, stay.latest_day) == (95, 5, None)
    assert stay.inside


def test_exit_and_re_entry_on_one_day_count_that_day_once() -> None:
    movements = [
        entry(D(2025, 1, 1)),
        exit_(D(2025, 1, 10), 8),
        entry(D(2025, 1, 10), 20),
        exit_(D(2025, 1, 20)),
    ]
    assert assess_stay(movements, as_of=D(2025, 2, 1)).days_used == 20


def test_crossings_in_any_order_give_the_same_result() -> None:
    movements = [
        entry(D(2025, 1, 1)),
        exit_(D(2025, 1, 30)),
        entry(D(2025, 3, 1)),
        exit_(D(2025, 3, 30)),
        entry(D(2025, 4, 20)),
    ]
    expected = assess_stay(movements, as_of=D(2025, 5, 1))
    shuffled = movements[:]
    random.Random(7).shuffle(shuffled)
    assert assess_stay(reversed(movements), as_of=D(2025, 5, 1)) == expected
    assert assess_stay(shuffled, as_of=D(2025, 5, 1)) == expected
    assert (expected.days_used, expected.inside, expected.inconsistencies) == (72, True, ())


def test_consecutive_entries_are_flagged_and_counted_from_the_first_entry() -> None:
    movements = [entry(D(2025, 1, 1)), entry(D(2025, 2, 1)), exit_(D(2025, 2, 10))]
    stay = assess_stay(movements, as_of=D(2025, 2, 10))
    assert stay.days_used == 41  # January 1 to February 10, as if no exit happened between
    (problem,) = stay.inconsistencies
    assert problem.kind == "entry_without_exit"
    assert problem.at == at(D(2025, 2, 1))
    assert "2025-02-01" in problem.message


def test_exit_without_entry_is_flagged_and_counts_the_exit_day_only() -> None:
    stay = assess_stay([exit_(D(2025, 1, 5))], as_of=D(2025, 1, 20))
    assert (stay.days_used, stay.inside) == (1, False)
    assert [p.kind for p in stay.inconsistencies] == ["exit_without_entry"]


def test_second_exit_in_a_row_is_flagged_and_counts_its_day() -> None:
    movements = [entry(D(2025, 1, 1)), exit_(D(2025, 1, 5)), exit_(D(2025, 1, 9))]
    stay = assess_stay(movements, as_of=D(2025, 1, 20))
    assert stay.days_used == 6
    assert [p.kind for p in stay.inconsistencies] == ["exit_without_entry"]


def test_exit_and_entry_at_one_instant_while_inside_are_a_pass_out_and_back() -> None:
    instant = at(D(2025, 1, 5), 9)
    movements = [
        entry(D(2025, 1, 1)),
        Movement("entry", instant),
        Movement("exit", instant),
        exit_(D(2025, 1, 8)),
    ]
    stay = assess_stay(movements, as_of=D(2025, 1, 20))
    assert (stay.days_used, stay.inconsistencies) == (8, ())


def test_crossings_after_the_day_of_the_check_are_ignored() -> None:
    movements = [entry(D(2025, 3, 1)), exit_(D(2025, 3, 20)), entry(D(2025, 4, 2))]
    stay = assess_stay(movements, as_of=D(2025, 3, 10))
    assert (stay.days_used, stay.inside) == (10, True)


def test_days_before_the_window_do_not_count() -> None:
    movements = [entry(D(2024, 9, 1)), exit_(D(2024, 11, 5))]
    stay = assess_stay(movements, as_of=D(2025, 5, 1))  # window starts 2024-11-03
    assert stay.days_used == 3


def test_days_are_calendar_days_where_the_rule_is_applied() -> None:
    movements = [
        Movement("entry", datetime(2025, 1, 10, 23, 30, tzinfo=UTC)),
        Movement("exit", datetime(2025, 1, 12, 10, 0, tzinfo=UTC)),
    ]
    assert assess_stay(movements, as_of=D(2025, 1, 20)).days_used == 3
    plus_one = timezone(timedelta(hours=1))  # 23:30 UTC is already January 11 there
    assert assess_stay(movements, as_of=D(2025, 1, 20), tz=plus_one).days_used == 2


def test_another_rule_is_applied_when_given() -> None:
    stay = assess_stay([entry(D(2025, 1, 1))], as_of=D(2025, 1, 10), limit=StayLimit(30, 60))
    assert (stay.days_used, stay.days_remaining, stay.latest_day) == (10, 20, D(2025, 1, 30))


def test_limit_refuses_max_days_not_below_the_window() -> None:
    with pytest.raises(InvalidInput) as refused:
        StayLimit(180, 180)
    assert refused.value.field == "max_days"


def test_limit_refuses_an_empty_window() -> None:
    with pytest.raises(InvalidInput) as refused:
        StayLimit(0, 0)
    assert refused.value.field == "window_days"


def test_timestamp_without_offset_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        Movement("entry", datetime(2025, 1, 1, 12))
    assert refused.value.field == "at"


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        Movement("transit", at(D(2025, 1, 1)))  # type: ignore[arg-type]
    assert refused.value.field == "direction"


# --------------------------------------------------------------------------- against brute force
# A clean history (alternating entries and exits) and a small rule, counted the slow
# way: day by day, and every candidate last day checked against every window.

START = D(2025, 1, 1)


def brute_force(
    stays: list[tuple[int, int | None]], as_of: int, limit: StayLimit
) -> tuple[int, int | None]:
    inside_days: set[int] = set()
    for first, last in stays:
        inside_days.update(range(first, (as_of if last is None else last) + 1))
    inside_days = {d for d in inside_days if d <= as_of}

    def used(end: int, days: set[int]) -> int:
        return sum(1 for d in days if end - limit.window_days < d <= end)

    latest = None
    for last in range(as_of, as_of + limit.window_days + 2):
        days = inside_days | set(range(as_of, last + 1))
        if all(used(end, days) <= limit.max_days for end in range(as_of, last + 1)):
            latest = last
        else:
            break
    return used(as_of, inside_days), latest


@settings(max_examples=300, deadline=None)
@given(
    gaps=st.lists(st.integers(min_value=0, max_value=9), min_size=0, max_size=12),
    as_of=st.integers(min_value=0, max_value=70),
    max_days=st.integers(min_value=1, max_value=11),
    extra_window=st.integers(min_value=1, max_value=10),
)
def test_counts_match_a_day_by_day_count(
    gaps: list[int], as_of: int, max_days: int, extra_window: int
) -> None:
    limit = StayLimit(max_days, max_days + extra_window)
    movements: list[Movement] = []
    stays: list[tuple[int, int | None]] = []
    day = 0
    for index, gap in enumerate(gaps):
        day += gap if index else 0
        direction: Direction = "entry" if index % 2 == 0 else "exit"
        when = at(START + timedelta(days=day)) + timedelta(minutes=index)  # strictly increasing
        movements.append(Movement(direction, when))
        if direction == "entry":
            stays.append((day, None))
        else:
            stays[-1] = (stays[-1][0], day)
    stays = [(first, last) for first, last in stays if first <= as_of]
    stays = [(first, None if last is None or last > as_of else last) for first, last in stays]
    result = assess_stay(movements, as_of=START + timedelta(days=as_of), limit=limit)
    expected_used, expected_latest = brute_force(stays, as_of, limit)
    inside = bool(stays) and stays[-1][1] is None
    assert result.days_used == expected_used
    assert result.inside == inside
    expected = None if expected_latest is None else START + timedelta(days=expected_latest)
    assert result.latest_day == expected
    assert result.inconsistencies == ()
