"""A document typed by hand from its visual zone: each field checked, the same check value."""

from __future__ import annotations

from datetime import date

import pytest

from passerelle.documents import MrzFormat, check_typed, typed_document
from passerelle.exc import InvalidInput

TYPED = {
    "document_code": "P",
    "issuing_state": "mar",
    "document_number": "AB 123-4567",
    "surname": "Ben Ali-Lamrani",
    "given_names": "Aïcha",
    "birth_date": "1990-04-21",
    "nationality": "MAR",
    "sex": "f",
    "expiry_date": "2031-07-14",
}


def test_the_typed_fields_become_a_document_check_like_a_readers() -> None:
    check = check_typed(typed_document(TYPED), as_of=date(2026, 12, 7))
    assert check.format is MrzFormat.TYPED
    assert check.well_formed
    assert check.lines == ()
    assert check.findings == ()
    assert (check.issuing_state, check.document_number, check.nationality) == (
        "MAR",
        "AB1234567",
        "MAR",
    )
    assert (check.surname, check.given_names, check.sex) == ("BEN ALI LAMRANI", "AICHA", "F")
    assert (check.birth_date, check.expiry_date, check.expired) == (
        date(1990, 4, 21),
        date(2031, 7, 14),
        False,
    )
    assert check.as_dict()["format"] == "typed"


def test_an_expired_document_says_so_and_an_unknown_birth_date_is_information() -> None:
    typed = typed_document(TYPED | {"expiry_date": "2020-01-31", "birth_date": "", "sex": "X"})
    check = check_typed(typed, as_of=date(2026, 12, 7))
    assert check.expired
    assert check.sex == "<"
    assert check.birth_date is None
    assert [(f.code.value, f.severity.value) for f in check.findings] == [
        ("unknown_date", "info"),
        ("expired", "warning"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("document_code", "", "one or two letters"),
        ("document_code", "P1", "one or two letters"),
        ("issuing_state", "", "is required"),
        ("issuing_state", "XYZ", "not an ICAO 9303 state code"),
        ("document_number", "", "is required"),
        ("document_number", "AB/123", "letters and digits"),
        ("surname", "", "is required"),
        ("surname", "محمد", "Latin letters"),
        ("given_names", "Anna2", "Latin letters"),
        ("birth_date", "21/04/1990", "not a date"),
        ("birth_date", "2032-01-01", "before the expiry date"),
        ("nationality", "ZZZ", "not an ICAO 9303 state code"),
        ("sex", "Q", "M, F, or X"),
        ("expiry_date", "", "is required"),
        ("expiry_date", "2031-02-30", "not a date"),
    ],
)
def test_a_bad_field_is_refused_naming_it(field: str, value: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        typed_document(TYPED | {field: value})
    assert refused.value.field == f"visual_zone.{field}"
    assert reason in refused.value.reason


def test_a_field_the_visual_zone_does_not_have_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        typed_document(TYPED | {"personal_number": "X"})
    assert refused.value.field == "visual_zone.personal_number"
