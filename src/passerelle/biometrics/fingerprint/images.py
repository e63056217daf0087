"""Fingerprint images as the extractor takes them: checked before any native code sees them.

MINDTCT is C code that trusts its input: an 8 × 8 pixel image crashes the
whole process (a stack overflow, not an exception). So every image is checked
here first: its format is recognised from its first bytes, its size read from
its header, and only PNG, JPEG, BMP and PNM (PGM/PPM) images between
``MIN_SIDE`` and ``MAX_SIDE`` pixels each way are let through. A numpy array
must be 2-D ``uint8`` greyscale (dark ridges on a light background, 500 ppi);
it is handed over as a PGM image.

>>> checked = check_image(np.full((400, 320), 255, dtype=np.uint8))
>>> checked.format, checked.width, checked.height
('pgm', 320, 400)
>>> check_image(b"")
Traceback (most recent call last):
passerelle.exc.InvalidInput: image: is empty
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = ["MAX_SIDE", "MIN_SIDE", "CheckedImage", "ImageInput", "check_image"]

ImageInput = bytes | bytearray | npt.NDArray[np.uint8]
"""Encoded image bytes (PNG, JPEG, BMP, PNM) or a 2-D uint8 greyscale array."""

MIN_SIDE = 120
"""Fewest pixels each way (6 mm at 500 ppi): smaller captures carry too few minutiae to compare."""
MAX_SIDE = 2048
"""Most pixels each way (10 cm at 500 ppi): a four-finger slap fits."""
_FIELD = "image"
_FORMATS = "PNG, JPEG, BMP or PNM"


@dataclass(frozen=True, slots=True)
class CheckedImage:
    """Image bytes whose format and size have been checked."""

    data: bytes
    format: str
    width: int
    height: int


def check_image(image: ImageInput) -> CheckedImage:
    """Check ``image`` and return it as bytes the extractor can decode.

    Raises ``InvalidInput("image", reason)`` when it is empty, of another
    format, not greyscale (arrays), too small or too large.
    """
    if isinstance(image, np.ndarray):
        return _from_array(image)
    if not isinstance(image, bytes | bytearray):
        raise InvalidInput(
            _FIELD, f"expected image bytes or a numpy array, got {type(image).__name__}"
        )
    data = bytes(image)
    if not data:
        raise InvalidInput(_FIELD, worded(N_("is empty")))
    fmt, size = _sniff(data)
    if size is None:
        raise InvalidInput(
            _FIELD, worded(N_("%(format)s header is damaged or truncated"), format=fmt.upper())
        )
    _check_size(*size)
    return CheckedImage(data, fmt, size[0], size[1])


def _from_array(array: npt.NDArray[np.generic]) -> CheckedImage:
    if array.ndim != 2:
        raise InvalidInput(
            _FIELD, f"array has {array.ndim} dimensions; give one grey channel (2-D)"
        )
    if array.dtype != np.uint8:
        raise InvalidInput(
            _FIELD, f"array is {array.dtype}; 8-bit grey levels (uint8) are expected"
        )
    height, width = (int(n) for n in array.shape)
    _check_size(width, height)
    header = b"P5\n%d %d\n255\n" % (width, height)
    return CheckedImage(header + np.ascontiguousarray(array).tobytes(), "pgm", width, height)


def _check_size(width: int, height: int) -> None:
    if min(width, height) < MIN_SIDE:
        raise InvalidInput(
            _FIELD,
            worded(
                N_("%(width)s × %(height)s pixels is too small; at least %(side)s each way"),
                width=width,
                height=height,
                side=MIN_SIDE,
            ),
        )
    if max(width, height) > MAX_SIDE:
        raise InvalidInput(
            _FIELD,
            worded(
                N_("%(width)s × %(height)s pixels is too large; at most %(side)s each way"),
                width=width,
                height=height,
                side=MAX_SIDE,
            ),
        )


def _sniff(data: bytes) -> tuple[str, tuple[int, int] | None]:
    """The format of ``data`` and its (width, height) from the header, if readable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) >= 24 and data[12:16] == b"IHDR":
            width, height = struct.unpack_from(">II", data, 16)
            return "png", (width, height)
        return "png", None
    if data.startswith(b"\xff\xd8"):
        return "jpeg", _jpeg_size(data)
    if data.startswith(b"BM"):
        if len(data) >= 26:
            width, height = struct.unpack_from("<ii", data, 18)
            return "bmp", (abs(width), abs(height))
        return "bmp", None
    if len(data) >= 2 and data[0:1] == b"P" and data[1:2] in b"2356":
        return "pnm", _pnm_size(data)
    raise InvalidInput(_FIELD, worded(N_("not a %(formats)s image"), formats=_FORMATS))


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG segments to the first start-of-frame marker."""
    offset = 2
    while offset + 9 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            offset += 2
            continue
        (length,) = struct.unpack_from(">H", data, offset + 2)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack_from(">HH", data, offset + 5)
            return width, height
        offset += 2 + length
    return None


def _pnm_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNM header (comments allowed)."""
    tokens: list[bytes] = []
    for line in data[2:512].split(b"\n"):
        tokens.extend(line.split(b"#", 1)[0].split())
        if len(tokens) >= 2:
            break
    if len(tokens) < 2 or not (tokens[0].isdigit() and tokens[1].isdigit()):
        return None
    return int(tokens[0]), int(tokens[1])
