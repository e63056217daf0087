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
from dataclasses import replace

from PIL import Image

from passerelle.biometrics.photo import DEFAULT_LIMITS, PhotoLimits, read_photo

__all__ = ["REFERENCE_QUALITY", "REFERENCE_SIDE", "reference_jpeg"]

REFERENCE_SIDE = 480
"""The longest side of a reference photo, in pixels."""
REFERENCE_QUALITY = 85
"""JPEG quality of a reference photo."""


def reference_jpeg(
    image: bytes, *, field: str = "image", limits: PhotoLimits = DEFAULT_LIMITS
) -> bytes:
    """``image`` (JPEG, PNG, ...) as a JPEG at most :data:`REFERENCE_SIDE` pixels a side;
    refused, naming ``field``, as ``biometrics.photo`` refuses (before decoding when it is
    over ``limits.max_pixels``)."""
    reduced = replace(limits, max_side=REFERENCE_SIDE)
    upright = Image.fromarray(read_photo(image, field=field, limits=reduced))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=REFERENCE_QUALITY, optimize=True)
    return out.getvalue()
