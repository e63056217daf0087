"""A face identity's reference photo: the image enrolled, downscaled for the officer's screen.

The officer compares the traveller with the listed person's photo at the booth;
a photo of at most :data:`REFERENCE_SIDE` pixels a side is enough for that and
keeps the sealed copy small. The copy is a fresh JPEG: upright (EXIF
orientation applied), in RGB, without the source's metadata.

>>> from PIL import Image
>>> big = io.BytesIO()
>>> Image.new("RGB", (1200, 800), (120, 90, 60)).save(big, format="PNG")
>>> photo = reference_jpeg(big.getvalue())
>>> photo[:2] == b"\\xff\\xd8", Image.open(io.BytesIO(photo)).size
(True, (480, 320))
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from passerelle.biometrics.unreadable import UNREADABLE_ERRORS, why_unreadable
from passerelle.exc import InvalidInput

__all__ = ["REFERENCE_QUALITY", "REFERENCE_SIDE", "reference_jpeg"]

REFERENCE_SIDE = 480
"""The longest side of a reference photo, in pixels."""
REFERENCE_QUALITY = 85
"""JPEG quality of a reference photo."""
_MAX_PIXELS = 40_000_000


def reference_jpeg(image: bytes, *, field: str = "image") -> bytes:
    """``image`` (JPEG, PNG, ...) as a JPEG at most :data:`REFERENCE_SIDE` pixels a side."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            if opened.width * opened.height > _MAX_PIXELS:
                raise InvalidInput(field, f"is {opened.width}×{opened.height}: too large")
            upright = ImageOps.exif_transpose(opened).convert("RGB")
    except UNREADABLE_ERRORS as exc:
        raise InvalidInput(field, why_unreadable(exc)) from None
    upright.thumbnail((REFERENCE_SIDE, REFERENCE_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=REFERENCE_QUALITY, optimize=True)
    return out.getvalue()
