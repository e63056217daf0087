"""Who holds what in the three-node demo, and the travellers the officers inspect.

Pure values: the files each node loads (the formats of ``passerelle sltd load``,
``watchlist load`` and ``alert issue``), the agreement every pair of nodes
signs, and the MRZs (ICAO 9303 TD3, every check digit computed).

=====  ===================================================================
node   holds
=====  ===================================================================
MAR    a stolen Moroccan passport (SLTD); a wanted person on its watchlist,
       in Arabic and Latin script; later the wanted-person alert
       ``MAR-A-0001`` whose face (the demo portrait) is in its ``alerts``
       gallery, and two more alerts issued while TUN is down
BEL    a wanted person on its watchlist (``BEL-W-0007``) whose right index
       finger (a synthetic one, ``passerelle finger synth``) is in its
       ``wanted`` fingerprint gallery; otherwise it asks
TUN    a stolen Tunisian passport (SLTD) and a travel-ban alert on a person
=====  ===================================================================

>>> TRAVELLERS["clean"].mrz.splitlines()[0]
'P<BELPEETERS<<ANNELIES<<<<<<<<<<<<<<<<<<<<<<'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from passerelle.documents.compose import compose_mrz
from passerelle.documents.layouts import MrzFormat

__all__ = [
    "AGREED_ALERTS",
    "AGREED_KINDS",
    "BEL_WANTED_FINGER",
    "FACE_GALLERY",
    "FINGER_GALLERY",
    "FINGER_SEED",
    "STATES",
    "TRAVELLERS",
    "TRAVELLER_WITH_FINGER",
    "WANTED_ALERT_ID",
    "Traveller",
    "bel_watchlist",
    "mar_outage_alerts",
    "mar_sltd",
    "mar_wanted_alert",
    "mar_watchlist",
    "tun_alert",
    "tun_sltd",
]

STATES = ("MAR", "BEL", "TUN")
"""The three nodes, in the order they are set up and started."""

AGREED_KINDS = ("document", "person", "face", "fingerprint")
"""What every node may ask every other, both ways."""

AGREED_ALERTS = ("wanted", "travel_ban", "stolen_document", "forged_document")
"""Alert categories every node shares with every other."""

FACE_GALLERY = "alerts"
"""MAR's gallery where the wanted person's face is enrolled."""

WANTED_ALERT_ID = "MAR-A-0001"

FINGER_GALLERY = "wanted"
"""BEL's fingerprint gallery where its wanted person's finger is enrolled."""
BEL_WANTED_FINGER = "BEL-W-0007/2"
"""The enrolled finger: BEL's watchlist id and the ISO position (2, right index)."""
FINGER_SEED = 4242
"""The synthetic finger (``passerelle finger synth``): impression 0 enrolled at BEL,
impression 1 the live capture at MAR's booth."""


@dataclass(frozen=True, slots=True)
class Traveller:
    """A traveller BEL's officer inspects: who, the MRZ, whether the live photo is the portrait."""

    caption: str
    mrz: str
    with_portrait: bool = False


def _td3(state: str, number: str, surname: str, given: str, born: str, sex: str) -> str:
    return compose_mrz(
        MrzFormat.TD3,
        document_number=number,
        birth_date=born,
        expiry_date="310714",
        surname=surname,
        given_names=given,
        issuing_state=state,
        sex=sex,
    )


MAR_STOLEN_NUMBER = "ZM5530871"
TUN_STOLEN_NUMBER = "TN0823716"

TRAVELLERS: dict[str, Traveller] = {
    "mar_stolen": Traveller(
        "a Moroccan passport MAR reported stolen",
        _td3("MAR", MAR_STOLEN_NUMBER, "ALAOUI", "YASMINE", "920611", "F"),
    ),
    "tun_stolen": Traveller(
        "a Tunisian passport only TUN reported stolen",
        _td3("TUN", TUN_STOLEN_NUMBER, "TRABELSI", "OMAR", "870919", "M"),
    ),
    "watchlisted": Traveller(
        "MAR's watchlisted محمد بن علي, whose passport spells BENALI MOHAMED",
        _td3("MAR", "UM4731285", "BENALI", "MOHAMED", "850302", "M"),
    ),
    "face": Traveller(
        "a traveller under another name whose live photo is MAR's wanted face",
        _td3("BEL", "EM5518830", "VERMEULEN", "EVA", "660919", "F"),
        with_portrait=True,
    ),
    "clean": Traveller(
        "a traveller nobody holds anything on",
        _td3("BEL", "EM9902741", "PEETERS", "ANNELIES", "940305", "F"),
    ),
    "fingerprint": Traveller(
        "a traveller under another name whose right index finger is BEL's wanted person's",
        _td3("MAR", "UM6610452", "CHERKAOUI", "KARIM", "880712", "M"),
    ),
    "wanted_by_name": Traveller(
        "the person of MAR's wanted-person alert, by name (a partner alert at BEL)",
        _td3("MAR", "UM2209374", "BERRADA", "NADIA", "681203", "F"),
    ),
}


TRAVELLER_WITH_FINGER = "fingerprint"
"""The traveller MAR's officer inspects with a live fingerprint (right index, position 2)."""


def _stolen(state: str, number: str, reported_on: str) -> dict[str, Any]:
    return {
        "issuing_state": state,
        "document_number": number,
        "document_code": "P",
        "status": "stolen",
        "reported_on": reported_on,
        "reported_by": state,
    }


def mar_sltd() -> list[dict[str, Any]]:
    """MAR's stolen/lost registry: one passport (the record a follow-up releases)."""
    return [_stolen("MAR", MAR_STOLEN_NUMBER, "2026-10-01")]


def tun_sltd() -> list[dict[str, Any]]:
    """TUN's stolen/lost registry: one passport nobody else holds."""
    return [_stolen("TUN", TUN_STOLEN_NUMBER, "2026-09-12")]


def mar_watchlist() -> list[dict[str, Any]]:
    """MAR's watchlist: one wanted person, listed in Arabic and Latin script."""
    return [
        {
            "id": "MAR-W-0001",
            "names": ["محمد بن علي", "Muhammad bin Ali"],
            "birth_date": "1985-03-02",
            "nationalities": ["MAR"],
            "sex": "M",
            "category": "wanted",
            "issued_by": "MAR",
            "valid_until": None,
        }
    ]


def bel_watchlist() -> list[dict[str, Any]]:
    """BEL's watchlist: one wanted person, whose finger BEL has enrolled."""
    return [
        {
            "id": "BEL-W-0007",
            "names": ["Youssef El Idrissi"],
            "birth_date": "1988-07-12",
            "nationalities": ["MAR"],
            "sex": "M",
            "category": "wanted",
            "issued_by": "BEL",
            "valid_until": None,
        }
    ]


def mar_wanted_alert() -> dict[str, Any]:
    """The alert MAR's analyst issues first: a wanted person, whose face MAR has enrolled."""
    return {
        "id": WANTED_ALERT_ID,
        "category": "wanted",
        "subject": {
            "kind": "person",
            "names": ["Nadia Berrada", "نادية برادة"],
            "birth_date": "1968-12-03",
        },
        "issuing_authority": "DGSN, police judiciaire, Rabat: +212 537 00 00 10",
        "action": "Arrest for surrender: keep the traveller at the booth, call the DGSN.",
    }


def mar_outage_alerts() -> tuple[dict[str, Any], dict[str, Any]]:
    """The two alerts MAR issues while TUN is down (the first is then withdrawn)."""
    return (
        {
            "id": "MAR-A-0002",
            "category": "travel_ban",
            "subject": {
                "kind": "person",
                "names": ["Hicham Tahiri", "هشام الطاهري"],
                "birth_date": "1979-05-14",
            },
            "issuing_authority": "Parquet de Casablanca, via the DGSN duty desk",
            "action": "Refuse exit and keep the passport against a receipt.",
        },
        {
            "id": "MAR-A-0003",
            "category": "stolen_document",
            "subject": {"kind": "document", "issuing_state": "MAR", "document_number": "ZM1180442"},
            "issuing_authority": "DGSN, service des passeports, Rabat",
            "action": "Seize the passport and check the bearer's identity.",
        },
    )


def tun_alert() -> dict[str, Any]:
    """TUN's alert, issued before the nodes start (it waits in TUN's outbox)."""
    return {
        "id": "TUN-A-0001",
        "category": "travel_ban",
        "subject": {
            "kind": "person",
            "names": ["Sami Gharbi", "سامي الغربي"],
            "birth_date": "1990-01-22",
        },
        "issuing_authority": "Ministère de l'Intérieur, Tunis: +216 71 00 00 00",
        "action": "Refuse exit; inform the duty officer.",
    }
