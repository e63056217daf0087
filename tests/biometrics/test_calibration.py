"""Thresholds for a stated false match rate, with the pairs that support them."""

from __future__ import annotations

import numpy as np
import pytest

from passerelle.biometrics.calibration import calibrate
from passerelle.exc import InvalidInput


def test_the_threshold_passes_no_more_impostors_than_the_target_allows() -> None:
    rng = np.random.default_rng(3)
    impostor = list(rng.normal(0.5, 0.1, 20_000))
    genuine = list(rng.normal(0.95, 0.02, 500))
    result = calibrate(genuine, impostor, target_fmr=1e-3)
    assert result.fmr <= 1e-3
    assert sum(score >= result.threshold for score in impostor) == round(result.fmr * 20_000)
    assert result.supported  # 20,000 pairs: 20 may pass at 1e-3
    assert result.fnmr < 0.01
    assert not calibrate(genuine, impostor[:1000], target_fmr=1e-3).supported


@pytest.mark.parametrize(("genuine", "impostor", "fmr"), [([], [0.1], 0.1), ([0.9], [0.1], 0.0)])
def test_impossible_calibrations_are_refused(
    genuine: list[float], impostor: list[float], fmr: float
) -> None:
    with pytest.raises(InvalidInput):
        calibrate(genuine, impostor, fmr)
