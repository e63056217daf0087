"""An inspection's travel context: normalised so that two records of one thing compare equal."""

from __future__ import annotations

import pytest

from passerelle.exc import InvalidInput
from passerelle.records.travel import TravelContext, normalise_phone, normalise_plate


def test_one_plate_written_three_ways_is_one_plate() -> None:
    assert {normalise_plate(p) for p in ("12345-a-6", "12345 A 6", "12345A6")} == {"12345A6"}


def test_an_arabic_plate_keeps_its_letter() -> None:
    assert normalise_plate("12345 - أ - 6") == "12345أ6"


def test_a_phone_with_00_or_plus_is_the_same_number() -> None:
    assert normalise_phone("00212 661 23 45 67") == normalise_phone("+212-661.23.45.67")


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"phone": "06 61 ab"}, "travel.phone"),
        ({"phone": "+212 6+6"}, "travel.phone"),
        ({"phone": "1234"}, "travel.phone"),
        ({"vehicle_plate": "#"}, "travel.vehicle_plate"),
        ({"address": "x" * 201}, "travel.address"),
        ({"party_reference": "G" * 65}, "travel.party_reference"),
    ],
)
def test_a_value_out_of_shape_is_refused_naming_its_field(
    given: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        TravelContext.parse(**given)
    assert refused.value.field == field


def test_blanks_are_nothing_given() -> None:
    assert TravelContext.parse(vehicle_plate=" ", phone="").empty
