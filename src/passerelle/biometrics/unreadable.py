"""Why an image file could not be read, in words: never the decoder's message, which names
Python objects (``<_io.BytesIO object at 0x7f…>``) and means nothing to an officer."""

from __future__ import annotations

from PIL import Image, UnidentifiedImageError

from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = ["UNREADABLE_ERRORS", "why_unreadable"]

UNREADABLE_ERRORS: tuple[type[Exception], ...] = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    OSError,
    ValueError,
)
"""What opening and decoding an untrusted image may raise."""


def why_unreadable(error: Exception) -> Wording:
    """The reason ``InvalidInput`` gives for an image the decoder refused with ``error``
    (worded for the officer's page, ``i18n.wording``)."""
    if isinstance(error, UnidentifiedImageError):
        return worded(N_("is not an image this node reads (JPEG, PNG, WebP, ...)"))
    if isinstance(error, Image.DecompressionBombError):
        return worded(N_("is too large an image to decode"))
    return worded(N_("is a damaged or truncated image"))
