"""Where each field sits in each MRZ format (ICAO Doc 9303 Parts 4-7, and France's national card).

Positions are 0-based offsets into the MRZ with its lines joined, so a TD3
line 2 starts at 44. ``locate`` turns an offset back into the 1-based line and
position an examiner reads on the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from passerelle.i18n import N_

__all__ = ["LAYOUTS", "Layout", "MrzFormat", "locate"]


class MrzFormat(StrEnum):
    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"
    MRVA = "MRVA"
    MRVB = "MRVB"
    FRA_ID = "FRA-ID"
    """France's national identity card of 1988-2021 (2×36, not an ICAO layout)."""
    UNKNOWN = "unknown"
    TYPED = "typed"
    """No MRZ read: the officer typed the visual zone (``documents.typed``)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Field positions of one MRZ format; slices index the joined lines."""

    format: MrzFormat
    description: str
    lines: int
    width: int
    first_letters: str
    issuing_state: slice
    name: slice
    document_number: slice
    document_number_cd: int
    nationality: slice
    birth_date: slice
    birth_date_cd: int
    sex: int
    expiry_date: slice | None
    """None where the MRZ holds no expiry date (France's national card)."""
    expiry_date_cd: int | None
    optional_data: tuple[slice, ...]
    optional_data_cd: int | None = None
    composite: tuple[slice, ...] = ()
    composite_cd: int | None = None
    number_may_overflow: bool = False
    max_validity_years: int = 10
    given_names: slice | None = None
    """Set when the given names have a field of their own; ``name`` then holds the surname."""

    @property
    def size(self) -> int:
        return self.lines * self.width

    def field_at(self, offset: int) -> str:
        """The name of the field (as in the check result) that holds ``offset``."""
        return _field_maps[self.format][offset]


def locate(offset: int, width: int) -> tuple[int, int]:
    """1-based (line, position) of a 0-based offset into joined MRZ lines."""
    return offset // width + 1, offset % width + 1


def _two_line(fmt: MrzFormat, description: str, width: int, first: str, **kw: object) -> Layout:
    """TD2, TD3 and the visas share line 2 up to the expiry check digit."""
    w = width
    return Layout(
        format=fmt,
        description=description,
        lines=2,
        width=w,
        first_letters=first,
        issuing_state=slice(2, 5),
        name=slice(5, w),
        document_number=slice(w, w + 9),
        document_number_cd=w + 9,
        nationality=slice(w + 10, w + 13),
        birth_date=slice(w + 13, w + 19),
        birth_date_cd=w + 19,
        sex=w + 20,
        expiry_date=slice(w + 21, w + 27),
        expiry_date_cd=w + 27,
        **kw,  # type: ignore[arg-type]
    )


TD3 = _two_line(
    MrzFormat.TD3,
    N_("passport (TD3, 2×44)"),
    44,
    "P",
    optional_data=(slice(72, 86),),
    optional_data_cd=86,
    composite=(slice(44, 54), slice(57, 64), slice(65, 87)),
    composite_cd=87,
)
TD2 = _two_line(
    MrzFormat.TD2,
    N_("official travel document (TD2, 2×36)"),
    36,
    "IAC",
    optional_data=(slice(64, 71),),
    composite=(slice(36, 46), slice(49, 56), slice(57, 71)),
    composite_cd=71,
    number_may_overflow=True,
    max_validity_years=15,
)
MRVA = _two_line(MrzFormat.MRVA, N_("visa (MRV-A, 2×44)"), 44, "V", optional_data=(slice(72, 88),))
MRVB = _two_line(MrzFormat.MRVB, N_("visa (MRV-B, 2×36)"), 36, "V", optional_data=(slice(64, 72),))
TD1 = Layout(
    format=MrzFormat.TD1,
    description=N_("identity card (TD1, 3×30)"),
    lines=3,
    width=30,
    first_letters="IAC",
    issuing_state=slice(2, 5),
    document_number=slice(5, 14),
    document_number_cd=14,
    optional_data=(slice(15, 30), slice(48, 59)),
    birth_date=slice(30, 36),
    birth_date_cd=36,
    sex=37,
    expiry_date=slice(38, 44),
    expiry_date_cd=44,
    nationality=slice(45, 48),
    composite=(slice(5, 30), slice(30, 37), slice(38, 45), slice(48, 59)),
    composite_cd=59,
    name=slice(60, 90),
    number_may_overflow=True,
    max_validity_years=15,
)

FRA_ID = Layout(
    # Carte nationale d'identité, 1988-2021 (see docs/documents.md for the sources).
    # Line 1: ID, FRA, surname (25), issuing department (3) and office (3).
    # Line 2: number (12: year and month of issue, department, sequence) and its
    # check digit, given names (14), birth date and its check digit, sex, and a
    # composite check digit over both lines. No nationality (the card proves French
    # nationality: the issuing state stands for it) and no expiry date.
    format=MrzFormat.FRA_ID,
    description=N_("French national identity card (1988-2021, 2×36)"),
    lines=2,
    width=36,
    first_letters="I",
    issuing_state=slice(2, 5),
    name=slice(5, 30),
    optional_data=(slice(30, 36),),
    document_number=slice(36, 48),
    document_number_cd=48,
    given_names=slice(49, 63),
    birth_date=slice(63, 69),
    birth_date_cd=69,
    sex=70,
    composite=(slice(0, 71),),
    composite_cd=71,
    nationality=slice(2, 5),
    expiry_date=None,
    expiry_date_cd=None,
    max_validity_years=15,
)

LAYOUTS: dict[MrzFormat, Layout] = {
    layout.format: layout for layout in (TD1, TD2, TD3, MRVA, MRVB, FRA_ID)
}


def _field_map(layout: Layout) -> tuple[str, ...]:
    names = ["document_code"] * layout.size
    spans: list[tuple[str, slice | int | None]] = [
        ("issuing_state", layout.issuing_state),
        ("name" if layout.given_names is None else "surname", layout.name),
        ("given_names", layout.given_names),
        ("document_number", layout.document_number),
        ("document_number", layout.document_number_cd),
        ("nationality", None if layout.nationality == layout.issuing_state else layout.nationality),
        ("birth_date", layout.birth_date),
        ("birth_date", layout.birth_date_cd),
        ("sex", layout.sex),
        ("expiry_date", layout.expiry_date),
        ("expiry_date", layout.expiry_date_cd),
    ]
    td1 = layout.format is MrzFormat.TD1
    for i, optional in enumerate(layout.optional_data):
        spans.append((f"optional_data_{i + 1}" if td1 else "optional_data", optional))
    if layout.optional_data_cd is not None:
        spans.append(("optional_data", layout.optional_data_cd))
    if layout.composite_cd is not None:
        spans.append(("composite", layout.composite_cd))
    for field, span in spans:
        if span is None:
            continue
        if isinstance(span, int):
            names[span] = field
        else:
            for offset in range(*span.indices(layout.size)):
                names[offset] = field
    return tuple(names)


_field_maps: dict[MrzFormat, tuple[str, ...]] = {
    fmt: _field_map(layout) for fmt, layout in LAYOUTS.items()
}
