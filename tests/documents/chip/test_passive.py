"""Passive authentication: genuine chips verify, each tampered one is named."""

from __future__ import annotations

import pytest

from passerelle.documents.chip import ChipData, TrustAnchors
from passerelle.documents.chip.specimen import SpecimenPki, data_group
from tests.documents.chip.chip_pki import ANNA, PETER, at, pki, signer, verify, with_group


def codes(result: object) -> list[str]:
    return [f.code.value for f in result.findings]  # type: ignore[attr-defined]


def errors(result: object) -> list[str]:
    return [f.code.value for f in result.findings if f.is_error]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("algorithm", "hash_name"),
    [
        ("rsa-2048", "sha256"),
        ("rsa-pss-2048", "sha256"),
        ("rsa-3072", "sha512"),
        ("ecdsa-p256", "sha256"),
        ("ecdsa-p384", "sha384"),
        ("ecdsa-p521", "sha512"),
        ("ecdsa-brainpool256", "sha256"),
        ("ecdsa-brainpool384", "sha384"),
        ("ecdsa-brainpool512", "sha512"),
    ],
)
def test_a_genuine_chip_verifies_with_the_algorithms_issuers_use(
    algorithm: str, hash_name: str
) -> None:
    state = pki(algorithm, hash_name)
    chip = signer(algorithm, hash_name).chip(ANNA)
    result = verify(chip, trust=TrustAnchors.of([state.certificate], [state.crl()]))
    assert result.verified, result.findings
    assert result.findings == ()
    assert result.country == "UT"
    assert result.hash_algorithm == hash_name
    assert result.data_groups == (1, 2)
    assert result.summary.startswith("verified by the CSCA of UT (CN=CSCA UT")


def test_a_chip_of_another_hash_than_its_signer_s_verifies() -> None:
    groups = signer().chip(ANNA).data_groups
    # the data groups hashed with SHA-512, the signature made with SHA-256
    sod = signer().sign_sod(groups, hash_name="sha512")
    result = verify(ChipData(sod, groups))
    assert result.verified, result.findings
    assert result.hash_algorithm == "sha512"


def test_one_byte_changed_in_a_data_group_is_a_hash_failure_of_that_group() -> None:
    chip = signer().chip(ANNA)
    dg2 = bytearray(chip.data_groups[2])
    dg2[-10] ^= 0x01
    result = verify(with_group(chip, 2, bytes(dg2)))
    assert not result.verified
    assert errors(result) == ["chip_hash"]
    assert result.findings[0].part == "dg2"
    assert result.face is None


def test_the_dg1_of_another_passport_is_a_hash_failure_of_dg1() -> None:
    chip = signer().chip(ANNA)
    other = signer().chip(PETER)
    result = verify(with_group(chip, 1, other.data_groups[1]))
    assert errors(result) == ["chip_hash"]
    assert result.findings[0].part == "dg1"


def test_a_genuine_chip_of_another_passport_does_not_match_the_printed_mrz() -> None:
    cloned = signer().chip(PETER)
    result = verify(cloned, printed=ANNA)
    assert errors(result) == ["chip_mrz_mismatch"]
    assert "not the printed one" in result.summary


def test_a_signer_from_a_csca_the_node_does_not_trust_is_refused() -> None:
    impostor = SpecimenPki.create("UT", algorithm="ecdsa-p256", common_name="CSCA UT")
    chip = impostor.document_signer().chip(ANNA)
    result = verify(chip)
    assert errors(result) == ["csca_unknown"]
    assert result.csca is None


def test_a_signer_named_after_the_trusted_csca_but_signed_by_another_key_is_refused() -> None:
    impostor = SpecimenPki.create("UT", algorithm="ecdsa-p256", common_name="CSCA UT")
    chip = impostor.document_signer(key_ids=False).chip(ANNA)
    result = verify(chip)
    assert errors(result) == ["dsc_signature"]


def test_a_revoked_signer_is_named() -> None:
    revoked = pki().document_signer()
    chip = revoked.chip(ANNA)
    trust = TrustAnchors.of([pki().certificate], [pki().crl([revoked.certificate])])
    result = verify(chip, trust=trust)
    assert errors(result) == ["dsc_revoked"]


def test_a_crl_signed_by_another_key_is_not_believed() -> None:
    revoked = pki().document_signer()
    impostor = SpecimenPki.create("UT", algorithm="ecdsa-p256", common_name="CSCA UT")
    trust = TrustAnchors.of([pki().certificate], [impostor.crl([revoked.certificate])])
    result = verify(revoked.chip(ANNA), trust=trust)
    assert codes(result) == ["crl_unavailable"]
    assert result.verified


def test_an_expired_csca_is_named() -> None:
    old = SpecimenPki.create("UT", algorithm="ecdsa-p256", not_before=at(2008), years=10)
    chip = old.document_signer(not_before=at(2012), years=20).chip(ANNA)
    result = verify(chip, trust=TrustAnchors.of([old.certificate], [old.crl()]))
    assert errors(result) == ["csca_expired"]


def test_an_expired_signer_is_named() -> None:
    chip = pki().document_signer(not_before=at(2012), years=5).chip(ANNA)
    result = verify(chip)
    assert errors(result) == ["dsc_expired"]


def test_a_signer_of_another_country_than_the_issuing_state_is_named() -> None:
    result = verify(signer().chip(ANNA), state="D")
    assert errors(result) == ["chip_country_mismatch"]
    assert "issued by D" in result.summary


def test_a_changed_signature_fails_the_sod() -> None:
    chip = signer("ecdsa-p256").chip(ANNA)
    state = pki("ecdsa-p256")
    sod = bytearray(chip.sod)
    sod[-5] ^= 0x01  # inside the ECDSA signature, at the end of the SignerInfo

    result = verify(
        ChipData(bytes(sod), chip.data_groups),
        trust=TrustAnchors.of([state.certificate], [state.crl()]),
    )
    assert "chip_signature" in errors(result) or "chip_malformed" in errors(result)
    assert not result.verified


def test_without_a_crl_the_chip_verifies_with_a_warning() -> None:
    result = verify(signer().chip(ANNA), trust=TrustAnchors.of([pki().certificate]))
    assert result.verified
    assert codes(result) == ["crl_unavailable"]


def test_a_crl_past_its_next_update_is_a_warning() -> None:
    trust = TrustAnchors.of([pki().certificate], [pki().crl(this_update=at(2024), days=30)])
    result = verify(signer().chip(ANNA), trust=trust)
    assert result.verified
    assert codes(result) == ["crl_stale"]


def test_dg14_and_dg15_say_chip_and_active_authentication_are_possible() -> None:
    chip = signer().chip(
        ANNA, extra={14: data_group(14, b"\x31\x00"), 15: data_group(15, b"\x30\x00")}
    )
    result = verify(chip)
    assert result.verified
    assert result.chip_authentication
    assert result.active_authentication
    assert codes(result) == ["chip_authentication_available", "active_authentication_available"]


def test_a_data_group_the_sod_does_not_list_is_named() -> None:
    chip = with_group(signer().chip(ANNA), 11, data_group(11, b"\x5c\x00"))
    result = verify(chip)
    assert errors(result) == ["chip_dg_missing"]
    assert result.findings[0].part == "dg11"


def test_a_chip_without_dg1_is_not_verified() -> None:
    result = verify(with_group(signer().chip(ANNA), 1, None))
    assert errors(result) == ["chip_dg_missing"]


def test_the_face_of_dg2_is_given_when_it_verified() -> None:
    result = verify(signer().chip(ANNA))
    assert result.face is not None
    assert result.face.format == "jpeg"
    assert result.face.data.startswith(b"\xff\xd8")
