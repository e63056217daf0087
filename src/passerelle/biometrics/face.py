"""Faces: capture quality first, then dlib's ResNet descriptor, then 1:1 verification.

The models ship inside PyPI packages and load from disk (nothing downloads):
dlib's HOG frontal face detector, its 5-point landmark model (the 68-point
model's training data forbids commercial use) and its ResNet face descriptor,
from ``face-recognition-models``.

Capture refuses, naming the reason, any image a comparison could not stand on:
no face; two faces (a second detection the detector is confident of and that is
at least half the size of the first: the HOG detector also reports smaller,
low-confidence "faces" in textures, which are ignored); a face too small
(ISO/IEC 19794-5 asks for 60 pixels between the eye centres); blur (variance of
the Laplacian of the face region) and bad exposure (mean brightness, clipped
pixels).
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from passerelle.biometrics.photo import DEFAULT_LIMITS, PhotoLimits, read_photo
from passerelle.biometrics.templates import FaceTemplate
from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "FACE_MODEL",
    "FACE_MODEL_VERSION",
    "MATCH_THRESHOLD",
    "FaceCapture",
    "FaceQuality",
    "FaceVerdict",
    "capture_face",
    "read_image",
    "verify_faces",
]

FACE_MODEL = "dlib-resnet-v1"
FACE_MODEL_VERSION = f"dlib{version('dlib-bin')}"
"""The dlib release computing descriptors: templates of another release are not compared."""
MIN_EYE_DISTANCE_PX = 60
"""ISO/IEC 19794-5 (token face image): at least 60 pixels between the eye centres."""
MIN_SHARPNESS = 20.0
"""Variance of the Laplacian of the grey face region below which it is too blurred."""
MATCH_THRESHOLD = 0.93
"""Cosine similarity at or above which two faces are declared the same person.

dlib's descriptor is trained so that a Euclidean distance of 0.6 between raw
descriptors separates identities (99.38 % on LFW); raw descriptors here have a
norm near 1.46, so 0.6 raw is about 0.41 between normalised ones, a cosine
similarity of 0.916. This node sets the threshold slightly stricter (0.93) to
favour a low false match rate; bench/face_embed.py reports the distances
measured on the images this machine has (see README: what that can and cannot
claim).
"""
_SECOND_FACE_MIN_CONFIDENCE = 0.5
_SECOND_FACE_MIN_AREA_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class FaceQuality:
    """The capture measures a refusal is based on."""

    eye_distance_px: float
    sharpness: float
    brightness: float
    """Mean grey level of the face region, 0-255."""
    clipped: float
    """Share of face-region pixels at 0 or 255."""
    detections: int
    """Face detections in the image (extra small or unsure ones included)."""


@dataclass(frozen=True, slots=True)
class FaceCapture:
    """One usable face: its template and the measures that admitted it."""

    template: FaceTemplate
    quality: FaceQuality
    box: tuple[int, int, int, int]
    """left, top, right, bottom in image pixels."""


@dataclass(frozen=True, slots=True)
class FaceVerdict:
    """A 1:1 comparison: the score in [0, 1] and the decision at ``MATCH_THRESHOLD``."""

    match: bool
    score: float
    faces: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {"match": self.match, "score": round(self.score, 4), "faces": list(self.faces)}


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any, str]:
    import dlib  # heavy: loaded on first use

    detector = dlib.get_frontal_face_detector()
    landmarks = dlib.shape_predictor(str(_model_file("shape_predictor_5_face_landmarks.dat")))
    descriptor = dlib.face_recognition_model_v1(
        str(_model_file("dlib_face_recognition_resnet_model_v1.dat"))
    )
    return detector, landmarks, descriptor, FACE_MODEL_VERSION


def _model_file(name: str) -> Path:
    """A weights file of ``face-recognition-models``, found without importing the package
    (its ``__init__`` needs ``pkg_resources``, which recent setuptools no longer ship)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError("face-recognition-models is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / name
    if not path.is_file():
        raise ConfigurationError(f"face model {path} is missing")
    return path


def read_image(
    data: bytes, *, field: str = "image", limits: PhotoLimits = DEFAULT_LIMITS
) -> npt.NDArray[np.uint8]:
    """RGB pixels of an image file's bytes (JPEG, PNG, ...), turned upright per its EXIF,
    within the pixel budget and reduced to the side the model needs (``biometrics.photo``)."""
    return read_photo(data, field=field, limits=limits)


def capture_face(pixels: npt.NDArray[np.uint8], *, field: str = "image") -> FaceCapture:
    """The one usable face in ``pixels`` (RGB), or ``InvalidInput`` naming what is wrong."""
    detector, landmarks, descriptor, model_version = _models()
    boxes, confidences, _ = detector.run(pixels, 1, 0.0)
    if not boxes:
        raise InvalidInput(field, worded(N_("no face found")))
    ranked = sorted(
        zip(boxes, confidences, strict=True), key=lambda pair: pair[0].area(), reverse=True
    )
    box, _ = ranked[0]
    for other, confidence in ranked[1:]:
        if (
            confidence >= _SECOND_FACE_MIN_CONFIDENCE
            and other.area() >= _SECOND_FACE_MIN_AREA_SHARE * box.area()
        ):
            raise InvalidInput(field, worded(N_("two faces: the photo must show one person")))
    shape = landmarks(pixels, box)
    points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
    eye_distance = float(np.linalg.norm(points[0:2].mean(axis=0) - points[2:4].mean(axis=0)))
    if eye_distance < MIN_EYE_DISTANCE_PX:
        raise InvalidInput(
            field,
            worded(
                N_("face too small: %(eyes)s px between eyes, need %(need)s"),
                eyes=f"{eye_distance:.0f}",
                need=MIN_EYE_DISTANCE_PX,
            ),
        )
    region = _face_region(pixels, box)
    sharpness = _sharpness(region)
    brightness = float(region.mean())
    clipped = float(np.mean((region <= 2) | (region >= 253)))
    if sharpness < MIN_SHARPNESS:
        raise InvalidInput(
            field,
            worded(
                N_("face too blurred (sharpness %(sharpness)s, need 20)"),
                sharpness=f"{sharpness:.0f}",
            ),
        )
    if brightness < 40 or brightness > 220 or clipped > 0.25:
        raise InvalidInput(
            field,
            worded(
                N_(
                    "face badly exposed (mean brightness %(brightness)s of 255, %(clipped)s of "
                    "pixels clipped)"
                ),
                brightness=f"{brightness:.0f}",
                clipped=f"{clipped:.0%}",
            ),
        )
    vector = np.asarray(descriptor.compute_face_descriptor(pixels, shape), dtype=np.float32)
    quality = FaceQuality(eye_distance, sharpness, brightness, clipped, len(boxes))
    bounds = (int(box.left()), int(box.top()), int(box.right()), int(box.bottom()))
    return FaceCapture(FaceTemplate(FACE_MODEL, model_version, vector), quality, bounds)


def verify_faces(
    first: FaceCapture, second: FaceCapture, *, threshold: float = MATCH_THRESHOLD
) -> FaceVerdict:
    """Same person or not, at ``threshold`` (the node's calibrated one, or ``MATCH_THRESHOLD``)."""
    similarity = first.template.similarity(second.template)
    score = max(0.0, min(1.0, similarity))
    faces = (first.quality.detections, second.quality.detections)
    return FaceVerdict(score >= threshold, score, faces)


def read_image_file(path: Path, *, field: str = "image") -> npt.NDArray[np.uint8]:
    """:func:`read_image` of a file, with a clear error when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(field, f"cannot read {path}: {exc.strerror}") from None
    return read_image(data, field=field)


def _face_region(pixels: npt.NDArray[np.uint8], box: Any) -> npt.NDArray[np.float64]:
    height, width = pixels.shape[:2]
    top, bottom = max(0, box.top()), min(height, box.bottom())
    left, right = max(0, box.left()), min(width, box.right())
    grey: npt.NDArray[np.float64] = pixels[top:bottom, left:right].astype(np.float64) @ np.array(
        [0.299, 0.587, 0.114]
    )
    return grey


def _sharpness(grey: npt.NDArray[np.float64]) -> float:
    if min(grey.shape) < 3:
        return 0.0
    laplacian = (
        -4 * grey[1:-1, 1:-1] + grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:]
    )
    value = float(laplacian.var())
    return value if math.isfinite(value) else 0.0
