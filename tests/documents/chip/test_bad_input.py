"""What a reader may hand over that is not a chip: each part named, nothing raised."""

from __future__ import annotations

from types import MappingProxyType

from asn1crypto import cms
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.documents.chip import ChipData
from passerelle.documents.chip.model import MAX_DATA_GROUP_BYTES, MAX_SOD_BYTES
from passerelle.documents.chip.sod import LDS_SECURITY_OBJECT, LdsSecurityObject, wrap_sod
from passerelle.documents.chip.specimen import signed_data
from tests.documents.chip.chip_pki import ANNA, signer, verify, with_group


def named(result: object) -> list[tuple[str, str]]:
    return [(f.code.value, f.part) for f in result.findings if f.is_error]  # type: ignore[attr-defined]


def test_a_sod_that_is_not_der_is_malformed() -> None:
    chip = signer().chip(ANNA)
    result = verify(ChipData(b"\x77\x03\x01\x02", chip.data_groups))
    assert named(result) == [("chip_malformed", "sod")]
    assert "EF.SOD" in result.summary


def test_a_truncated_sod_is_malformed() -> None:
    chip = signer().chip(ANNA)
    result = verify(ChipData(chip.sod[: len(chip.sod) // 2], chip.data_groups))
    assert named(result) == [("chip_malformed", "sod")]


def test_an_empty_sod_is_malformed() -> None:
    assert named(verify(ChipData(b"", {}))) == [("chip_malformed", "sod")]


def test_a_truncated_data_group_is_malformed_and_named() -> None:
    chip = signer().chip(ANNA)
    result = verify(with_group(chip, 2, chip.data_groups[2][:-100]))
    assert named(result) == [("chip_malformed", "dg2")]


def test_a_data_group_under_another_tag_is_malformed() -> None:
    chip = signer().chip(ANNA)
    result = verify(with_group(chip, 1, chip.data_groups[2]))
    assert named(result) == [("chip_malformed", "dg1")]


def test_a_sod_signed_with_an_unknown_algorithm_is_named() -> None:
    chip = signer().chip(ANNA)
    info = cms.ContentInfo.load(chip.sod[4:])  # past tag 77 and its two-byte length
    info["content"]["signer_infos"][0]["signature_algorithm"] = {"algorithm": "1.2.3.4.5"}
    result = verify(ChipData(wrap_sod(info.dump(force=True)), chip.data_groups))
    assert named(result) == [("chip_algorithm", "sod")]


def test_a_sod_hashing_with_an_unknown_digest_is_named() -> None:
    groups = signer().chip(ANNA).data_groups
    lso = LdsSecurityObject(
        {
            "version": 0,
            "hash_algorithm": {"algorithm": "md5"},
            "data_group_hash_values": [
                {"data_group_number": n, "data_group_hash_value": b"\x00" * 16} for n in groups
            ],
        }
    )
    s = signer()
    sod = wrap_sod(
        signed_data(
            lso.dump(), LDS_SECURITY_OBJECT, s.certificate, s.key, scheme="pkcs1",
            hash_name="sha256",
        )
    )  # fmt: skip
    result = verify(ChipData(sod, groups))
    assert named(result) == [("chip_algorithm", "sod")]


def test_oversized_parts_are_named_before_anything_is_read() -> None:
    chip = signer().chip(ANNA)
    big = ChipData(b"\x77" + b"\x00" * MAX_SOD_BYTES, chip.data_groups)
    assert named(verify(big)) == [("chip_oversized", "sod")]
    huge = with_group(chip, 2, b"\x75" + b"\x00" * MAX_DATA_GROUP_BYTES)
    assert named(verify(huge)) == [("chip_oversized", "dg2")]


@settings(max_examples=200, deadline=None)
@given(
    sod=st.binary(max_size=600),
    groups=st.dictionaries(st.integers(0, 20), st.binary(max_size=200), max_size=3),
)
def test_any_bytes_give_findings_never_an_exception(sod: bytes, groups: dict[int, bytes]) -> None:
    result = verify(ChipData(sod, MappingProxyType(groups)))
    assert not result.verified
    assert all(f.message for f in result.findings)


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, 10_000), bit=st.integers(0, 7))
def test_any_bit_flipped_in_the_sod_fails_verification_with_a_finding(
    position: int, bit: int
) -> None:
    chip = signer("ecdsa-p256").chip(ANNA)
    sod = bytearray(chip.sod)
    sod[position % len(sod)] ^= 1 << bit
    result = verify(ChipData(bytes(sod), chip.data_groups))
    assert not result.verified
