"""Live fingerprint captures as a border check receives them: finger position and image, bounded.

A booth sends one or more 500 ppi images (PNG, JPEG, BMP or PNM), each with
its ISO/ANSI finger position (0 unknown, 1 right thumb ... 10 left little).
Before any worker or native code sees them they are held to the node's
:class:`FingerCaptureLimits`: how many fingers, how many bytes each
(:class:`FingerImageTooLarge`, answered 413 by the API) and, from the image's
own header, its format and size (``images.check_image``: 120 to 2048 pixels
each way), every refusal naming the field (``fingerprints[1].image``).

>>> LiveFinger(2, b"...").finger
'right index finger'
>>> finger_name(11)
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: position: must be an ISO finger position, 0 (unknown) to 10
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from passerelle.biometrics.fingerprint.images import check_image
from passerelle.exc import InvalidInput
from passerelle.i18n import N_

__all__ = [
    "DEFAULT_FINGER_LIMITS",
    "FINGER_NAMES",
    "FingerCaptureLimits",
    "FingerImageTooLarge",
    "LiveFinger",
    "check_live_fingers",
    "finger_name",
]

FINGER_NAMES = (
    N_("finger (position unknown)"),
    N_("right thumb"),
    N_("right index finger"),
    N_("right middle finger"),
    N_("right ring finger"),
    N_("right little finger"),
    N_("left thumb"),
    N_("left index finger"),
    N_("left middle finger"),
    N_("left ring finger"),
    N_("left little finger"),
)
"""ISO/IEC 19794-2 (and ANSI/NIST) finger positions 0 to 10, in words (marked for the
catalogues: the booth's form and the fingerprint findings write them in the reader's
language)."""


def finger_name(position: int) -> str:
    """The finger at an ISO position, in words; ``InvalidInput`` outside 0-10."""
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 10:
        raise InvalidInput("position", "must be an ISO finger position, 0 (unknown) to 10")
    return FINGER_NAMES[position]


class FingerImageTooLarge(InvalidInput):
    """A fingerprint image over the node's byte budget (the API answers 413)."""


@dataclass(frozen=True, slots=True)
class FingerCaptureLimits:
    """How much fingerprint imagery one border check takes."""

    max_fingers: int = 10
    max_bytes: int = 2 * 1024 * 1024
    """Largest image, encoded (``PASSERELLE_FINGER_MAX_BYTES``)."""

    def __post_init__(self) -> None:
        if not 1 <= self.max_fingers <= 10:
            raise InvalidInput("max_fingers", "must be 1 to 10")
        if self.max_bytes < 1024:
            raise InvalidInput("max_bytes", "must be 1024 or more")


DEFAULT_FINGER_LIMITS = FingerCaptureLimits()


@dataclass(frozen=True, slots=True)
class LiveFinger:
    """One finger captured at the booth: its ISO position and its image's bytes."""

    position: int
    image: bytes

    @property
    def finger(self) -> str:
        """The finger in words (``right index finger``)."""
        return finger_name(self.position)


def check_live_fingers(
    fingers: Sequence[LiveFinger],
    *,
    field: str = "fingerprints",
    limits: FingerCaptureLimits = DEFAULT_FINGER_LIMITS,
) -> None:
    """Refuse captures over ``limits`` or not fit for the extractor, naming the field.

    Raises :class:`FingerImageTooLarge` for an image over the byte budget, and
    ``InvalidInput`` for too many fingers, a position out of range or given twice,
    an empty image, or one whose header says another format or size.
    """
    if len(fingers) > limits.max_fingers:
        raise InvalidInput(field, f"holds {len(fingers)} fingers; at most {limits.max_fingers}")
    seen: set[int] = set()
    for at, live in enumerate(fingers):
        name = f"{field}[{at}]"
        try:
            finger_name(live.position)
        except InvalidInput as refused:
            raise InvalidInput(f"{name}.position", refused.reason) from None
        if live.position and live.position in seen:
            raise InvalidInput(f"{name}.position", f"finger {live.position} is given twice")
        seen.add(live.position)
        if len(live.image) > limits.max_bytes:
            raise FingerImageTooLarge(
                f"{name}.image",
                f"is {len(live.image)} bytes; at most {limits.max_bytes} are taken",
            )
        try:
            check_image(live.image)
        except InvalidInput as refused:
            raise InvalidInput(f"{name}.image", refused.reason) from None
