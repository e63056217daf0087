"""1:1 comparison with NIST BOZORTH3, and the decision at a calibrated threshold.

BOZORTH3 builds, for each print, a table of minutia pairs (distance and the
two directions relative to the line between them), finds the pairs of one
print compatible with pairs of the other, and walks them for the largest
cluster that agrees on one rotation and translation. The score is roughly the
number of compatible pairs in that cluster: not normalised, 0 for unrelated
prints, a few hundred for two good impressions of one finger.

What matters when calling BOZORTH3 through nbis-py (``bench/finger_match.py``):

- **Minutia order.** BOZORTH3 expects minutiae sorted by x (NBIS's own file
  reader sorts them): while building its pair table it stops scanning at the
  first minutia more than 125 pixels to the right. MINDTCT output comes in
  that order, but an ISO record fixes none (this module's writer, like many,
  stores the most reliable first), and the bindings pass a loaded record on
  as it is. Four mated pairs of synthetic prints scored 255, 276, 227 and 292
  in x order, 167, 161, 127, 130 in reliability order and 110, 83, 94, 73
  shuffled. So every template is loaded with its minutiae re-sorted by x, all
  with one reliability (the bindings' newer sources sort by reliability
  before matching; equal values keep this order).
- **Cost.** A comparison takes about 1.5 ms for different fingers and 20 ms
  (up to 110 ms) for two impressions of one finger, growing with how well
  they agree (score under 100: 0.4 ms; 100-200: 15 ms; over 200: 32 ms): the
  time is BOZORTH3's own matching (``bz_match_score`` and ``bz_match`` lead
  the profile), which follows every compatible pair of minutia pairs. The bindings add 8 µs per
  call, nothing to remove there; loading a template costs 70 µs (UniFFI
  copies its bytes one at a time in Python), so loaded templates are kept
  (``prepare``, and a cache of recent ones). BOZORTH3 keeps its tables in C
  globals and the bindings hold a process-wide lock around it: threads do not
  compare in parallel, processes do.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache

from passerelle.biometrics.fingerprint import _nbis
from passerelle.biometrics.fingerprint.iso import decode_record
from passerelle.biometrics.fingerprint.templates import FingerprintTemplate, require_comparable

__all__ = [
    "MATCH_THRESHOLD",
    "MAX_MINUTIAE",
    "PreparedTemplate",
    "Verification",
    "compare",
    "compare_prepared",
    "prepare",
    "verify",
]

MATCH_THRESHOLD = 48
"""BOZORTH3 score at or above which a 1:1 verification declares the same finger.

Chosen for a false match rate of at most 1e-3, on synthetic prints:
``bench/finger_match.py --fingers 120 --impressions 4 --no-search`` scores
every pair of 480 impressions of 120 fingers: 114,240 non-mated pairs (scores
median 10, 99th percentile 34, highest 63) and 720 mated ones (lowest 46,
5th percentile 89, median 215). At 48, 54 non-mated pairs match
(FMR 4.7e-4) and 1 mated pair is missed (FNMR 0.14 %). The lowest threshold
meeting 1e-3 there was 46 (FMR 7.9e-4); 48 leaves room for sampling error
(on the default 40-finger run, a subset, 46 gives 1.2e-3 and 49 is needed).
Synthetic prints are cleaner than live captures: recalibrate on operational
data before relying on these rates. For 1:N search, where every
short-listed print is a chance of a false match, see
``gallery.SEARCH_THRESHOLD``.
"""
MAX_MINUTIAE = 150
"""The most reliable minutiae BOZORTH3 is given per print (NBIS's default)."""
_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of a 1:1 comparison: the score and the threshold it was held to."""

    score: int
    threshold: int

    @property
    def is_match(self) -> bool:
        """True if the score reaches the threshold."""
        return self.score >= self.threshold


class PreparedTemplate:
    """A template loaded into BOZORTH3's input form, ready for many comparisons."""

    __slots__ = ("_native", "template")

    def __init__(self, template: FingerprintTemplate, native: _nbis.NbisMinutiae) -> None:
        self.template = template
        self._native = native


def prepare(template: FingerprintTemplate) -> PreparedTemplate:
    """Load ``template`` for comparison once (refusing other extractors' templates)."""
    require_comparable(template)
    return PreparedTemplate(template, _load(template.iso))


def compare_prepared(probe: PreparedTemplate, reference: PreparedTemplate) -> int:
    """BOZORTH3 score of two prepared templates."""
    return int(probe._native.compare(reference._native))


def compare(probe: FingerprintTemplate, reference: FingerprintTemplate) -> int:
    """BOZORTH3 score of two templates; both must come from this node's extractor.

    Raises ``InvalidInput("probe.extractor" or "reference.extractor", reason)``
    for a template made by another extractor.
    """
    require_comparable(probe, "probe")
    require_comparable(reference, "reference")
    return int(_load(probe.iso).compare(_load(reference.iso)))


def verify(
    probe: FingerprintTemplate,
    reference: FingerprintTemplate,
    *,
    threshold: int = MATCH_THRESHOLD,
) -> Verification:
    """Compare and decide: is ``probe`` the finger enrolled as ``reference``?

    >>> from passerelle.biometrics.fingerprint.extract import extract_template
    >>> from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
    >>> finger = generate_master(5)
    >>> first, second = (extract_template(render_impression(finger, i)) for i in (0, 1))
    >>> verify(first, second).is_match
    True
    """
    return Verification(compare(probe, reference), threshold)


@lru_cache(maxsize=_CACHE_SIZE)
def _load(iso: bytes) -> _nbis.NbisMinutiae:
    """Load an ISO record into the bindings, minutiae in the order BOZORTH3 expects."""
    return _engine().load_iso_19794_2_2005(_bozorth_layout(iso))


@lru_cache(maxsize=1)
def _engine() -> _nbis.NbisExtractor:
    return _nbis.new_extractor(assess_quality=False)


def _bozorth_layout(iso: bytes) -> bytes:
    """The bindings' own template layout, minutiae sorted for BOZORTH3.

    nbis-py reads (and writes) a 26-byte header that is not the ISO one (no
    resolution, no view count), and its minutia angle is MINDTCT's (clockwise
    from straight up) where ISO's is counterclockwise from the x axis: ISO
    angle ``a`` is written as ``64 - a`` (64 = a quarter turn). The best
    ``MAX_MINUTIAE`` minutiae by quality are kept, then sorted by x and by y
    counted from the bottom (NBIS's order), and all given the same quality so
    that the bindings' sort by reliability keeps that order.
    """
    record = decode_record(iso)
    best = sorted(record.minutiae, key=lambda m: -m.quality)[:MAX_MINUTIAE]
    ordered = sorted(best, key=lambda m: (m.x, record.height - m.y))
    body = b"".join(
        struct.pack(">HHBB", int(m.kind) << 14 | m.x, m.y, (64 - m.angle) % 256, 63)
        for m in ordered
    )
    header = (
        b"FMR\x00 20\x00"
        + struct.pack(">I", 26 + len(body))
        + struct.pack(">HHH", 0, record.width, record.height)
        + bytes((0, 0, 0, 0, 0, 0, 0, len(ordered)))
    )
    return header + body
