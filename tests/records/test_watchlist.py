"""Reading a watchlist line: the short path for clean lines agrees with the detailed checks."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.exc import InvalidInput
from passerelle.records.watchlist import (
    _read_ordinary,
    _read_with_reasons,
    read_entry,
)

ARABIC = "محمد بن علي"
HAMZA_COMBINING = "\u0627\u0654hmed"  # alef + combining hamza above: not NFC

CLEAN: dict[str, Any] = {
    "id": "MAR-W-0001",
    "names": ["Mohamed Ben Ali", ARABIC, "BENALI MOHAMED"],
    "birth_date": "1985-03-02",
    "nationalities": ["MAR", "DZA"],
    "sex": "M",
    "category": "wanted",
    "issued_by": "MAR",
    "valid_until": "2030-01-31",
}


def detailed(record: dict[str, Any]) -> Any:
    try:
        return _read_with_reasons(record)
    except InvalidInput as exc:
        return ("rejected", exc.field)


def test_a_clean_line_takes_the_short_path_and_reads_as_the_detailed_checks_do() -> None:
    fast = _read_ordinary(CLEAN)
    assert fast is not None
    assert fast == _read_with_reasons(CLEAN)
    assert fast.birth_year == 1985
    assert fast.canonical()["valid_until"] == "2030-01-31"


@pytest.mark.parametrize(
    ("changes", "stored"),
    [
        ({"names": ["  Mohamed   Ben Ali "]}, ("Mohamed Ben Ali",)),
        ({"names": [HAMZA_COMBINING]}, ("\u0623hmed",)),
        ({"names": ["Mohamed\tBen Ali", "Mohamed Ben Ali"]}, ("Mohamed Ben Ali",)),
        ({"names": ["Fatima\u00a0Zahra"]}, ("Fatima Zahra",)),
    ],
)
def test_names_needing_normalisation_are_normalised_by_the_detailed_checks(
    changes: dict[str, Any], stored: tuple[str, ...]
) -> None:
    record = CLEAN | changes
    assert _read_ordinary(record) is None
    assert read_entry(record).names == stored


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": ["wanted"]}, "category"),
        ({"sex": {"M": 1}}, "sex"),
        ({"nationalities": [["MAR"]]}, "nationalities"),
        ({"issued_by": 504}, "issued_by"),
        ({"birth_date": "1985-02-30"}, "birth_date"),
        ({"valid_until": "2030-13-01"}, "valid_until"),
        ({"id": "MAR\x00W"}, "id"),
        ({"names": []}, "names"),
        ({"colour": "blue"}, "colour"),
        ({"shareable": "no"}, "shareable"),
        ({"shareable": 0}, "shareable"),
        ({"restricted_matter": "sports"}, "restricted_matter"),
        ({"restricted_matter": ["political"]}, "restricted_matter"),
    ],
)
def test_bad_values_fall_through_to_a_rejection_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    record = CLEAN | changes
    assert _read_ordinary(record) is None
    with pytest.raises(InvalidInput) as caught:
        read_entry(record)
    assert caught.value.field == field


def test_equal_content_gives_equal_hashes_whichever_path_reads_it() -> None:
    sloppy = CLEAN | {"names": ["Mohamed  Ben Ali", ARABIC, "BENALI MOHAMED"], "issued_by": "mar"}
    assert read_entry(sloppy).content_hash == read_entry(CLEAN).content_hash
    assert read_entry(CLEAN | {"sex": "F"}).content_hash != read_entry(CLEAN).content_hash


NAMES = st.one_of(
    st.sampled_from(["Mohamed Ben Ali", ARABIC, "BENALI MOHAMED", HAMZA_COMBINING, " x ", ""]),
    st.text(max_size=12),
    st.integers(),
)
VALUES: dict[str, Any] = {
    "id": st.one_of(st.sampled_from(["MAR-W-1", " MAR-W-1", "x" * 65]), st.text(max_size=6)),
    "names": st.one_of(st.lists(NAMES, max_size=3), st.none(), st.text(max_size=3)),
    "birth_date": st.one_of(
        st.sampled_from(["1985", "1985-03", "1985-03-02", "1985-3-2", "0001", "1985-02-29"]),
        st.none(),
        st.integers(),
    ),
    "nationalities": st.one_of(
        st.lists(st.sampled_from(["MAR", "DZA", "mar", "D<<", "D", "XXX", 5]), max_size=3),
        st.none(),
        st.just("MAR"),
    ),
    "sex": st.sampled_from(["M", "F", "X", None, 1, ["M"]]),
    "category": st.sampled_from(["wanted", "alert", "Wanted", None, ["wanted"]]),
    "issued_by": st.sampled_from(["MAR", "mar", "XXX", None, 1]),
    "valid_until": st.sampled_from(["2030-01-31", "2030-02-30", "20300131", None, 20300131]),
    "shareable": st.sampled_from([True, False, None, 0, 1, "no"]),
    "restricted_matter": st.sampled_from(["political", "racial", None, "sports", "", ["military"]]),
}


ABSENT = object()


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A line whose fields are each the clean value, a drawn (often odd) one, or absent."""
    record = {
        name: draw(st.one_of(st.just(CLEAN.get(name, ABSENT)), strategy, st.just(ABSENT)))
        for name, strategy in VALUES.items()
    }
    return {name: value for name, value in record.items() if value is not ABSENT}


@given(records(), st.booleans())
@settings(max_examples=500, deadline=None)
def test_the_short_path_never_disagrees_with_the_detailed_checks(
    record: dict[str, Any], extra_field: bool
) -> None:
    if extra_field:
        record["unknown"] = 1
    fast = _read_ordinary(record)
    if fast is not None:
        assert fast == detailed(record)


def test_the_content_hash_is_the_sha256_of_the_canonical_json_with_sorted_keys() -> None:
    for record in (
        CLEAN,
        CLEAN | {"birth_date": None, "nationalities": None, "sex": None},
        CLEAN | {"shareable": False, "restricted_matter": "military"},
    ):
        entry = read_entry(record)
        text = orjson.dumps(entry.canonical(), option=orjson.OPT_SORT_KEYS)
        assert entry.content_hash == hashlib.sha256(text).hexdigest()


def test_a_person_is_shared_as_usual_unless_the_line_keeps_them_home() -> None:
    entry = read_entry(CLEAN)
    assert (entry.shareable, entry.restricted_matter) == (True, None)
    home = CLEAN | {"shareable": False, "restricted_matter": "political"}
    kept = read_entry(home)
    assert (kept.shareable, kept.restricted_matter) == (False, "political")
    assert kept == _read_with_reasons(home)
    assert kept.content_hash != entry.content_hash


def test_the_sharing_fields_at_their_defaults_leave_the_content_hash_as_it_was() -> None:
    """Files written before the fields existed reload as unchanged: the hash is the same."""
    text = orjson.dumps(CLEAN, option=orjson.OPT_SORT_KEYS)  # the eight fields of old
    expected = hashlib.sha256(text).hexdigest()
    assert read_entry(CLEAN).content_hash == expected
    explicit = CLEAN | {"shareable": True, "restricted_matter": None}
    assert read_entry(explicit).content_hash == expected
    assert _read_with_reasons(explicit).content_hash == expected
