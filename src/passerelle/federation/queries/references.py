"""Opaque references: what a partner holds after a hit, and the only handle it gets.

A hit answers ``{"result": "hit", "reference": "MAR-…", "score_band": …}``. The
reference is this node's state code, a dash and 26 characters of RFC 4648
base32 (no padding) of 16 random bytes from the operating system's CSPRNG:
128 bits, so it cannot be guessed or derived from the record, and two hits on
the same record give two references. It is stored in ``exchange_references``
with the peer it was given to, the query kind and message id, the local
record it stands for (``sltd``, ``alert`` or ``watchlist`` and its id) and the
score band, and it expires after :data:`REFERENCE_LIFETIME` (30 days: long
enough for a follow-up request and its review, short enough that a stale
reference does not open a record that has changed since).

:func:`resolve` is how the follow-up flow turns a reference back into the
record. Only the peer it was given to may use it; for any other peer it does
not exist (:class:`UnknownReference`, the same answer as for a reference never
issued, so a partner learns nothing by trying another's). An expired one is
refused (:class:`ReferenceExpired`).

:func:`record_answer` ends every query this node answers, hit or not, in the
caller's transaction: it audits each match the sharing rules kept from the
peer (``exchange.share_refused``), issues a reference for the best match it
may disclose (best band, then best score), and audits the answer
(``exchange.query.answer``; actor the peer, ``peer:BEL``; purpose the
query's when given): what was asked, as a local search of the same kind
records it, the result, the count of refused matches and, on a hit, the
reference and the local record it stands for.

::

    ExchangeRefused
    ├── UnknownReference    "unknown_reference"   never issued, or issued to another peer
    └── ReferenceExpired    "reference_expired"   past its expiry
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.protocol.envelope import JsonObject
from passerelle.federation.protocol.errors import ExchangeRefused
from passerelle.federation.protocol.identity import parse_state
from passerelle.federation.queries.bodies import QueryAnswer, ScoreBand
from passerelle.federation.sharing.legal_basis import (
    PeerAgreement,
    Refusal,
    peer_actor,
    record_refused_share,
)
from passerelle.store.audit import AuditTrail
from passerelle.store.tables import ExchangeReference

__all__ = [
    "ANSWER_ACTION",
    "RECORD_TYPES",
    "REFERENCE_LIFETIME",
    "Match",
    "ReferenceExpired",
    "ReferenceView",
    "UnknownReference",
    "format_reference",
    "issue_reference",
    "record_answer",
    "resolve",
]

ANSWER_ACTION = "exchange.query.answer"

REFERENCE_LIFETIME = timedelta(days=30)
"""How long a partner may follow a hit up with its reference."""
RECORD_TYPES = frozenset({"sltd", "alert", "watchlist"})
_RANDOM_BYTES = 16
_REFERENCE = re.compile(r"[A-Z]{3}-[A-Z2-7]{26}")


class UnknownReference(ExchangeRefused):
    """No reference of this text was given to this peer (never issued, or another's)."""

    code = "unknown_reference"


class ReferenceExpired(ExchangeRefused):
    """The reference was given to this peer but is past its expiry."""

    code = "reference_expired"


@dataclass(frozen=True, slots=True)
class ReferenceView:
    """A stored reference and the local record it stands for."""

    reference: str
    peer: str
    kind: str
    record_type: str
    record_id: str
    score_band: str
    message_id: str
    created_at: datetime
    expires_at: datetime


def format_reference(state: str, random: bytes) -> str:
    """The reference text for ``random`` (16 bytes): ``STATE-`` and 26 base32 characters.

    >>> format_reference("mar", bytes(range(16)))
    'MAR-AAAQEAYEAUDAOCAJBIFQYDIOB4'
    """
    if len(random) != _RANDOM_BYTES:
        raise InvalidInput("random", f"must be {_RANDOM_BYTES} bytes, not {len(random)}")
    encoded = base64.b32encode(random).decode("ascii").rstrip("=")
    return f"{parse_state(state)}-{encoded}"


def _view(row: ExchangeReference) -> ReferenceView:
    return ReferenceView(
        reference=row.reference,
        peer=row.peer,
        kind=row.kind,
        record_type=row.record_type,
        record_id=row.record_id,
        score_band=row.score_band,
        message_id=row.message_id,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def issue_reference(
    session: Session,
    *,
    node_state: str,
    peer: str,
    kind: str,
    record_type: str,
    record_id: str,
    score_band: str,
    message_id: str,
    now: datetime,
    lifetime: timedelta = REFERENCE_LIFETIME,
    random: Callable[[int], bytes] = secrets.token_bytes,
) -> ReferenceView:
    """Store a new reference to a local record for ``peer``, in ``session``'s transaction.

    ``random`` gives the bytes (the CSPRNG unless a test passes its own).
    """
    if record_type not in RECORD_TYPES:
        raise InvalidInput("record_type", f"{record_type!r} is not one of {sorted(RECORD_TYPES)}")
    row = ExchangeReference(
        reference=format_reference(node_state, random(_RANDOM_BYTES)),
        peer=parse_state(peer, field="peer"),
        kind=kind,
        record_type=record_type,
        record_id=record_id,
        score_band=score_band,
        message_id=message_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return _view(row)


def resolve(session: Session, reference: str, peer: str, *, now: datetime) -> ReferenceView:
    """The record behind ``reference`` when ``peer`` was given it and it has not expired.

    Raises :class:`UnknownReference` for a malformed reference, one never
    issued and one issued to another peer alike, and :class:`ReferenceExpired`
    at or after its expiry.
    """
    if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
        raise UnknownReference("the reference is not one this node issued", sender=peer)
    row = session.get(ExchangeReference, reference)
    if row is None or row.peer != peer:
        raise UnknownReference(f"no reference {reference} was given to {peer}", sender=peer)
    if now >= row.expires_at:
        raise ReferenceExpired(
            f"reference {reference} expired at {row.expires_at.isoformat()}", sender=peer
        )
    return _view(row)


@dataclass(frozen=True, slots=True)
class Match:
    """A local record a query matched: its score and band, and why it is kept home if so."""

    record_type: str
    """``sltd``, ``alert``, ``watchlist``; ``face`` for a gallery id that is none of those."""
    record_id: str
    score: float
    band: ScoreBand
    refusal: Refusal | None = None


_BAND_ORDER = {"high": 0, "medium": 1, "low": 2}


def record_answer(
    session: Session,
    audit: AuditTrail,
    *,
    node_state: str,
    peer: PeerAgreement,
    kind: str,
    message_id: str,
    purpose: str | None,
    asked: JsonObject,
    matches: Iterable[Match],
    now: datetime,
) -> QueryAnswer:
    """Audit the refused matches, reference the best disclosable one, audit the answer.

    Everything is written in ``session``'s transaction; the answer is a hit
    when any match may be disclosed, else no hit.
    """
    ordered = sorted(
        matches, key=lambda m: (_BAND_ORDER[m.band], -m.score, m.record_type, m.record_id)
    )
    for match in ordered:
        if match.refusal is not None:
            record_refused_share(
                session,
                audit,
                peer=peer,
                kind=kind,
                message_id=message_id,
                record_type=match.record_type,
                record_id=match.record_id,
                refusal=match.refusal,
                at=now,
            )
    best = next((m for m in ordered if m.refusal is None), None)
    result: dict[str, Any] = {"result": "no_hit", "refused": sum(1 for m in ordered if m.refusal)}
    answer = QueryAnswer("no_hit")
    if best is not None:
        reference = issue_reference(
            session,
            node_state=node_state,
            peer=peer.state,
            kind=kind,
            record_type=best.record_type,
            record_id=best.record_id,
            score_band=best.band,
            message_id=message_id,
            now=now,
        )
        answer = QueryAnswer("hit", reference.reference, best.band)
        result |= {
            "result": "hit",
            "reference": reference.reference,
            "score_band": best.band,
            "record_type": best.record_type,
            "record_id": best.record_id,
        }
    audit.record(
        session,
        actor=peer_actor(peer),
        action=ANSWER_ACTION,
        purpose=purpose,
        at=now,
        query={"peer": peer.state, "kind": kind, "message_id": message_id, **asked},
        result=result,
    )
    return answer
