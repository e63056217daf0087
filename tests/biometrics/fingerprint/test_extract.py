"""Extraction: images are checked before native code sees them; bad ones are refused clearly."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from passerelle.biometrics.fingerprint import (
    EXTRACTOR,
    EXTRACTOR_VERSION,
    MIN_MINUTIAE,
    FingerprintTemplate,
    extract_template,
)
from passerelle.exc import InvalidInput
from tests.biometrics.fingerprint.conftest import png_bytes


def test_template_is_tagged_with_the_extractor_and_its_release(
    templates: dict[int, list[FingerprintTemplate]],
) -> None:
    template = templates[101][0]
    assert (template.extractor, template.extractor_version) == (EXTRACTOR, EXTRACTOR_VERSION)
    assert template.minutiae_count >= MIN_MINUTIAE
    assert template.quality is not None
    assert 0 < template.quality <= 100


def test_quality_is_not_assessed_when_not_asked(
    templates: dict[int, list[FingerprintTemplate]],
) -> None:
    assert templates[101][1].quality is None


def test_png_bytes_and_the_array_give_the_same_minutiae(
    impressions: dict[int, list[npt.NDArray[np.uint8]]],
    templates: dict[int, list[FingerprintTemplate]],
) -> None:
    from_png = extract_template(png_bytes(impressions[102][1]), assess_quality=False)
    assert from_png.iso == templates[102][1].iso


@pytest.mark.parametrize(
    ("image", "reason"),
    [
        (b"", "is empty"),
        (b"GIF89a" + bytes(100), "not a PNG, JPEG, BMP or PNM image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG header is damaged or truncated"),
        (np.zeros((400, 320, 3), dtype=np.uint8), "3 dimensions"),
        (np.zeros((400, 320), dtype=np.float64), "float64"),
        (np.full((8, 8), 128, dtype=np.uint8), "too small"),
        (np.full((3000, 300), 128, dtype=np.uint8), "too large"),
    ],
    ids=["empty", "gif", "cut-png", "colour", "float", "tiny", "huge"],
)
def test_unusable_images_are_refused_before_extraction(image: object, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_template(image)  # type: ignore[arg-type]
    assert refused.value.field == "image"
    assert reason in refused.value.reason


def test_corrupt_image_data_is_refused(impressions: dict[int, list[npt.NDArray[np.uint8]]]) -> None:
    data = png_bytes(impressions[101][0])
    corrupt = data[:60] + bytes(len(data) - 60)
    with pytest.raises(InvalidInput, match="could not be decoded") as refused:
        extract_template(corrupt)
    assert refused.value.field == "image"


def test_blank_image_has_no_minutiae() -> None:
    with pytest.raises(InvalidInput, match="no minutiae found") as refused:
        extract_template(np.full((400, 320), 240, dtype=np.uint8))
    assert refused.value.field == "image"


def test_a_sliver_of_print_with_too_few_minutiae_is_refused(
    impressions: dict[int, list[npt.NDArray[np.uint8]]],
) -> None:
    sliver = np.full((400, 320), 240, dtype=np.uint8)
    sliver[150:200, 130:190] = impressions[103][0][150:200, 130:190]
    with pytest.raises(InvalidInput) as refused:
        extract_template(sliver, assess_quality=False)
    assert refused.value.field == "image"
    assert "minutiae" in refused.value.reason


def test_finger_position_out_of_range_is_refused(
    impressions: dict[int, list[npt.NDArray[np.uint8]]],
) -> None:
    with pytest.raises(InvalidInput) as refused:
        extract_template(impressions[101][0], finger_position=11)
    assert refused.value.field == "finger_position"
