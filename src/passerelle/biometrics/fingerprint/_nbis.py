"""The nbis-py bindings behind typed protocols: the package ships no type information.

Only what Passerelle calls is described. The bindings are UniFFI-generated
ctypes code around a Rust crate that links NIST NBIS (MINDTCT, BOZORTH3) and
NFIQ 2; native calls release the GIL, but BOZORTH3 keeps its tables in C
globals and the crate serialises it behind one process-wide mutex.
"""

from __future__ import annotations

from typing import Protocol

import nbis

__all__ = [
    "NbisError",
    "NbisExtractor",
    "NbisMinutia",
    "NbisMinutiae",
    "is_bifurcation",
    "new_extractor",
]


class NbisMinutia(Protocol):
    """One MINDTCT minutia; ``angle`` is in degrees, clockwise from straight up."""

    def x(self) -> int: ...
    def y(self) -> int: ...
    def angle(self) -> float: ...
    def reliability(self) -> float: ...
    def kind(self) -> object: ...


class NbisQuality(Protocol):
    score: int


class NbisMinutiae(Protocol):
    """A minutiae set held on the Rust side."""

    def compare(self, other: NbisMinutiae) -> int: ...
    def get(self) -> list[NbisMinutia]: ...
    def quality(self) -> NbisQuality: ...


class NbisExtractor(Protocol):
    def extract_minutiae(self, image_bytes: bytes) -> NbisMinutiae: ...
    def extract_minutiae_from_image_file(self, file_path: str) -> NbisMinutiae: ...
    def load_iso_19794_2_2005(self, template_bytes: bytes) -> NbisMinutiae: ...


NbisError: type[Exception] = nbis.NbisError
_BIFURCATION = nbis.MinutiaKind.BIFURCATION


def is_bifurcation(minutia: NbisMinutia) -> bool:
    """True for a bifurcation, False for a ridge ending."""
    return bool(minutia.kind() == _BIFURCATION)


def new_extractor(*, assess_quality: bool) -> NbisExtractor:
    """An extractor for 500 ppi images: all minutiae kept, no SIVV check, NFIQ 2 if asked."""
    settings = nbis.NbisExtractorSettings(
        min_quality=0.0,
        get_center=False,
        check_fingerprint=False,
        compute_nfiq2=assess_quality,
        ppi=500.0,
    )
    extractor: NbisExtractor = nbis.new_nbis_extractor(settings)
    return extractor
