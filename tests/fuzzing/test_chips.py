"""Chips as readers send them: any JSON is a chip or a refusal naming the part; any bytes
give findings, never an exception; any master list is verified or refused whole."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.documents.chip import ChipData, ChipDataError, TrustAnchors, read_master_list
from passerelle.documents.chip.transfer import chip_as_json, read_chip
from passerelle.exc import InvalidInput
from tests.documents.chip.chip_pki import ANNA, pki, signer, verify
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.refusals import assert_names_a_field
from tests.fuzzing.strategies import json_values, mutated

GENUINE = chip_as_json(signer("ecdsa-p256").chip(ANNA), ANNA)


@FUZZ
@given(st.one_of(json_values(), mutated(GENUINE)))
@example({"sod": "AQI=", "data_groups": {"٣": "AQI="}})
@example({"sod": "AQI=", "data_groups": {"2": "AQI"}})
def test_any_json_is_a_chip_or_a_refusal_naming_the_part(value: Any) -> None:
    try:
        chip, mrz = read_chip(value)
    except InvalidInput as refused:
        assert_names_a_field(refused.field, refused.reason, within="chip")
        return
    assert isinstance(chip, ChipData)
    assert mrz is None or all(isinstance(line, str) for line in mrz)


@FUZZ
@given(
    sod=st.one_of(st.binary(max_size=300), st.just(signer("ecdsa-p256").chip(ANNA).sod)),
    groups=st.dictionaries(st.integers(-2, 20), st.binary(max_size=120), max_size=3),
)
def test_any_bytes_from_a_chip_give_findings_naming_parts(
    sod: bytes, groups: dict[int, bytes]
) -> None:
    result = verify(ChipData(sod, MappingProxyType(groups)))
    assert not result.verified
    for finding in result.findings:
        assert finding.part
        assert finding.message


@FUZZ
@given(st.binary(max_size=400))
@example(b"\x30\x80\x00\x00")
def test_any_bytes_as_a_master_list_are_refused_naming_it(raw: bytes) -> None:
    try:
        read_master_list(raw, TrustAnchors.of([pki().certificate]))
    except ChipDataError as refused:
        assert_names_a_field(refused.field, refused.reason, within="masterlist")
    else:
        raise AssertionError("random bytes were taken for a signed master list")
