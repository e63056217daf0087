"""ISO/IEC 19794-2:2005 records: written to the standard, read back unchanged, bad ones refused."""

from __future__ import annotations

import struct

import pytest

from passerelle.biometrics.fingerprint import (
    FingerprintTemplate,
    Minutia,
    MinutiaeRecord,
    MinutiaKind,
    compare,
    decode_record,
    encode_record,
)
from passerelle.exc import InvalidInput


def test_template_survives_an_iso_round_trip(
    templates: dict[int, list[FingerprintTemplate]],
) -> None:
    sent = templates[101][0]
    received = FingerprintTemplate.from_iso(
        sent.to_iso(), extractor=sent.extractor, extractor_version=sent.extractor_version
    )
    assert received == sent
    assert received.record().minutiae == sent.record().minutiae
    assert compare(received, templates[101][1]) == compare(sent, templates[101][1])


def test_record_header_follows_the_2005_layout(
    templates: dict[int, list[FingerprintTemplate]],
) -> None:
    data = templates[102][0].to_iso()
    assert data[:8] == b"FMR\x00 20\x00"
    (length,) = struct.unpack_from(">I", data, 8)
    width, height, xres, yres, views = struct.unpack_from(">HHHHB", data, 14)
    count = data[27]
    assert length == len(data) == 24 + 4 + 6 * count + 2
    assert (width, height, xres, yres, views) == (320, 400, 197, 197, 1)
    assert data[26] == templates[102][0].quality


def test_every_field_of_a_record_round_trips() -> None:
    record = MinutiaeRecord(
        width=500,
        height=600,
        minutiae=(
            Minutia(0, 0, 0, MinutiaKind.OTHER, 0),
            Minutia(16383, 16383, 255, MinutiaKind.BIFURCATION, 100),
            Minutia(250, 300, 64, MinutiaKind.RIDGE_ENDING, 55),
        ),
        finger_quality=77,
        finger_position=7,
        impression_type=1,
        resolution_ppcm=394,
    )
    assert decode_record(encode_record(record)) == record


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda d: d[:20], "too short"),
        (lambda d: b"ABC" + d[3:], "no 'FMR'"),
        (lambda d: d[:4] + b" 30\x00" + d[8:], "2005 edition"),
        (lambda d: d + b"\x00", "record says"),
        (lambda d: d[:22] + b"\x02" + d[23:], "2 finger views"),
    ],
    ids=["short", "magic", "version", "length", "views"],
)
def test_malformed_records_are_refused(mangle: object, reason: str) -> None:
    good = encode_record(
        MinutiaeRecord(width=320, height=400, minutiae=(Minutia(1, 2, 3, MinutiaKind(1), 4),))
    )
    with pytest.raises(InvalidInput) as refused:
        decode_record(mangle(good))  # type: ignore[operator]
    assert refused.value.field == "template"
    assert reason in refused.value.reason


def test_minutia_outside_the_coordinate_range_is_not_written() -> None:
    record = MinutiaeRecord(
        width=320, height=400, minutiae=(Minutia(20000, 5, 0, MinutiaKind.RIDGE_ENDING, 50),)
    )
    with pytest.raises(InvalidInput, match="outside"):
        encode_record(record)
