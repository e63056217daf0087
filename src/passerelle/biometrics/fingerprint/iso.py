"""ISO/IEC 19794-2:2005 finger minutiae records: the bytes one state sends another.

One record, one finger view, big-endian::

    record header, 24 bytes
      0  "FMR\\0"            format identifier
      4  " 20\\0"            version (2005 edition)
      8  uint32             length of the whole record, in bytes
      12 uint16             capture equipment: 4 bits certification, 12 bits device type
      14 uint16, uint16     image width and height, in pixels
      18 uint16, uint16     horizontal and vertical resolution, pixels per centimetre
      22 uint8              number of finger views (1 here)
      23 uint8              reserved, 0
    finger view header, 4 bytes
      finger position (0 unknown, 1-10), view number << 4 | impression type,
      finger quality (0-100), number of minutiae
    each minutia, 6 bytes
      type (2 bits: 01 ridge ending, 10 bifurcation, 00 other) and x (14 bits)
      reserved (2 bits) and y (14 bits); origin at the top left
      angle in 1/256 of a turn, counterclockwise from the x axis
      quality (0-100)
    extended data block length, uint16 (0: none)

The 500 ppi resolution is written as 197 pixels per centimetre. A finger
quality of 0 is read as "not assessed".

>>> record = MinutiaeRecord(width=320, height=400, minutiae=(
...     Minutia(x=120, y=88, angle=64, kind=MinutiaKind.RIDGE_ENDING, quality=80),))
>>> data = encode_record(record)
>>> len(data), data[:8]
(36, b'FMR\\x00 20\\x00')
>>> decode_record(data) == record
True
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from passerelle.exc import InvalidInput

__all__ = [
    "PIXELS_PER_CM_500PPI",
    "Minutia",
    "MinutiaKind",
    "MinutiaeRecord",
    "decode_record",
    "encode_record",
]

PIXELS_PER_CM_500PPI = 197
"""500 pixels per inch, as the standard records it."""
_MAGIC = b"FMR\x00 20\x00"
_HEADER = struct.Struct(">8sIHHHHHBB")
_VIEW = struct.Struct(">BBBB")
_MINUTIA = struct.Struct(">HHBB")
_MAX_COORDINATE = 0x3FFF
_MAX_MINUTIAE = 255
_FIELD = "template"


class MinutiaKind(IntEnum):
    """Minutia type as the standard codes it."""

    OTHER = 0
    RIDGE_ENDING = 1
    BIFURCATION = 2


@dataclass(frozen=True, slots=True)
class Minutia:
    """One ridge ending or bifurcation: where, which way it points, how sure the extractor is."""

    x: int
    y: int
    angle: int
    """Direction in 1/256 of a turn (1.40625°), counterclockwise from the x axis."""
    kind: MinutiaKind
    quality: int
    """0-100."""


@dataclass(frozen=True, slots=True)
class MinutiaeRecord:
    """The content of one ISO/IEC 19794-2:2005 record with one finger view."""

    width: int
    height: int
    minutiae: tuple[Minutia, ...]
    finger_quality: int = 0
    """0-100; 0 when not assessed."""
    finger_position: int = 0
    """0 unknown, 1-10 right thumb to left little finger."""
    impression_type: int = 0
    """0 live-scan plain, 1 live-scan rolled, 2 and 3 non-live-scan, 8 swipe."""
    resolution_ppcm: int = PIXELS_PER_CM_500PPI


def encode_record(record: MinutiaeRecord) -> bytes:
    """The ISO/IEC 19794-2:2005 bytes of ``record``; values out of range raise ``InvalidInput``."""
    if len(record.minutiae) > _MAX_MINUTIAE:
        raise InvalidInput(_FIELD, f"{len(record.minutiae)} minutiae; a record holds 255 at most")
    if not (0 < record.width <= 0xFFFF and 0 < record.height <= 0xFFFF):
        raise InvalidInput(_FIELD, "image size must be 1 to 65535 pixels each way")
    if not (0 <= record.finger_quality <= 100 and 0 <= record.finger_position <= 10):
        raise InvalidInput(_FIELD, "finger quality must be 0-100 and finger position 0-10")
    length = _HEADER.size + _VIEW.size + _MINUTIA.size * len(record.minutiae) + 2
    parts = [
        _HEADER.pack(
            _MAGIC,
            length,
            0,
            record.width,
            record.height,
            record.resolution_ppcm,
            record.resolution_ppcm,
            1,
            0,
        ),
        _VIEW.pack(
            record.finger_position,
            record.impression_type & 0x0F,
            record.finger_quality,
            len(record.minutiae),
        ),
    ]
    for m in record.minutiae:
        if not (0 <= m.x <= _MAX_COORDINATE and 0 <= m.y <= _MAX_COORDINATE):
            raise InvalidInput(_FIELD, f"minutia at ({m.x}, {m.y}) is outside 0-16383")
        if not (0 <= m.angle <= 255 and 0 <= m.quality <= 100):
            raise InvalidInput(_FIELD, "minutia angle must be 0-255 and quality 0-100")
        parts.append(_MINUTIA.pack(int(m.kind) << 14 | m.x, m.y, m.angle, m.quality))
    parts.append(b"\x00\x00")
    return b"".join(parts)


def decode_record(data: bytes) -> MinutiaeRecord:
    """Read an ISO/IEC 19794-2:2005 record with one finger view.

    Raises ``InvalidInput("template", reason)`` for anything else: another
    format or edition, a length that disagrees with the bytes, several views,
    truncated minutiae. Extended data (ridge counts, cores and deltas) is skipped.
    """
    if not isinstance(data, bytes | bytearray):
        raise InvalidInput(_FIELD, f"expected bytes, got {type(data).__name__}")
    if len(data) < _HEADER.size + _VIEW.size:
        raise InvalidInput(_FIELD, f"{len(data)} bytes is too short for an ISO/IEC 19794-2 record")
    magic, length, _equipment, width, height, xres, _yres, views, _reserved = _HEADER.unpack_from(
        data
    )
    if magic[:4] != _MAGIC[:4]:
        raise InvalidInput(_FIELD, "not an ISO/IEC 19794-2 finger minutiae record (no 'FMR')")
    if magic != _MAGIC:
        raise InvalidInput(_FIELD, "only the 2005 edition (version ' 20') is read")
    if length != len(data):
        raise InvalidInput(_FIELD, f"record says {length} bytes but {len(data)} were given")
    if views != 1:
        raise InvalidInput(_FIELD, f"{views} finger views; one view per template is expected")
    position, view_impression, quality, count = _VIEW.unpack_from(data, _HEADER.size)
    start = _HEADER.size + _VIEW.size
    end = start + _MINUTIA.size * count
    if end + 2 > len(data):
        raise InvalidInput(_FIELD, f"record is cut short: {count} minutiae announced")
    minutiae = []
    for offset in range(start, end, _MINUTIA.size):
        type_x, y, angle, m_quality = _MINUTIA.unpack_from(data, offset)
        kind = type_x >> 14
        if kind == 3:
            raise InvalidInput(_FIELD, "minutia type 11 is reserved")
        minutiae.append(
            Minutia(
                type_x & _MAX_COORDINATE, y & _MAX_COORDINATE, angle, MinutiaKind(kind), m_quality
            )
        )
    (extended,) = struct.unpack_from(">H", data, end)
    if end + 2 + extended != len(data):
        raise InvalidInput(_FIELD, "extended data length disagrees with the record length")
    return MinutiaeRecord(
        width=width,
        height=height,
        minutiae=tuple(minutiae),
        finger_quality=quality,
        finger_position=position,
        impression_type=view_impression & 0x0F,
        resolution_ppcm=xres,
    )
