"""CSCA master lists: imported only when their signer chains to a CSCA already trusted."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from passerelle.documents.chip import ChipDataError, TrustAnchors, read_master_list
from passerelle.documents.chip.specimen import SpecimenPki, master_list
from tests.documents.chip.chip_pki import pki


@pytest.fixture(scope="module")
def publisher() -> SpecimenPki:
    return SpecimenPki.create("UT", algorithm="ecdsa-p256", common_name="CSCA UT publisher")


@pytest.fixture(scope="module")
def listed() -> tuple[SpecimenPki, ...]:
    return tuple(
        SpecimenPki.create(country, algorithm="ecdsa-brainpool256") for country in ("FR", "MA")
    )


def test_a_master_list_signed_under_a_trusted_csca_gives_its_cscas(
    publisher: SpecimenPki, listed: tuple[SpecimenPki, ...]
) -> None:
    raw = master_list([p.certificate for p in listed], publisher.signer_of_master_list())
    result = read_master_list(raw, TrustAnchors.of([publisher.certificate]))
    assert sorted(der for _c, der in result.cscas) == sorted(
        p.certificate.public_bytes(Encoding.DER) for p in listed
    )
    assert result.signer_issuer == publisher.certificate


def test_the_publisher_s_csca_named_out_of_band_is_enough(
    publisher: SpecimenPki, listed: tuple[SpecimenPki, ...]
) -> None:
    raw = master_list([p.certificate for p in listed], publisher.signer_of_master_list())
    result = read_master_list(raw, TrustAnchors(), anchors=[publisher.certificate])
    assert len(result.cscas) == 2


def test_a_master_list_whose_signer_is_not_trusted_is_refused(
    publisher: SpecimenPki, listed: tuple[SpecimenPki, ...]
) -> None:
    raw = master_list([p.certificate for p in listed], publisher.signer_of_master_list())
    with pytest.raises(ChipDataError) as refused:
        read_master_list(raw, TrustAnchors.of([pki().certificate]))
    assert refused.value.field == "masterlist.signer"
    assert "not issued by a trusted CSCA" in refused.value.reason


def test_a_master_list_cannot_vouch_for_itself(publisher: SpecimenPki) -> None:
    raw = master_list([publisher.certificate], publisher.signer_of_master_list())
    with pytest.raises(ChipDataError, match=r"masterlist\.signer"):
        read_master_list(raw, TrustAnchors())


def test_a_changed_master_list_does_not_verify(
    publisher: SpecimenPki, listed: tuple[SpecimenPki, ...]
) -> None:
    raw = bytearray(master_list([p.certificate for p in listed], publisher.signer_of_master_list()))
    raw[200] ^= 0x01  # inside the first listed certificate
    with pytest.raises(ChipDataError) as refused:
        read_master_list(bytes(raw), TrustAnchors.of([publisher.certificate]))
    assert refused.value.field.startswith("masterlist")


@pytest.mark.parametrize("raw", [b"", b"\x30\x03\x02\x01", b"not a master list" * 10])
def test_a_malformed_master_list_is_refused_naming_it(raw: bytes) -> None:
    with pytest.raises(ChipDataError) as refused:
        read_master_list(raw, TrustAnchors())
    assert refused.value.field == "masterlist"
