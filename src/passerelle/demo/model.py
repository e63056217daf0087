"""The demo world's values: travellers, their crossings, the node's lists and the scenarios.

Each record converts to the line a node's loader reads (``as_json``): the
crossings file of ``passerelle crossing load``, the watchlist and SLTD files of
docs/operator-guide.md, the alert object of ``passerelle alert issue``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from passerelle.records.alerts import DocumentSubject, PersonSubject
from passerelle.stay import Direction

__all__ = [
    "DemoAlert",
    "DemoCrossing",
    "DemoWorld",
    "Expected",
    "FaceEnrolment",
    "Scenario",
    "StolenDocument",
    "Traveller",
    "WatchlistRecord",
]

Expected = Literal["clear", "refer", "hit"]


@dataclass(frozen=True, slots=True)
class Traveller:
    """A person with a passport (TD3), as the MRZ states them."""

    id: str
    surname: str
    """Upper case, words separated by spaces (``EL IDRISSI``)."""
    given_names: str
    sex: Literal["M", "F"]
    birth_date: date
    nationality: str
    """The MRZ code (``D`` for Germany, ICAO 9303 Part 3)."""
    issuing_state: str
    document_number: str
    expiry_date: date
    mrz: str
    """The two lines of the passport's MRZ, every check digit computed."""

    @property
    def mrz_name(self) -> str:
        """The name as the MRZ writes it (``BENALI<<MOHAMED``)."""
        return f"{self.surname.replace(' ', '<')}<<{self.given_names.replace(' ', '<')}"

    @property
    def document(self) -> str:
        """``STATE:NUMBER``, as ``passerelle stay`` takes a document."""
        return f"{self.issuing_state}:{self.document_number}"


@dataclass(frozen=True, slots=True)
class DemoCrossing:
    """One entry or exit of a traveller at a crossing point."""

    id: str
    issuing_state: str
    document_number: str
    nationality: str
    crossing_point: str
    direction: Direction
    at: datetime
    officer: str

    def as_json(self) -> dict[str, Any]:
        """The line of a ``passerelle crossing load`` file."""
        return {
            "id": self.id,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "crossing_point": self.crossing_point,
            "direction": self.direction,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "officer": self.officer,
        }


@dataclass(frozen=True, slots=True)
class WatchlistRecord:
    """A person on the node's watchlist (docs/operator-guide.md, watchlist file line)."""

    id: str
    names: tuple[str, ...]
    birth_date: str | None
    nationalities: tuple[str, ...]
    sex: Literal["M", "F"] | None
    category: Literal["wanted", "travel_ban", "missing", "alert"]
    issued_by: str
    valid_until: date | None = None
    traveller_id: str | None = None
    """The traveller of the world this person is (spelled otherwise), if any: not loaded."""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "names": list(self.names),
            "birth_date": self.birth_date,
            "nationalities": list(self.nationalities),
            "sex": self.sex,
            "category": self.category,
            "issued_by": self.issued_by,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


@dataclass(frozen=True, slots=True)
class StolenDocument:
    """A stolen, lost, revoked or invalidated document (docs/operator-guide.md, SLTD file line)."""

    issuing_state: str
    document_number: str
    document_code: str
    status: Literal["stolen", "lost", "revoked", "invalidated"]
    reported_on: date
    reported_by: str

    def as_json(self) -> dict[str, Any]:
        return {
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "document_code": self.document_code,
            "status": self.status,
            "reported_on": self.reported_on.isoformat(),
            "reported_by": self.reported_by,
        }


@dataclass(frozen=True, slots=True)
class DemoAlert:
    """An alert the node issues: on a person or a document, with the action and whom to call.

    ``issuing_authority`` names the service to contact and how; ``action`` says
    what the officer does at the booth.
    """

    id: str
    category: str
    subject: PersonSubject | DocumentSubject
    issuing_authority: str
    action: str
    valid_from: date
    valid_until: date | None = None

    def as_json(self) -> dict[str, Any]:
        """The object of ``passerelle alert issue --file``."""
        return {
            "id": self.id,
            "category": self.category,
            "subject": self.subject.as_json(),
            "issuing_authority": self.issuing_authority,
            "action": self.action,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


@dataclass(frozen=True, slots=True)
class FaceEnrolment:
    """The demo portrait's place in a 1:N gallery: which list, under which record id."""

    gallery: str
    identity: str
    """The id of the alert (or watchlist person) the face belongs to."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A document to present at the border, and what the node should answer and why."""

    key: str
    title: str
    mrz: str
    direction: Direction
    crossing_point: str
    expected: Expected
    explanation: str
    traveller_id: str | None = None
    live_photo: bool = False
    """Present the demo portrait as the live photo (the face scenario)."""

    @property
    def mrz_lines(self) -> tuple[str, ...]:
        return tuple(self.mrz.split("\n"))


@dataclass(frozen=True, slots=True)
class DemoWorld:
    """Everything a demo node holds, generated from a seed as of a day."""

    seed: int
    as_of: date
    travellers: tuple[Traveller, ...]
    crossings: tuple[DemoCrossing, ...]
    watchlist: tuple[WatchlistRecord, ...]
    sltd: tuple[StolenDocument, ...]
    alerts: tuple[DemoAlert, ...]
    face: FaceEnrolment
    scenarios: tuple[Scenario, ...]

    def traveller(self, traveller_id: str) -> Traveller:
        """The traveller with this id (``KeyError`` when there is none)."""
        for traveller in self.travellers:
            if traveller.id == traveller_id:
                return traveller
        raise KeyError(traveller_id)

    def scenario(self, key: str) -> Scenario:
        """The scenario with this key (``KeyError`` when there is none)."""
        for scenario in self.scenarios:
            if scenario.key == key:
                return scenario
        raise KeyError(key)
