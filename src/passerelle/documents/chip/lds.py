"""The chip's data groups (ICAO Doc 9303 Part 10, the Logical Data Structure).

Each data group is one elementary file holding one BER-TLV object whose tag names it
(DG1 ``61``, DG2 ``75``, DG11 ``6B``, DG12 ``6C``, DG14 ``6E``, DG15 ``6F``). The
Document Security Object hashes each file whole, tag and length included, so the hash is
checked on the bytes as read; this module only reads what the checks compare: DG1's MRZ
(tag ``5F1F``) and DG2's facial image (Part 10 §4.7.2: a biometric information group
``7F61`` of templates ``7F60`` whose data block ``5F2E`` is an ISO/IEC 19794-5 facial
record). TLVs are read with ``asn1crypto.parser``.

Every failure raises ``ChipDataError(part, reason)`` naming the data group.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from asn1crypto import parser

from passerelle.documents.chip.errors import ChipDataError
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "DATA_GROUP_TAGS",
    "FaceImage",
    "check_data_group",
    "dg1_mrz_lines",
    "dg2_face_image",
    "part_name",
]

DATA_GROUP_TAGS: Mapping[int, int] = MappingProxyType(
    {1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68, 9: 0x69,
     10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70}
)  # fmt: skip
"""The first byte of each data group's file (ICAO 9303 Part 10 §4.6.2, table 34)."""

_APPLICATION = 1
_MRZ_TAG = 0x1F  # 5F1F
_BIT_GROUP_TAG = 0x61  # 7F61
_BIT_TAG = 0x60  # 7F60
_BDB_TAGS = (0x2E,)  # 5F2E (or 7F2E, enciphered: not read)
_MRZ_LAYOUTS = {88: (44, 44), 90: (30, 30, 30), 72: (36, 36)}
_FACE_MAGIC = b"FAC\x00"
_JPEG = b"\xff\xd8\xff"
_JP2 = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K = b"\xff\x4f\xff\x51"


def part_name(number: int) -> str:
    """``dg1``... the part name a finding gives a data group."""
    return f"dg{number}"


@dataclass(frozen=True, slots=True)
class _Tlv:
    class_: int
    constructed: bool
    tag: int
    contents: bytes


def _tlvs(data: bytes, part: str) -> Iterator[_Tlv]:
    """The BER-TLV objects laid end to end in ``data``."""
    pos = 0
    while pos < len(data):
        if data[pos] in (0x00, 0xFF):  # padding between objects (ISO/IEC 7816-4 §5.2.2)
            pos += 1
            continue
        try:
            class_, method, tag, header, contents, trailer = parser.parse(data[pos:])
        except ValueError as exc:
            raise ChipDataError(
                part,
                worded(N_("is not BER-TLV at byte %(byte)s: %(error)s"), byte=pos, error=str(exc)),
            ) from exc
        yield _Tlv(class_, method == 1, tag, contents)
        pos += len(header) + len(contents) + len(trailer)


def _one_tlv(data: bytes, part: str) -> _Tlv:
    try:
        class_, method, tag, _header, contents, _trailer = parser.parse(data, strict=True)
    except ValueError as exc:
        raise ChipDataError(
            part, worded(N_("is truncated or malformed: %(error)s"), error=str(exc))
        ) from exc
    return _Tlv(class_, method == 1, tag, contents)


def check_data_group(number: int, raw: bytes) -> None:
    """Raise ``ChipDataError`` unless ``raw`` is one whole TLV object tagged as data
    group ``number`` (a truncated file, trailing bytes or another group's tag)."""
    part = part_name(number)
    expected = DATA_GROUP_TAGS.get(number)
    if expected is None:
        raise ChipDataError(part, worded(N_("is not a data group of ICAO 9303 (1 to 16)")))
    if not raw or raw[0] != expected:
        got = f"{raw[0]:02X}" if raw else "nothing"
        raise ChipDataError(
            part,
            worded(
                N_("starts with tag %(got)s, not %(expected)s"),
                got=str(got),
                expected=f"{expected:02X}",
            ),
        )
    _one_tlv(raw, part)


def dg1_mrz_lines(raw: bytes) -> tuple[str, ...]:
    """DG1's MRZ, cut into its lines (TD1 3x30, TD2 2x36, TD3 2x44).

    >>> dg1_mrz_lines(bytes([0x61, 0x4B, 0x5F, 0x1F, 0x48]) + b"I<UTO" + b"<" * 67)[1]
    '<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<'
    """
    check_data_group(1, raw)
    for tlv in _tlvs(_one_tlv(raw, "dg1").contents, "dg1"):
        if tlv.class_ == _APPLICATION and tlv.tag == _MRZ_TAG:
            try:
                text = tlv.contents.decode("ascii")
            except UnicodeDecodeError as exc:
                raise ChipDataError(
                    "dg1", worded(N_("the MRZ holds bytes that are not ASCII"))
                ) from exc
            layout = _MRZ_LAYOUTS.get(len(text))
            if layout is None:
                raise ChipDataError(
                    "dg1",
                    worded(
                        N_("the MRZ is %(length)s characters, not 72, 88 or 90"),
                        length=len(text),
                    ),
                )
            lines, pos = [], 0
            for width in layout:
                lines.append(text[pos : pos + width])
                pos += width
            return tuple(lines)
    raise ChipDataError("dg1", worded(N_("holds no MRZ (tag 5F1F)")))


@dataclass(frozen=True, slots=True)
class FaceImage:
    """DG2's first facial image: its bytes and format (``jpeg`` or ``jpeg2000``)."""

    data: bytes
    format: str
    width: int
    height: int


def _face_record(block: bytes) -> FaceImage:
    """The image of an ISO/IEC 19794-5:2005 facial record: a 14-byte general header, a
    20-byte facial information block, 8 bytes per feature point, 12 bytes of image
    information, then the image."""
    if len(block) < 46 or not block.startswith(_FACE_MAGIC):
        raise ChipDataError(
            "dg2", worded(N_("the biometric data block is not an ISO/IEC 19794-5 record"))
        )
    points = struct.unpack(">H", block[18:20])[0]
    info = 14 + 20 + 8 * points
    if len(block) < info + 12:
        raise ChipDataError("dg2", worded(N_("the facial record is truncated")))
    width, height = struct.unpack(">HH", block[info + 2 : info + 6])
    image = block[info + 12 :]
    if image.startswith(_JPEG):
        return FaceImage(image, "jpeg", width, height)
    if image.startswith(_JP2) or image.startswith(_J2K):
        return FaceImage(image, "jpeg2000", width, height)
    raise ChipDataError("dg2", worded(N_("the facial image is neither JPEG nor JPEG 2000")))


def dg2_face_image(raw: bytes) -> FaceImage:
    """The first facial image DG2 holds."""
    check_data_group(2, raw)
    for group in _tlvs(_one_tlv(raw, "dg2").contents, "dg2"):
        if group.class_ == _APPLICATION and group.tag == _BIT_GROUP_TAG:
            for template in _tlvs(group.contents, "dg2"):
                if template.class_ == _APPLICATION and template.tag == _BIT_TAG:
                    for block in _tlvs(template.contents, "dg2"):
                        if block.class_ == _APPLICATION and block.tag in _BDB_TAGS:
                            return _face_record(block.contents)
    raise ChipDataError("dg2", worded(N_("holds no facial image (tags 7F61, 7F60, 5F2E)")))
