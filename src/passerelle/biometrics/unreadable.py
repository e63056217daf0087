"""Why an image file could not be read, in words: never the decoder's message, which names
Python objects (``<_io.BytesIO object at 0x7f…>``) and means nothing to an officer."""

from __future__ import annotations

from PIL import Image, UnidentifiedImageError

__all__ = ["UNREADABLE_ERRORS", "why_unreadable"]

UNREADABLE_ERRORS: tuple[type[Exception], ...] = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    OSError,
    ValueError,
)
"""What opening and decoding an untrusted image may raise."""


def why_unreadable(error: Exception) -> str:
    """The reason ``InvalidInput`` gives for an image the decoder refused with ``error``."""
    if isinstance(error, UnidentifiedImageError):
        return "is not an image this node reads (JPEG, PNG, WebP, ...)"
    if isinstance(error, Image.DecompressionBombError):
        return "is too large an image to decode"
    return "is a damaged or truncated image"
