"""Issuing-state and nationality codes of an ICAO Doc 9303 MRZ."""

from __future__ import annotations

import doctest
import string

import pytest

from passerelle.documents import states
from passerelle.documents.states import (
    BRITISH_STATUS_CODES,
    ICAO_SPECIFIC,
    ISO_ALPHA3,
    MRZ_SPELLING,
    ORGANISATION_CODES,
    PERSON_STATUS_CODES,
    SPECIMEN_CODES,
    is_known_state,
    read_state_code,
    state_name,
)

UPPER = frozenset(string.ascii_uppercase)


def test_all_249_iso_codes_are_present() -> None:
    assert len(ISO_ALPHA3) == 249


@pytest.mark.parametrize(
    "code",
    ["ALA", "ATA", "BES", "BVT", "CUW", "SSD", "SXM", "UMI", "ESH", "PSE", "TWN", "VAT"],
)
def test_rarely_seen_iso_codes_are_present(code: str) -> None:
    assert code in ISO_ALPHA3


def test_every_iso_code_is_three_upper_case_letters() -> None:
    for code in ISO_ALPHA3:
        assert len(code) == 3, code
        assert set(code) <= UPPER, code


def test_every_name_is_a_non_empty_trimmed_string() -> None:
    for code, name in {**ISO_ALPHA3, **ICAO_SPECIFIC}.items():
        assert name, code
        assert name == name.strip(), code


def test_retired_iso_codes_are_absent() -> None:
    for code in ("ANT", "SCG", "YUG", "CSK", "SUN", "ZAR", "TMP", "BUR"):
        assert code not in ISO_ALPHA3
        assert not is_known_state(code)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("MAR", "Morocco"),
        ("DZA", "Algeria"),
        ("TUN", "Tunisia"),
        ("MRT", "Mauritania"),
        ("MLI", "Mali"),
        ("NER", "Niger"),
        ("NGA", "Nigeria"),
        ("SEN", "Senegal"),
        ("ESP", "Spain"),
        ("FRA", "France"),
        ("SAU", "Saudi Arabia"),
        ("EGY", "Egypt"),
        ("LBY", "Libya"),
        ("DEU", "Germany"),
        ("AFG", "Afghanistan"),
        ("ZWE", "Zimbabwe"),
    ],
)
def test_iso_names_are_spelled_right(code: str, name: str) -> None:
    assert ISO_ALPHA3[code] == name
    assert state_name(code) == name


def test_germany_is_written_d_not_deu() -> None:
    assert MRZ_SPELLING["DEU"] == "D"
    assert ICAO_SPECIFIC["D"] == "Germany"
    assert read_state_code("D<<") == "D"
    assert is_known_state(read_state_code("D<<"))
    assert state_name(read_state_code("D<<")) == "Germany"


def test_mrz_spelling_maps_iso_codes_to_icao_specific_codes() -> None:
    for iso, icao in MRZ_SPELLING.items():
        assert iso in ISO_ALPHA3
        assert icao in ICAO_SPECIFIC
        assert ISO_ALPHA3[iso] == ICAO_SPECIFIC[icao]


@pytest.mark.parametrize("code", sorted(ICAO_SPECIFIC))
def test_icao_specific_codes_are_known(code: str) -> None:
    assert is_known_state(code)
    assert state_name(code) == ICAO_SPECIFIC[code]


@pytest.mark.parametrize("code", sorted(ISO_ALPHA3))
def test_iso_codes_are_known(code: str) -> None:
    assert is_known_state(code)


def test_icao_specific_codes_are_one_to_three_upper_case_letters() -> None:
    for code in ICAO_SPECIFIC:
        assert 1 <= len(code) <= 3, code
        assert set(code) <= UPPER, code


def test_iso_and_icao_specific_codes_do_not_overlap() -> None:
    assert not set(ISO_ALPHA3) & set(ICAO_SPECIFIC)


def test_icao_specific_codes_are_exactly_the_listed_ones() -> None:
    assert set(ICAO_SPECIFIC) == {
        "D",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "UNO",
        "UNA",
        "UNK",
        "RKS",
        "EUE",
        "XBA",
        "XIM",
        "XCC",
        "XCE",
        "XCO",
        "XDC",
        "XEC",
        "XES",
        "XMP",
        "XOM",
        "XPO",
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "UTO",
    }


def test_code_categories_are_disjoint_and_icao_specific() -> None:
    groups = [PERSON_STATUS_CODES, BRITISH_STATUS_CODES, SPECIMEN_CODES, ORGANISATION_CODES]
    for i, group in enumerate(groups):
        assert group <= set(ICAO_SPECIFIC)
        for other in groups[i + 1 :]:
            assert not group & other
    uncategorised = set(ICAO_SPECIFIC).difference(*groups)
    assert uncategorised == {"D", "UNK", "RKS"}


def test_code_categories_hold_the_expected_codes() -> None:
    assert {"XXA", "XXB", "XXC", "XXX"} == PERSON_STATUS_CODES
    assert {"GBD", "GBN", "GBO", "GBP", "GBS"} == BRITISH_STATUS_CODES
    assert {"UTO"} == SPECIMEN_CODES
    assert {
        "UNO",
        "UNA",
        "EUE",
        "XBA",
        "XIM",
        "XCC",
        "XCE",
        "XCO",
        "XDC",
        "XEC",
        "XES",
        "XMP",
        "XOM",
        "XPO",
    } == ORGANISATION_CODES


def test_code_categories_are_frozen() -> None:
    for group in (PERSON_STATUS_CODES, BRITISH_STATUS_CODES, SPECIMEN_CODES, ORGANISATION_CODES):
        assert isinstance(group, frozenset)


def test_mappings_are_read_only() -> None:
    for mapping in (ISO_ALPHA3, ICAO_SPECIFIC, MRZ_SPELLING):
        with pytest.raises(TypeError):
            mapping["ZZZ"] = "Nowhere"  # type: ignore[index]


@pytest.mark.parametrize("code", ["ZZZ", "AAA", "XYZ", "", "mar", "MAR<", "GB", "DE", "EU", "UN"])
def test_unknown_code_is_refused(code: str) -> None:
    assert not is_known_state(code)
    assert state_name(code) is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("D<<", "D"),
        ("MAR", "MAR"),
        ("<<<", ""),
        ("GBD", "GBD"),
        ("UT<", "UT"),
        ("", ""),
        ("<", ""),
    ],
)
def test_fillers_are_stripped_from_mrz_state_field(raw: str, code: str) -> None:
    assert read_state_code(raw) == code


def test_only_trailing_fillers_are_stripped() -> None:
    assert read_state_code("<AR") == "<AR"
    assert read_state_code("D<D") == "D<D"


@pytest.mark.parametrize(
    "raw", ["", "<", "<<<<<<", "\x00", "é", "\U0001f600", " D<", "MAR\n", "a" * 10_000]
)
def test_read_state_code_never_raises(raw: str) -> None:
    assert isinstance(read_state_code(raw), str)


def test_a_filler_only_field_is_not_a_known_state() -> None:
    assert not is_known_state(read_state_code("<<<"))


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(states)
    assert result.attempted >= 3
    assert result.failed == 0
