"""The two-letter country of a certificate, for the three-letter state of an MRZ.

A chip's certificates name their country in the ``C`` attribute of the subject and the
issuer, as ISO 3166-1 alpha-2 (RFC 5280; ICAO Doc 9303 Part 12 §7.1: "countryName ...
SHALL be the same as in the CSCA"), while the MRZ writes the issuing state in alpha-3
(Part 3 §5), Germany as ``D``. ``UTO`` (Utopia, ICAO's specimen state) is given ``UT`` for
the specimen PKIs of tests and demonstrations: no ISO country holds that code.

>>> certificate_country("D"), certificate_country("MAR"), certificate_country("XXA")
('DE', 'MA', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from passerelle.documents.alpha2 import ISO_ALPHA2

__all__ = ["ALPHA3_TO_ALPHA2", "certificate_country"]

ALPHA3_TO_ALPHA2: Mapping[str, str] = ISO_ALPHA2
"""ISO 3166-1: every alpha-3 code with its alpha-2 (the table of ``documents.alpha2``)."""

_MRZ_ONLY: Mapping[str, str] = MappingProxyType({"D": "DE", "UTO": "UT"})


def certificate_country(mrz_state: str) -> str | None:
    """The alpha-2 country a certificate of this MRZ issuing state carries, None when the
    code is no country (an organisation, a person status, an unknown code)."""
    return _MRZ_ONLY.get(mrz_state) or ALPHA3_TO_ALPHA2.get(mrz_state)
