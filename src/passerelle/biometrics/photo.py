"""Photos as the face model takes them: size read from the header first, pixels decoded
within a budget, then reduced to what the model needs.

A photo's cost is set by its pixels, not its bytes: a 6000×6000 PNG of one
colour is 118 KB to send and 108 MB to decode, and dlib's detector, which
works on an image twice the size, takes seconds of CPU over it. So:

1. :func:`photo_size` reads only the header (``Image.open`` is lazy: format,
   size, mode) and refuses a photo over :attr:`PhotoLimits.max_pixels` with
   its size in words, before one pixel is decoded. Pillow's own guard
   against decompression bombs (``Image.MAX_IMAGE_PIXELS``: a warning from
   89 MP, an error from 179 MP) is not relied upon: the budget here is far
   below it; a photo Pillow refuses on its own is refused the same way, and
   :func:`refuse_decompression_bombs` (called by the server, and in every
   face worker) makes Pillow's warning an error, never a line in a log.
2. :func:`read_photo` decodes within that budget and reduces the photo to
   :attr:`PhotoLimits.max_side` pixels on its longest side: a JPEG is decoded
   at 1/2, 1/4 or 1/8 of its size straight from the file (``draft``), then
   resampled; a smaller photo is left as it is. A face framed as a document
   or booth photo frames it keeps well over the 60 px between the eyes the
   capture asks for (``biometrics.face``); a face that only fills a corner of
   a large frame is then refused as too small, rather than compared on a
   chip upsampled from a few pixels.

Only the formats a camera or a passport chip gives are opened (JPEG, JPEG 2000,
PNG, WebP): not TIFF, EPS (which Pillow hands to Ghostscript) and the rest.

>>> big = io.BytesIO()
>>> Image.new("RGB", (6000, 6000)).save(big, format="PNG")
>>> try:
...     photo_size(big.getvalue(), field="live_photo", limits=PhotoLimits())
... except InvalidInput as refused:
...     print(refused.field, "|", refused.reason.partition(":")[0])
live_photo | is 6000×6000 pixels (36.0 MP)
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps

from passerelle.biometrics.unreadable import UNREADABLE_ERRORS, why_unreadable
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_MAX_SIDE",
    "READABLE_FORMATS",
    "PhotoLimits",
    "PhotoTooLarge",
    "photo_size",
    "read_photo",
    "refuse_decompression_bombs",
    "refuse_oversized",
]

DEFAULT_MAX_PIXELS = 24_000_000
"""Largest photo decoded: a 24 MP camera's full frame (6000×4000)."""
DEFAULT_MAX_SIDE = 1024
"""Longest side the face model works on: a booth or document photo framed as ICAO
9303 asks keeps its face well above 60 px between the eyes at this size."""
READABLE_FORMATS = ("JPEG", "JPEG2000", "PNG", "WEBP")
"""The image formats opened: what cameras and passport chips (ICAO 9303 DG2) give."""


@dataclass(frozen=True, slots=True)
class PhotoLimits:
    """How large a photo may be (``max_pixels``) and the longest side it is reduced to
    (``max_side``) before the face model sees it."""

    max_pixels: int = DEFAULT_MAX_PIXELS
    max_side: int = DEFAULT_MAX_SIDE

    def __post_init__(self) -> None:
        if self.max_pixels < 10_000:
            raise InvalidInput("max_pixels", "must be 10,000 or more")
        if self.max_side < 64:
            raise InvalidInput("max_side", "must be 64 or more")


DEFAULT_LIMITS = PhotoLimits()
"""The limits when none are given (the node's come from its settings)."""


class PhotoTooLarge(InvalidInput):
    """A photo over the pixel budget (or a decompression bomb), refused from its header."""


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f} MP"


def _open(data: bytes, field: str, limits: PhotoLimits) -> Image.Image:
    """The photo, opened (header read, nothing decoded) and within the pixel budget."""
    if not data:
        raise InvalidInput(field, worded(N_("is empty")))
    try:
        image = Image.open(io.BytesIO(data), formats=READABLE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoTooLarge(
            field,
            f"claims more than {_megapixels(_bomb_limit())}, far more than any photo "
            f"(a decompression bomb?): refused before decoding; send a photo of at most "
            f"{_megapixels(limits.max_pixels)}",
        ) from None
    except UNREADABLE_ERRORS as exc:
        raise InvalidInput(field, why_unreadable(exc)) from None
    width, height = image.size
    if width * height > limits.max_pixels:
        image.close()
        raise PhotoTooLarge(
            field,
            f"is {width}×{height} pixels ({_megapixels(width * height)}): more than the "
            f"{_megapixels(limits.max_pixels)} this node decodes; send a photo of at most "
            f"{_megapixels(limits.max_pixels)}",
        )
    return image


def _bomb_limit() -> int:
    return Image.MAX_IMAGE_PIXELS or 89_478_485


def refuse_decompression_bombs() -> None:
    """Make Pillow's decompression-bomb warning (from ``Image.MAX_IMAGE_PIXELS``, 89 MP) an
    error in this process, so that :func:`photo_size` refuses such a photo from its header
    with the others (the node's server calls this when it starts; idempotent)."""
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def photo_size(data: bytes, *, field: str, limits: PhotoLimits) -> tuple[int, int]:
    """Width and height of a photo from its header alone; ``InvalidInput`` naming ``field``
    when it is not a photo this node reads or is over ``limits.max_pixels``."""
    with _open(data, field, limits) as image:
        return image.size


def refuse_oversized(data: bytes, *, field: str, limits: PhotoLimits) -> None:
    """Refuse (:class:`PhotoTooLarge`, naming ``field``) a photo whose header says it is over
    ``limits.max_pixels``: at the door, before any work. A photo that cannot be read at all
    passes: the face check says why it could not be used."""
    try:
        photo_size(data, field=field, limits=limits)
    except PhotoTooLarge:
        raise
    except InvalidInput:
        return


def read_photo(data: bytes, *, field: str, limits: PhotoLimits) -> npt.NDArray[np.uint8]:
    """RGB pixels of a photo, upright (EXIF orientation), its longest side reduced to
    ``limits.max_side``; refused as :func:`photo_size` refuses, before decoding."""
    try:
        with _open(data, field, limits) as image:
            if max(image.size) > limits.max_side:
                # JPEG: decoded at 1/2..1/8 scale straight from the file (draft), then resampled
                image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(image).convert("RGB")
            return np.asarray(upright, dtype=np.uint8)
    except UNREADABLE_ERRORS as exc:
        raise InvalidInput(field, why_unreadable(exc)) from None
