"""Minutiae extraction (NIST MINDTCT) and image quality (NFIQ 2), through nbis-py.

MINDTCT finds ridge endings and bifurcations in a 500 ppi greyscale image and
gives each a reliability; NFIQ 2 (ISO/IEC 29794-4) scores the whole image
0-100 for how well it will match. The minutiae are written as an ISO/IEC
19794-2:2005 record (see ``iso``) and tagged ``nbis-mindtct`` with the
bindings' release.

Two things about the bindings are worked around here:

- **Copying the image.** The UniFFI-generated Python code copies ``bytes``
  arguments into Rust one byte at a time in a Python loop: 16-20 ms for a
  400 × 320 image, as long as MINDTCT itself. The image is therefore written
  to a RAM-backed file in ``/dev/shm`` (created private, deleted at once) and
  passed by path; where there is no ``/dev/shm`` the slow copy is used.
- **Crashes on bad input.** Images are checked first (``images``).

An image that yields fewer than ``MIN_MINUTIAE`` minutiae is refused: BOZORTH3
scores every such comparison 0.
"""

from __future__ import annotations

import os
import tempfile
import threading
from functools import cache
from pathlib import Path

from passerelle.biometrics.fingerprint import _nbis
from passerelle.biometrics.fingerprint.images import CheckedImage, ImageInput, check_image
from passerelle.biometrics.fingerprint.iso import (
    Minutia,
    MinutiaeRecord,
    MinutiaKind,
    encode_record,
)
from passerelle.biometrics.fingerprint.templates import FingerprintTemplate
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = ["MIN_MINUTIAE", "extract_template"]

MIN_MINUTIAE = 10
"""BOZORTH3 will not score a set with fewer minutiae (its MIN_COMPUTABLE_BOZORTH_MINUTIAE)."""
_SCRATCH = Path("/dev/shm")
_LOCK = threading.Lock()
"""MINDTCT and NFIQ 2 are not documented as thread-safe: one extraction at a time."""
_FIELD = "image"


@cache
def _engine(assess_quality: bool) -> _nbis.NbisExtractor:
    return _nbis.new_extractor(assess_quality=assess_quality)


def extract_template(
    image: ImageInput, *, assess_quality: bool = True, finger_position: int = 0
) -> FingerprintTemplate:
    """Extract the minutiae of a 500 ppi fingerprint image into a template.

    ``image`` is PNG, JPEG, BMP or PNM bytes, or a 2-D uint8 array. With
    ``assess_quality`` the NFIQ 2 score is computed (about 80 ms more) and
    written as the record's finger quality; where NFIQ 2 cannot assess the
    image (it needs about 140 pixels each way) the quality is None.
    ``finger_position`` is the ISO code (0 unknown, 1-10).

    Raises ``InvalidInput("image", reason)`` for an unreadable, empty, too
    small or too large image, or one with too few minutiae to compare.

    >>> from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
    >>> template = extract_template(render_impression(generate_master(3), 0))
    >>> template.extractor, template.minutiae_count > 30
    ('nbis-mindtct', True)
    """
    checked = check_image(image)
    if not 0 <= finger_position <= 10:
        raise InvalidInput("finger_position", "must be 0 (unknown) to 10")
    quality: int | None = None
    with _LOCK:
        try:
            found = _run(_engine(assess_quality), checked)
            if assess_quality:
                quality = int(found.quality().score)
        except _nbis.NbisError as exc:
            if type(exc).__name__ != "Nfiq2ComputeFailed":
                raise _translate(exc) from exc
            found = _run(_engine(False), checked)
        minutiae = tuple(_to_iso_minutia(m) for m in found.get())
    if not minutiae:
        raise InvalidInput(
            _FIELD, worded(N_("no minutiae found: blank, too faint or not a fingerprint"))
        )
    if len(minutiae) < MIN_MINUTIAE:
        raise InvalidInput(
            _FIELD,
            worded(
                N_("only %(found)s minutiae found; %(needed)s are needed to compare"),
                found=len(minutiae),
                needed=MIN_MINUTIAE,
            ),
        )
    # keep the most reliable 255, the most a record holds
    kept = sorted(minutiae, key=lambda m: -m.quality)[:255]
    record = MinutiaeRecord(
        width=checked.width,
        height=checked.height,
        minutiae=tuple(kept),
        finger_quality=quality or 0,
        finger_position=finger_position,
    )
    return FingerprintTemplate(encode_record(record), len(kept), quality)


def _run(engine: _nbis.NbisExtractor, checked: CheckedImage) -> _nbis.NbisMinutiae:
    """Run MINDTCT, passing the image by path through RAM when that is possible."""
    if not (_SCRATCH.is_dir() and os.access(_SCRATCH, os.W_OK)):
        return engine.extract_minutiae(checked.data)
    fd, path = tempfile.mkstemp(dir=_SCRATCH, prefix="passerelle-finger-")
    try:
        with os.fdopen(fd, "wb") as scratch:
            scratch.write(checked.data)
        return engine.extract_minutiae_from_image_file(path)
    finally:
        os.unlink(path)


def _translate(exc: Exception) -> InvalidInput:
    name = type(exc).__name__
    if name == "ImageLoadError":
        return InvalidInput(
            _FIELD, worded(N_("could not be decoded (damaged or truncated image data)"))
        )
    return InvalidInput(_FIELD, worded(N_("minutiae extraction failed (%(error)s)"), error=name))


def _to_iso_minutia(m: _nbis.NbisMinutia) -> Minutia:
    """MINDTCT (degrees clockwise from up) to ISO (1/256 turn counterclockwise from x)."""
    angle = round(((90.0 - m.angle()) % 360.0) / 1.40625) % 256
    kind = MinutiaKind.BIFURCATION if _nbis.is_bifurcation(m) else MinutiaKind.RIDGE_ENDING
    quality = min(100, max(0, round(m.reliability() * 100)))
    return Minutia(int(m.x()), int(m.y()), angle, kind, quality)
