"""What a reader hands over from a chip, and what passive authentication says of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from passerelle.documents.chip.findings import ChipFinding
from passerelle.documents.chip.lds import FaceImage

__all__ = ["MAX_DATA_GROUP_BYTES", "MAX_SOD_BYTES", "ChipData", "ChipVerification"]

MAX_SOD_BYTES = 64 * 1024
"""The largest EF.SOD read (a SOD with its DSC is a few kilobytes)."""
MAX_DATA_GROUP_BYTES = 1024 * 1024
"""The largest data group read (DG2's face is tens of kilobytes; DG3's fingers, unused
here, are larger but never handed over without extended access control)."""


@dataclass(frozen=True, slots=True)
class ChipData:
    """EF.SOD and the data groups (by number) as the reader read them from the chip."""

    sod: bytes
    data_groups: Mapping[int, bytes] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class ChipVerification:
    """The outcome of passive authentication (ICAO Doc 9303 Part 11 §5.1).

    ``verified`` holds when no finding is an error: the SOD's signature verifies with a
    DSC that a trusted CSCA of the MRZ's issuing state issued, neither revoked nor
    expired, and every data group handed over has the hash the SOD signed, DG1 being the
    printed MRZ. ``csca`` and ``dsc`` are the certificates' subjects (RFC 4514),
    ``country`` the signer's (alpha-2). ``face`` is DG2's image when it verified.
    """

    verified: bool
    findings: tuple[ChipFinding, ...]
    country: str | None = None
    csca: str | None = None
    dsc: str | None = None
    hash_algorithm: str | None = None
    signature_algorithm: str | None = None
    data_groups: tuple[int, ...] = ()
    chip_authentication: bool = False
    active_authentication: bool = False
    face: FaceImage | None = None

    @property
    def summary(self) -> str:
        """One line for the officer: who vouches for the chip, or why it is not trusted."""
        if self.verified:
            return f"verified by the CSCA of {self.country} ({self.csca})"
        reasons = [f.message for f in self.findings if f.is_error]
        return "not verified: " + "; ".join(reasons)

    def as_dict(self) -> dict[str, object]:
        return {
            "verified": self.verified,
            "summary": self.summary,
            "country": self.country,
            "csca": self.csca,
            "dsc": self.dsc,
            "hash_algorithm": self.hash_algorithm,
            "signature_algorithm": self.signature_algorithm,
            "data_groups": list(self.data_groups),
            "chip_authentication": self.chip_authentication,
            "active_authentication": self.active_authentication,
            "face": (
                None
                if self.face is None
                else {"format": self.face.format, "width": self.face.width,
                      "height": self.face.height}
            ),
            "findings": [f.as_dict() for f in self.findings],
        }  # fmt: skip
