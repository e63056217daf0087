"""Who holds what in the scale demo: the members of the Council of Arab Interior Ministers.

Pure values. Every member holds one stolen passport of its own (SLTD) and
nothing else; each member's officer inspects the passport the *next* member
(in :data:`MEMBERS` order, among those asking) reported stolen, so that every
inspection has exactly one partner hit and every other partner answers
no-hit. Five members issue an alert each. In a federation of ``n`` members
(:func:`roles`), the last member is killed (SIGKILL) and the one before it hung
(SIGSTOP) for the whole story; the first five of the others issue alerts.

>>> len(MEMBERS), MEMBERS[0], MEMBERS[-1]
(22, 'MAR', 'COM')
>>> roles(MEMBERS[:5]).killed, roles(MEMBERS[:5]).hung, roles(MEMBERS[:5]).issuers
('EGY', 'LBY', ('MAR', 'DZA', 'TUN'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from passerelle.documents.compose import compose_mrz
from passerelle.documents.layouts import MrzFormat
from passerelle.federation_demo.cast import Traveller

__all__ = [
    "AGREED_ALERTS",
    "AGREED_KINDS",
    "ISSUERS_AT_MOST",
    "MEMBERS",
    "USER_ROLES",
    "Roles",
    "member_alert",
    "member_sltd",
    "roles",
    "stolen_number",
    "traveller_for",
]

MEMBERS = (
    "MAR", "DZA", "TUN", "LBY", "EGY", "SDN", "MRT", "SAU", "ARE", "QAT", "BHR",
    "KWT", "OMN", "YEM", "IRQ", "SYR", "JOR", "LBN", "PSE", "SOM", "DJI", "COM",
)  # fmt: skip
"""The twenty-two members of the Council of Arab Interior Ministers (ICAO codes)."""

AGREED_KINDS = ("document", "person")
"""What every member may ask every other, both ways."""

AGREED_ALERTS = ("wanted", "travel_ban", "stolen_document")

ISSUERS_AT_MOST = 5
"""How many members issue an alert."""

USER_ROLES = ("officer", "analyst")
"""Each member's users: an officer who inspects, an analyst who issues alerts."""


@dataclass(frozen=True, slots=True)
class Roles:
    """Who does what in one run: the members that issue alerts, the one killed, the one hung."""

    members: tuple[str, ...]
    issuers: tuple[str, ...]
    killed: str
    hung: str

    @property
    def healthy(self) -> tuple[str, ...]:
        """The members neither killed nor hung: they ask, answer and receive."""
        return tuple(m for m in self.members if m not in (self.killed, self.hung))


def roles(members: Sequence[str]) -> Roles:
    """The roles in a federation of ``members`` (at least four)."""
    if len(members) < 4:
        raise ValueError(f"a scale story needs at least 4 members, not {len(members)}")
    killed, hung = members[-1], members[-2]
    issuers = tuple(members[: min(ISSUERS_AT_MOST, len(members) - 2)])
    return Roles(tuple(members), issuers, killed, hung)


def stolen_number(state: str) -> str:
    """The number of the passport ``state`` reported stolen (nine characters)."""
    return f"S{state}{sum(map(ord, state)) % 100_000:05d}"


def member_sltd(state: str) -> list[dict[str, Any]]:
    """``state``'s stolen/lost registry: one passport of its own."""
    return [
        {
            "issuing_state": state,
            "document_number": stolen_number(state),
            "document_code": "P",
            "status": "stolen",
            "reported_on": "2026-11-02",
            "reported_by": state,
        }
    ]


def traveller_for(asker: str, askers: Sequence[str]) -> tuple[str, Traveller]:
    """The holder and the traveller ``asker``'s officer inspects: the passport the next
    member of ``askers`` (cyclically) reported stolen."""
    holder = askers[(list(askers).index(asker) + 1) % len(askers)]
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number=stolen_number(holder),
        birth_date="880417",
        expiry_date="310714",
        surname="HADDAD",
        given_names="SAMIR",
        issuing_state=holder,
        sex="M",
    )
    return holder, Traveller(f"a passport {holder} reported stolen", mrz)


def member_alert(state: str) -> dict[str, Any]:
    """The travel-ban alert ``state``'s analyst issues."""
    return {
        "id": f"{state}-A-0100",
        "category": "travel_ban",
        "subject": {
            "kind": "person",
            "names": [f"Karim Mansouri {state}"],
            "birth_date": "1983-02-11",
        },
        "issuing_authority": f"Ministry of the Interior of {state}, duty desk",
        "action": "Refuse exit and inform the duty officer.",
    }
