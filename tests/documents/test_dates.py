from datetime import date

import pytest

from passerelle.documents.dates import read_mrz_date

AS_OF = date(2026, 11, 25)


def test_birth_date_is_never_in_the_future() -> None:
    assert read_mrz_date("740812", "birth", as_of=AS_OF).value == date(1974, 8, 12)
    assert read_mrz_date("240301", "birth", as_of=AS_OF).value == date(2024, 3, 1)
    assert read_mrz_date("261126", "birth", as_of=AS_OF).value == date(1926, 11, 26)
    assert read_mrz_date("261125", "birth", as_of=AS_OF).value == date(2026, 11, 25)


def test_expiry_date_lies_within_fifty_years_of_the_check() -> None:
    assert read_mrz_date("120415", "expiry", as_of=AS_OF).value == date(2012, 4, 15)
    assert read_mrz_date("360101", "expiry", as_of=AS_OF).value == date(2036, 1, 1)
    assert read_mrz_date("760101", "expiry", as_of=AS_OF).value == date(1976, 1, 1)
    assert read_mrz_date("750101", "expiry", as_of=AS_OF).value == date(2075, 1, 1)


def test_as_of_moves_the_century_window() -> None:
    assert read_mrz_date("950101", "birth", as_of=date(1990, 1, 1)).value == date(1895, 1, 1)
    assert read_mrz_date("050101", "expiry", as_of=date(1999, 6, 1)).value == date(2005, 1, 1)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("740231", "day 31 does not exist"),
        ("741301", "month 13 does not exist"),
        ("740001", "month 00 does not exist"),
        ("740800", "day 00 does not exist"),
        ("74O812", "holds 'O' where a digit belongs"),
        ("7408", "has 4 characters"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(raw: str, reason: str) -> None:
    reading = read_mrz_date(raw, "birth", as_of=AS_OF)
    assert reading.value is None
    assert reading.error is not None
    assert reason in str(reading.reason("birth date"))


def test_leap_day_depends_on_the_inferred_century() -> None:
    assert read_mrz_date("000229", "birth", as_of=AS_OF).value == date(2000, 2, 29)
    assert read_mrz_date("010229", "birth", as_of=AS_OF).error is not None


def test_unknown_birth_date_is_accepted_as_unknown() -> None:
    reading = read_mrz_date("<<<<<<", "birth", as_of=AS_OF)
    assert reading.value is None
    assert reading.error is None
    assert reading.unknown == "date"


def test_unknown_day_or_month_keeps_the_known_parts() -> None:
    day_unknown = read_mrz_date("8503<<", "birth", as_of=AS_OF)
    assert (day_unknown.value, day_unknown.year, day_unknown.month) == (None, 1985, 3)
    assert day_unknown.unknown == "day"
    both = read_mrz_date("85<<<<", "birth", as_of=AS_OF)
    assert (both.year, both.month, both.unknown) == (1985, None, "day and month")


@pytest.mark.parametrize("raw", ["<<0812", "85<<12", "8513<<", "85031<"])
def test_fillers_in_impossible_places_of_a_date_are_refused(raw: str) -> None:
    assert read_mrz_date(raw, "birth", as_of=AS_OF).error is not None


def test_expiry_date_must_be_given_in_full() -> None:
    assert read_mrz_date("3107<<", "expiry", as_of=AS_OF).error is not None
