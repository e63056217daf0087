"""The data groups the checks read: DG1's MRZ and DG2's face (JPEG and JPEG 2000)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from passerelle.documents.chip import ChipDataError, dg1_mrz_lines, dg2_face_image
from passerelle.documents.chip.specimen import face_dg2, mrz_dg1
from tests.documents.chip.chip_pki import ANNA


def test_dg1_gives_the_mrz_lines_back() -> None:
    assert dg1_mrz_lines(mrz_dg1(ANNA)) == ANNA


def test_a_dg1_of_an_odd_length_is_refused() -> None:
    with pytest.raises(ChipDataError, match="dg1: the MRZ is 10 characters"):
        dg1_mrz_lines(mrz_dg1(["P<UTO12345"]))


def test_dg2_gives_a_jpeg_2000_face() -> None:
    image = Image.new("RGB", (60, 80), (120, 100, 90))
    out = io.BytesIO()
    image.save(out, "JPEG2000")
    face = dg2_face_image(face_dg2(out.getvalue(), width=60, height=80))
    assert face.format == "jpeg2000"
    assert (face.width, face.height) == (60, 80)
    assert Image.open(io.BytesIO(face.data)).size == (60, 80)


def test_a_dg2_without_an_image_is_refused_naming_dg2() -> None:
    with pytest.raises(ChipDataError) as refused:
        dg2_face_image(face_dg2(b"GIF89a" + b"\x00" * 10))
    assert refused.value.field == "dg2"
