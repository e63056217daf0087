"""``POST /api/v1/inspections`` with the chip: findings of source ``chip``, or 422 naming
the part the reader sent badly."""

from __future__ import annotations

import base64

from passerelle.documents.chip.transfer import chip_as_json
from tests.api.conftest import Api
from tests.documents.chip.chip_pki import with_group
from tests.screening.conftest import passport
from tests.screening.test_chip_check import chip_of, trust_morocco

BODY = {"purpose": "border control", "crossing_point": "TNG-MED", "direction": "entry"}


def post(api: Api, mrz: str, chip: object) -> tuple[int, dict[str, object]]:
    answer = api.client.post(
        "/api/v1/inspections",
        json={**BODY, "mrz": mrz, "chip": chip},
        headers=api.as_role("officer"),
    )
    return answer.status_code, answer.json()


def test_a_verified_chip_clears_with_a_green_chip_light(api: Api) -> None:
    trust_morocco(api.services.node)
    mrz = passport()
    status, result = post(api, mrz, chip_as_json(chip_of(mrz)))
    assert status == 201, result
    assert result["decision"] == "clear"
    assert result["sources"]["chip"] == "green"  # type: ignore[index]
    (line,) = [f for f in result["findings"] if f["source"] == "chip"]  # type: ignore[attr-defined]
    assert line["code"] == "chip_verified"


def test_each_tampered_chip_is_named(api: Api) -> None:
    trust_morocco(api.services.node)
    mrz = passport()
    genuine = chip_of(mrz)
    dg1 = bytearray(genuine.data_groups[1])
    dg1[10] ^= 0x01
    cases = {
        "chip_hash": chip_as_json(with_group(genuine, 1, bytes(dg1))),
        "chip_mrz_mismatch": chip_as_json(chip_of(passport(number="QX1111111"))),
    }
    for code, chip in cases.items():
        status, result = post(api, mrz, chip)
        assert status == 201
        assert result["decision"] == "hit"
        assert [f["code"] for f in result["findings"] if f["source"] == "chip"] == [code]  # type: ignore[attr-defined]


def test_a_chip_part_that_is_not_base64_is_refused_naming_it(api: Api) -> None:
    status, answer = post(api, passport(), {"sod": "AQI=", "data_groups": {"1": "%%%"}})
    assert status == 422
    assert answer["field"] == "chip.data_groups.1"


def test_a_data_group_number_outside_the_lds_is_refused(api: Api) -> None:
    status, _answer = post(api, passport(), {"sod": "AQI=", "data_groups": {"17": "AQI="}})
    assert status == 422


def test_an_oversized_sod_is_refused_before_anything_is_checked(api: Api) -> None:
    big = base64.b64encode(b"\x77" * (64 * 1024 + 1)).decode()
    status, _answer = post(api, passport(), {"sod": big, "data_groups": {}})
    assert status == 422


def test_malformed_chip_bytes_are_a_finding_not_an_error(api: Api) -> None:
    status, result = post(api, passport(), {"sod": "dwMBAgM=", "data_groups": {"1": "YQA="}})
    assert status == 201
    assert result["decision"] == "refer"
    codes = [f["code"] for f in result["findings"] if f["source"] == "chip"]  # type: ignore[attr-defined]
    assert codes == ["chip_malformed"]
