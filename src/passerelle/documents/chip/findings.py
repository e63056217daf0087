"""What passive authentication of a chip found, in words an officer understands.

A chip finding has the shape of a document finding (``documents.findings``): a stable
``code``, the ``part`` of the chip it concerns (``sod``, ``dg1``... ``dsc``, ``csca``,
``crl``), a ``severity`` and a ``message``. Severities:

``error``
    the chip's data cannot be trusted: a signature or a hash does not verify, the chip
    belongs to another document, a certificate is unknown, revoked or expired, the
    data cannot be read.
``warning``
    the data verified but a check could not be made (no revocation list for the state,
    or one past its next update).
``info``
    context: chip or active authentication is possible (the challenge runs in the reader).

The codes, and what each does to an inspection's decision, are listed in docs/chip.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from passerelle.documents.findings import Severity
from passerelle.i18n.wording import Wording, worded

__all__ = ["ChipFinding", "ChipFindingCode"]


class ChipFindingCode(StrEnum):
    CHIP_MALFORMED = "chip_malformed"
    CHIP_OVERSIZED = "chip_oversized"
    CHIP_ALGORITHM = "chip_algorithm"
    CHIP_SIGNATURE = "chip_signature"
    CHIP_HASH = "chip_hash"
    CHIP_DG_MISSING = "chip_dg_missing"
    CHIP_MRZ_MISMATCH = "chip_mrz_mismatch"
    CHIP_COUNTRY_MISMATCH = "chip_country_mismatch"
    CSCA_UNKNOWN = "csca_unknown"
    CSCA_EXPIRED = "csca_expired"
    DSC_SIGNATURE = "dsc_signature"
    DSC_REVOKED = "dsc_revoked"
    DSC_EXPIRED = "dsc_expired"
    CRL_UNAVAILABLE = "crl_unavailable"
    CRL_STALE = "crl_stale"
    CHIP_AUTHENTICATION_AVAILABLE = "chip_authentication_available"
    ACTIVE_AUTHENTICATION_AVAILABLE = "active_authentication_available"


@dataclass(frozen=True, slots=True)
class ChipFinding:
    """One thing passive authentication found: which part of the chip, how serious, why."""

    code: ChipFindingCode
    part: str
    severity: Severity
    message: str
    wording: Wording | None = None
    """``message`` as its sentence's template and parameters (``i18n.wording``)."""

    @classmethod
    def worded(
        cls, code: ChipFindingCode, part: str, severity: Severity, wording: Wording
    ) -> ChipFinding:
        """The finding that says ``wording`` (its English the ``message``)."""
        return cls(code, part, severity, wording.english, wording)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code.value,
            "part": self.part,
            "severity": self.severity.value,
            "message": self.message,
        }


def error(
    code: ChipFindingCode, part: str, template: str, **parameters: str | int | Wording
) -> ChipFinding:
    """An error finding (the chip is not verified) saying ``template`` (marked ``N_``)."""
    return ChipFinding.worded(code, part, Severity.ERROR, worded(template, **parameters))
