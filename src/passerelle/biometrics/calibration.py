"""Choosing a decision threshold for a stated false match rate, from labelled comparisons.

A threshold is only as good as the impostor comparisons behind it: to claim a
false match rate of 1 in 1,000 one needs several thousand impostor pairs, and
the claim holds for the population they were drawn from. :func:`calibrate`
returns the lowest threshold whose measured FMR is at or below the target,
the FNMR it costs, and how many pairs support it, so a report can say all
three.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from passerelle.exc import InvalidInput

__all__ = ["Calibration", "calibrate"]


@dataclass(frozen=True, slots=True)
class Calibration:
    """A threshold and what it was measured to do."""

    threshold: float
    target_fmr: float
    fmr: float
    """Impostor pairs at or above the threshold ÷ impostor pairs."""
    fnmr: float
    """Genuine pairs below the threshold ÷ genuine pairs."""
    genuine_pairs: int
    impostor_pairs: int
    supported: bool
    """Enough impostor pairs that the target FMR could be observed at all (≥ 3 / target)."""


def calibrate(
    genuine: Sequence[float], impostor: Sequence[float], target_fmr: float
) -> Calibration:
    """The lowest score threshold with measured FMR ≤ ``target_fmr`` (scores: higher = same).

    >>> c = calibrate([0.99, 0.97, 0.79], [0.1, 0.5, 0.8, 0.96], target_fmr=0.25)
    >>> round(c.threshold, 6), c.fmr, round(c.fnmr, 3), c.supported
    (0.8, 0.25, 0.333, False)
    """
    if not genuine or not impostor:
        raise InvalidInput("pairs", "need at least one genuine and one impostor comparison")
    if not 0.0 < target_fmr < 1.0:
        raise InvalidInput("fmr", "must be between 0 and 1")
    ordered = sorted(impostor, reverse=True)
    allowed = math.floor(target_fmr * len(ordered))  # impostors that may pass
    # Just above the first impostor that must not pass: the lowest such threshold.
    threshold = (
        math.nextafter(ordered[allowed], math.inf) if allowed < len(ordered) else ordered[-1]
    )
    false_matches = sum(score >= threshold for score in impostor)
    misses = sum(score < threshold for score in genuine)
    return Calibration(
        threshold=threshold,
        target_fmr=target_fmr,
        fmr=false_matches / len(impostor),
        fnmr=misses / len(genuine),
        genuine_pairs=len(genuine),
        impostor_pairs=len(impostor),
        supported=len(impostor) * target_fmr >= 3,
    )
