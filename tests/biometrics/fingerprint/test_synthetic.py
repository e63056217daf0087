"""The synthetic generator: deterministic, varied, and plausible enough for MINDTCT."""

from __future__ import annotations

import numpy as np
import pytest

from passerelle.biometrics.fingerprint.synthetic import (
    IMAGE_SHAPE,
    ImpressionVariation,
    PatternClass,
    generate_master,
    render_impression,
)
from passerelle.exc import InvalidInput


def test_same_seed_gives_the_same_pixels() -> None:
    first = render_impression(generate_master(42), 3)
    again = render_impression(generate_master(42), 3)
    assert np.array_equal(first, again)


def test_masters_of_different_seeds_differ() -> None:
    a, b = generate_master(42), generate_master(43)
    assert not np.allclose(a.ridges, b.ridges)


def test_impressions_of_one_master_differ_from_each_other() -> None:
    master = generate_master(42)
    first, second = render_impression(master, 0), render_impression(master, 1)
    assert np.mean(first != second) > 0.5


def test_impression_is_a_500ppi_greyscale_image_with_dark_ridges_on_light_ground() -> None:
    image = render_impression(generate_master(7), 0)
    assert image.shape == IMAGE_SHAPE
    assert image.dtype == np.uint8
    # the corners are background, the centre holds ridges and valleys
    assert image[:10, :10].mean() > 180
    centre = image[150:250, 110:210]
    assert centre.min() < 100 < centre.max()


def test_pattern_class_can_be_chosen() -> None:
    assert generate_master(5, pattern=PatternClass.WHORL).pattern is PatternClass.WHORL
    assert generate_master(5, pattern=PatternClass.ARCH).pattern is PatternClass.ARCH


def test_no_variation_renders_the_master_in_place() -> None:
    still = ImpressionVariation(
        max_rotation_deg=0, max_shift_px=0, distortion_px=0, pressure=0, noise=0, dryness=0
    )
    master = generate_master(9)
    a = render_impression(master, 0, variation=still).astype(int)
    b = render_impression(master, 1, variation=still).astype(int)
    # only contact area, blur and grey levels vary: ridges stay where they were
    inside = (a < 200) & (b < 200)
    assert np.corrcoef(a[inside], b[inside])[0, 1] > 0.5


def test_negative_seed_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        generate_master(-1)
    assert refused.value.field == "seed"
