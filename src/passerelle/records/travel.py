"""An inspection's travel context: the vehicle, the travelling party, an address, a phone.

Each value is optional and normalised so that two records of the same thing compare
equal (the networks link travellers by them, ``passerelle.networks``):

- a vehicle registration keeps its letters and digits, upper case, any script's
  separators dropped (``"12345-a-6"`` and ``"12345 A 6"`` are ``12345A6``);
  Arabic letters of Moroccan plates are kept as they are;
- a travelling party's reference (a booking or group) is trimmed, upper case;
- an address is trimmed, its blanks collapsed (compared case-blind);
- a phone number is ``+`` and its digits (E.164 shape: 8 to 15 digits); ``00``
  before the country code becomes ``+``.

A value that cannot be one of these raises ``InvalidInput`` naming the field
(``travel.phone``) and the reason.

>>> TravelContext.parse(vehicle_plate="12345-a-6", phone="00212 6 61 23 45 67").as_dict()
{'vehicle_plate': '12345A6', 'party_reference': None, 'address': None, 'phone': '+212661234567'}
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "TravelContext",
    "normalise_address",
    "normalise_party",
    "normalise_phone",
    "normalise_plate",
]

_PLATE_MAX = 16
_PARTY_MAX = 64
_ADDRESS_MAX = 200
_PHONE_DIGITS = (8, 15)


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def normalise_plate(value: str, *, field: str = "travel.vehicle_plate") -> str:
    """A registration as letters and digits, upper case (2 to 16 of them)."""
    kept = "".join(ch for ch in value.upper() if ch.isalnum())
    if not 2 <= len(kept) <= _PLATE_MAX:
        raise InvalidInput(
            field, worded(N_("must hold 2 to %(value)s letters or digits"), value=_PLATE_MAX)
        )
    return kept


def normalise_party(value: str, *, field: str = "travel.party_reference") -> str:
    """A booking or group reference, trimmed and upper case (1 to 64 characters)."""
    kept = " ".join(value.split()).upper()
    if len(kept) > _PARTY_MAX:
        raise InvalidInput(
            field, worded(N_("is longer than %(value)s characters"), value=_PARTY_MAX)
        )
    return kept


def normalise_address(value: str, *, field: str = "travel.address") -> str:
    """An address in the country, its blanks collapsed (at most 200 characters)."""
    kept = " ".join(value.split())
    if len(kept) > _ADDRESS_MAX:
        raise InvalidInput(
            field, worded(N_("is longer than %(value)s characters"), value=_ADDRESS_MAX)
        )
    return kept


def normalise_phone(value: str, *, field: str = "travel.phone") -> str:
    """A phone number as ``+`` and 8 to 15 digits; ``00`` before the country code is ``+``.

    >>> normalise_phone("+212 (0)6-61.23.45.67")
    '+2120661234567'
    """
    text = value.strip()
    if re.search(r"[^\d\s+().\-/]", text) or "+" in text[1:]:
        raise InvalidInput(
            field, worded(N_("may hold only digits, spaces, dots, dashes and a leading +"))
        )
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and digits.startswith("00"):
        digits = digits[2:]
    low, high = _PHONE_DIGITS
    if not low <= len(digits) <= high:
        raise InvalidInput(
            field, worded(N_("must hold %(low)s to %(high)s digits"), low=low, high=high)
        )
    return f"+{digits}"


@dataclass(frozen=True, slots=True)
class TravelContext:
    """What an inspection may carry about the journey, each value normalised or None."""

    vehicle_plate: str | None = None
    party_reference: str | None = None
    address: str | None = None
    phone: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        vehicle_plate: str | None = None,
        party_reference: str | None = None,
        address: str | None = None,
        phone: str | None = None,
    ) -> TravelContext:
        """The context from values as typed: blanks are None, the rest normalised or refused."""
        return cls(
            vehicle_plate=None if _blank(vehicle_plate) else normalise_plate(vehicle_plate or ""),
            party_reference=None
            if _blank(party_reference)
            else normalise_party(party_reference or ""),
            address=None if _blank(address) else normalise_address(address or ""),
            phone=None if _blank(phone) else normalise_phone(phone or ""),
        )

    @property
    def empty(self) -> bool:
        return not any(self.as_dict().values())

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)
