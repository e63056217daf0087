"""Issuer practices that ICAO Doc 9303 is silent on or does not list, kept as data.

Each entry is a practice that genuine documents in circulation follow; a document
that follows one is accepted, and a finding (code ``issuer_practice``) names the
practice so the examiner knows which rule was applied. docs/documents.md lists
them with their sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from passerelle.documents.layouts import MrzFormat
from passerelle.i18n import N_

__all__ = [
    "FILLER_COUNTED_NUMBER",
    "NATIONAL_DOCUMENT_CODES",
    "NATIONAL_LAYOUTS",
]

NATIONAL_DOCUMENT_CODES: Mapping[tuple[MrzFormat, str], tuple[str, str]] = MappingProxyType(
    {
        # Germany issues its temporary passport (vorläufiger Reisepass) in the TD2 size
        # with document code P; ICAO 9303 Part 6 lists only A, C and I for TD2.
        (MrzFormat.TD2, "D"): ("P", N_("its temporary passport")),
    }
)
"""(format, issuing state) → (first letters of the document codes that issuer writes beyond
ICAO's list, the documents it writes them on)."""

NATIONAL_LAYOUTS: Mapping[tuple[int, int, str], MrzFormat] = MappingProxyType(
    {
        # France's national identity card (1988-2021): 2×36, line 1 opens with IDFRA.
        # France's ICAO card, issued since 2021, is a TD1.
        (2, 36, "IDFRA"): MrzFormat.FRA_ID,
    }
)
"""(lines, width, opening of line 1: document code and issuing state, five characters)
→ the national layout those lines follow."""

FILLER_COUNTED_NUMBER = N_(
    "the long document number's check digit counts the filler '<' at the check digit "
    "position of the number field (Belgian and Portuguese issuers' practice; "
    "ICAO 9303 Part 5 is silent on it)"
)
"""The message of the finding that says a long number was checked the issuers' way."""
