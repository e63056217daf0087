"""The errors of the chip checks, under ``InvalidInput`` (``passerelle.exc``)::

    InvalidInput(field, reason)
    └── ChipDataError(part, reason)       a part of the chip (sod, dg1..., a certificate,
                                          a CRL, a master list) cannot be read
        └── ChipAlgorithmError(part, reason)
                                          an algorithm the node does not verify

Passive authentication turns each into a finding (``chip_malformed``); an import of a
master list or a CRL refuses the file whole with it.
"""

from __future__ import annotations

from passerelle.exc import InvalidInput

__all__ = ["ChipAlgorithmError", "ChipDataError"]


class ChipDataError(InvalidInput):
    """A part of a chip, a certificate, a CRL or a master list that cannot be read."""


class ChipAlgorithmError(ChipDataError):
    """A digest or signature algorithm the node does not verify (``chip_algorithm``)."""
