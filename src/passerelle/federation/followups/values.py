"""Follow-up values: the stored view, the message bodies, and the record a release carries.

Pure except :func:`released_record`, which reads the one record a reference
stands for in the caller's session. Bad values raise ``InvalidInput`` naming
the field; a follow-up that can no longer change raises :class:`FollowUpClosed`.

What an approval releases (and nothing else)::

    sltd       {"record_type": "sltd", "issuing_state", "document_number",
                "document_code", "status", "reported_on", "reported_by"}
    alert      {"record_type": "alert", "id", "category", "subject", "action", "contact"}
    watchlist  {"record_type": "watchlist", "id", "names", "birth_date",
                "nationalities", "category"}
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput, NotFound
from passerelle.federation.protocol.identity import parse_state
from passerelle.federation.queries.references import ReferenceView
from passerelle.federation.sharing.legal_basis import (
    PeerAgreement,
    may_disclose_alert,
    may_disclose_sltd,
    may_disclose_watchlist_person,
)
from passerelle.records.alerts import UnknownAlert
from passerelle.records.text import plain_text
from passerelle.store.alerts import AlertRegistry
from passerelle.store.audit import AuditTrail
from passerelle.store.sltd import SltdRegistry
from passerelle.store.tables import ExchangeFollowUp
from passerelle.store.watchlist import WatchlistRegistry

__all__ = [
    "ANSWER_STATUSES",
    "DIRECTIONS",
    "FollowUpClosed",
    "FollowUpView",
    "parse_followup_id",
    "parse_justification",
    "parse_note",
    "parse_reference",
    "released_fields",
    "released_record",
    "text_field",
]

DIRECTIONS = frozenset({"incoming", "outgoing"})
ANSWER_STATUSES = frozenset({"approved", "refused", "expired"})
_MAX_TEXT = 2000
_MIN_JUSTIFICATION = 10
_REFERENCE = re.compile(r"(?:(?P<state>[A-Za-z]{3}):)?(?P<reference>[A-Za-z]{3}-[A-Z2-7]{26})")


class FollowUpClosed(InvalidInput):
    """The follow-up was already decided, or its deadline has passed."""


@dataclass(frozen=True, slots=True)
class FollowUpView:
    """A follow-up request as stored on this node (either direction)."""

    id: str
    direction: str
    peer: str
    reference: str
    justification: str
    requested_by: str
    requested_at: datetime
    deadline_at: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    released: dict[str, Any] | None

    @classmethod
    def of(cls, row: ExchangeFollowUp) -> FollowUpView:
        return cls(
            id=row.id,
            direction=row.direction,
            peer=row.peer,
            reference=row.reference,
            justification=row.justification,
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            deadline_at=row.deadline_at,
            status=row.status,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            decision_note=row.decision_note,
            released=row.released,
        )

    def seconds_left(self, now: datetime) -> int:
        """Seconds until the deadline (0 once past)."""
        return max(0, int((self.deadline_at - now).total_seconds()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "direction": self.direction,
            "peer": self.peer,
            "reference": self.reference,
            "justification": self.justification,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at.isoformat(),
            "deadline_at": self.deadline_at.isoformat(),
            "status": self.status,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "decision_note": self.decision_note,
            "released": self.released,
        }


def text_field(
    value: object, field: str, *, limit: int, minimum: int = 1, multiline: bool = False
) -> str:
    """A required text of ``minimum`` to ``limit`` characters (blanks folded at the ends),
    holding no control character (line breaks and tabs pass when ``multiline``)."""
    if not isinstance(value, str) or len(value.strip()) < minimum:
        raise InvalidInput(field, f"is required: at least {minimum} character(s)")
    if len(value.strip()) > limit:
        raise InvalidInput(field, f"is longer than {limit} characters")
    return plain_text(field, value.strip(), multiline=multiline)


def parse_justification(value: object) -> str:
    """Why the record is asked for: 10 to 2,000 characters (the owner's analyst reads it)."""
    return text_field(
        value, "justification", limit=_MAX_TEXT, minimum=_MIN_JUSTIFICATION, multiline=True
    )


def parse_note(value: object, *, required: bool) -> str | None:
    """An analyst's decision note: required to refuse, at most 2,000 characters."""
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    return text_field(value, "note", limit=_MAX_TEXT, multiline=True)


def parse_followup_id(value: object) -> str:
    """A follow-up id: a UUID in its canonical form."""
    try:
        return str(uuid.UUID(str(value))) if isinstance(value, str) else _bad_id()
    except ValueError:
        return _bad_id()


def _bad_id() -> NoReturn:
    raise InvalidInput("followup_id", "must be a UUID")


def parse_reference(text: str) -> tuple[str, str]:
    """The owner's state and the reference, from ``BEL:BEL-…`` (as a federation hit names it)
    or the bare ``BEL-…`` (the owner is its prefix).

    >>> parse_reference("BEL:BEL-AAAQEAYEAUDAOCAJBIFQYDIOB4")
    ('BEL', 'BEL-AAAQEAYEAUDAOCAJBIFQYDIOB4')
    """
    found = _REFERENCE.fullmatch(text.strip()) if isinstance(text, str) else None
    if found is None:
        raise InvalidInput("reference", "must be STATE:REFERENCE as the federation hit gives it")
    reference = found["reference"].upper()
    state = parse_state(found["state"] or reference[:3], field="reference")
    if not reference.startswith(f"{state}-"):
        raise InvalidInput("reference", f"{reference} is not a reference {state} issued")
    return state, reference


def released_record(
    session: Session, audit: AuditTrail, reference: ReferenceView, peer: PeerAgreement
) -> dict[str, Any]:
    """The referenced record's data a partner may receive, checked against the sharing rules
    now; ``InvalidInput`` (field ``reference``) when it is gone or may no longer leave."""
    kind, record_id = reference.record_type, reference.record_id
    if kind == "sltd":
        state, _, number = record_id.partition(":")
        found = [m for m in SltdRegistry().lookup(session, state, number) if m.match == "exact"]
        if not found:
            raise NotFound("reference", f"the document record {record_id} is no longer held")
        match = found[0]
        _allowed(may_disclose_sltd(match, peer))
        return {
            "record_type": "sltd",
            "issuing_state": match.issuing_state,
            "document_number": match.document_number,
            "document_code": match.document_code,
            "status": match.status,
            "reported_on": match.reported_on.isoformat(),
            "reported_by": match.reported_by,
        }
    if kind == "alert":
        try:
            alert = AlertRegistry(audit).get(session, record_id)
        except UnknownAlert as exc:
            raise NotFound("reference", f"the alert {record_id} is no longer held") from exc
        _allowed(may_disclose_alert(alert, peer))
        return {
            "record_type": "alert",
            "id": alert.id,
            "category": alert.category,
            "subject": alert.subject.as_json(),
            "action": alert.action,
            "contact": alert.issuing_authority,
        }
    if kind == "watchlist":
        person = WatchlistRegistry().get(session, record_id)
        if person is None or person.status != "active":
            raise NotFound("reference", f"the watchlist person {record_id} is no longer listed")
        _allowed(may_disclose_watchlist_person(person, peer))
        return {
            "record_type": "watchlist",
            "id": person.id,
            "names": list(person.names),
            "birth_date": person.birth_date,
            "nationalities": list(person.nationalities),
            "category": person.category,
        }
    raise InvalidInput("reference", f"a {kind} record is never released to a partner")


def _allowed(refusal: object) -> None:
    reason = getattr(refusal, "reason", None)
    if refusal is not None:
        raise InvalidInput(
            "reference", f"the sharing rules keep this record home now ({reason}): refuse it"
        )


def released_fields(released: Mapping[str, Any] | None) -> list[str]:
    """The names of the fields a release carried (what audit records keep of it)."""
    return sorted(released) if released else []
