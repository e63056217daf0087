"""The ports a border check uses for names, faces and fingerprints, and their default
implementations.

The inspector is given these (tests put in a failing one); the defaults are
the node's own: ``names.ScreeningIndex`` for names, dlib for faces
(``biometrics.face``; the node's server runs it in worker processes that a
late capture is killed in, ``PooledFaceEngine``), the store-backed
``biometrics.enrolment.FaceGalleries`` for 1:N search; NBIS MINDTCT for
fingerprints' minutiae (in the same workers on a server, ``PooledFingerEngine``)
and ``biometrics.enrolment.FingerprintGalleries`` for their 1:N search.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future
from typing import Protocol

from passerelle.biometrics.face import (
    MATCH_THRESHOLD,
    FaceCapture,
    FaceVerdict,
    capture_face,
    read_image,
    verify_faces,
)
from passerelle.biometrics.fingerprint import (
    FingerprintCandidate,
    FingerprintTemplate,
    extract_template,
)
from passerelle.biometrics.gallery import GalleryHit
from passerelle.biometrics.workers import FaceWorkers
from passerelle.exc import InvalidInput
from passerelle.names import NameMatch, NameQuery

__all__ = [
    "DlibFaceEngine",
    "FaceEngine",
    "FaceSearch",
    "FingerEngine",
    "FingerSearch",
    "LocalFingerEngine",
    "NameScreener",
    "PooledFaceEngine",
    "PooledFingerEngine",
]


class NameScreener(Protocol):
    """Watchlist name screening (``passerelle.names.ScreeningIndex``)."""

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        """The persons ``query`` may be, best first: at most ``top``, scores ≥ ``threshold``."""
        ...


class FaceEngine(Protocol):
    """Face capture from an image file's bytes, and 1:1 verification."""

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        """The one usable face, or ``InvalidInput(field, reason)`` saying why there is none."""
        ...

    def verify(self, first: FaceCapture, second: FaceCapture) -> FaceVerdict:
        """Same person or not, at the node's threshold."""
        ...


class FaceSearch(Protocol):
    """1:N search in named galleries (``passerelle.biometrics.enrolment.FaceGalleries``)."""

    def search(self, gallery: str, capture: FaceCapture, *, top: int = 5) -> list[GalleryHit]:
        """The identities whose faces are nearest the capture, best first."""
        ...


class DlibFaceEngine:
    """dlib's detector and ResNet descriptor (``biometrics.face``) at a given threshold.

    Captures are serialised: the dlib network object is shared and keeps its
    working buffers in itself, so two threads must not run it at once.
    """

    def __init__(self, *, threshold: float = MATCH_THRESHOLD) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        pixels = read_image(image, field=field)
        with self._lock:
            return capture_face(pixels, field=field)

    def verify(self, first: FaceCapture, second: FaceCapture) -> FaceVerdict:
        return verify_faces(first, second, threshold=self.threshold)


class PooledFaceEngine:
    """dlib in the node's face worker processes (``biometrics.workers``), at a given threshold.

    A photo over the pixel budget is refused from its header before a worker is
    taken; a capture past its deadline has its worker killed; no free worker in
    time refuses at once (``FaceWorkRefused``: the face check then refers with the
    reason). The same photo asked for again while its capture runs (the face check
    and the partners' face question of one inspection both capture the live photo)
    waits for that capture instead of taking a second worker. Verification is a dot
    product: it stays in the calling thread.
    """

    def __init__(self, workers: FaceWorkers, *, threshold: float = MATCH_THRESHOLD) -> None:
        self.workers = workers
        self.threshold = threshold
        self._running: dict[tuple[bytes, str], Future[FaceCapture]] = {}
        self._lock = threading.Lock()

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        key = (hashlib.sha256(image).digest(), field)
        with self._lock:
            running = self._running.get(key)
            if running is None:
                mine: Future[FaceCapture] = Future()
                self._running[key] = mine
        if running is not None:
            return running.result()  # the same photo's capture, or its error
        try:
            capture = self.workers.capture(image, field=field)
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        else:
            mine.set_result(capture)
            return capture
        finally:
            with self._lock:
                del self._running[key]

    def verify(self, first: FaceCapture, second: FaceCapture) -> FaceVerdict:
        return verify_faces(first, second, threshold=self.threshold)


class FingerEngine(Protocol):
    """Minutiae extraction from a fingerprint image's bytes."""

    def extract(self, image: bytes, *, field: str, position: int) -> FingerprintTemplate:
        """The finger's template, or ``InvalidInput(field, reason)`` saying why there is none."""
        ...


class FingerSearch(Protocol):
    """1:N search in named fingerprint galleries (``biometrics.enrolment.FingerprintGalleries``)."""

    @property
    def threshold(self) -> int:
        """The BOZORTH3 score at or above which a search reports a match."""
        ...

    def search(
        self, gallery: str, probe: FingerprintTemplate, *, top: int = 5
    ) -> list[FingerprintCandidate]:
        """The enrolled fingers nearest the probe, best first."""
        ...


class LocalFingerEngine:
    """NBIS MINDTCT in the calling thread (tools and tests; one extraction at a time)."""

    def extract(self, image: bytes, *, field: str, position: int) -> FingerprintTemplate:
        try:
            return extract_template(image, finger_position=position)
        except InvalidInput as refused:
            raise refused.named(field) from None


class PooledFingerEngine:
    """NBIS MINDTCT in the node's worker processes (``biometrics.workers``): an extraction
    past its deadline has its worker killed; no free worker in time refuses at once
    (``FaceWorkRefused``: the fingerprint check then refers with the reason)."""

    def __init__(self, workers: FaceWorkers) -> None:
        self.workers = workers

    def extract(self, image: bytes, *, field: str, position: int) -> FingerprintTemplate:
        return self.workers.extract_finger(image, field=field, position=position)
