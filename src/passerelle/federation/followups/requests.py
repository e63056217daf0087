"""Follow-ups: a partner's hit reference turned into the record, with the owner's consent.

The flow (Prüm: hit/no-hit first, the data only on request and approval)::

    asking node (MAR)                           owning node (BEL)
    ─────────────────                           ─────────────────
    request_follow_up("BEL:BEL-…", why)  ──followup.request──▶  receive: the reference
      stored outgoing, pending                  resolved (given to MAR, not expired),
      audited followup.request                  stored incoming, pending, deadline =
                                                now + the agreement's follow_up_hours;
                                                audited followup.receive
                                        ◀──followup.answer──  approve: the record's data
    receive_answer: applied once                (and nothing else), sharing rules checked
      (exchange_inbox), the follow-up           again; audited followup.approve and
      takes the status and the data;            followup.disclose (purpose: the
      audited followup.answer                   justification). refuse: audited
                                                followup.refuse; the answer says only
                                                "refused" (the note stays home, as a
                                                sharing refusal does). Past the deadline:
                                                expired (followup.expire), answered so.

The request is sent at once (the asker learns at once whether the owner
knows the reference); the answer is queued in the owner's outbox in the
decision's own transaction (``federation.transport.outbox``) and delivered later, with
idempotency key ``followup:<id>``. Both nodes store the follow-up under the
same id (a UUID the asker chooses; the owner refuses an id it already holds
for something else).

An approval to a partner that is disabled is refused (field ``peer``); an approval
queued for a partner disabled before it was delivered is held back and needs a new
decision (``federation.peers.retirement``).

Errors: ``InvalidInput`` naming the field (``reference``, ``justification``,
``note``, ``followup_id``, ``direction``, ``peer``), :class:`FollowUpClosed` (decided or
past its deadline), ``NotFound`` (``id``), :class:`FollowUpUndelivered` (the
owner could not be reached), :class:`FollowUpRefused` (the owner refused).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.exc import ConfigurationError, InvalidInput, NotFound, PasserelleError
from passerelle.federation.followups.handlers import (
    ANSWER_KIND,
    REQUEST_KIND,
    receive_answer,
    receive_request,
)
from passerelle.federation.followups.values import (
    DIRECTIONS,
    FollowUpClosed,
    FollowUpView,
    parse_justification,
    parse_note,
    parse_reference,
    released_fields,
    released_record,
)
from passerelle.federation.peers.directory import PeerDirectory, PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.queries.references import resolve
from passerelle.federation.transport.client import (
    BadReply,
    PeerRefused,
    PeerUnreachable,
    Reply,
)
from passerelle.federation.transport.outbox import enqueue
from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.store.tables import ExchangeFollowUp

__all__ = [
    "ANSWER_KIND",
    "REQUEST_KIND",
    "FollowUpClosed",
    "FollowUpRefused",
    "FollowUpUndelivered",
    "FollowUpView",
    "FollowUps",
    "Sender",
    "receive_answer",
    "receive_request",
]

EXPIRER = Actor(name="system:followups", kind="system", role="node")
"""Who expires a follow-up whose deadline passed."""


class FollowUpRefused(InvalidInput):
    """The owning node refused the request (unknown or expired reference, not allowed)."""

    def __init__(self, peer: str, code: str, detail: str) -> None:
        super().__init__("reference", f"{peer} refused the follow-up ({code}): {detail}")
        self.peer, self.code = peer, code


class FollowUpUndelivered(PasserelleError):
    """The owning node could not be reached: nothing was stored, ask again later."""


class Sender(Protocol):
    """Sends one message and returns the verified reply (``transport.BlockingExchangeClient``)."""

    def send(
        self, peer: PeerView, kind: str, body: Mapping[str, JsonValue], *, timeout: float
    ) -> Reply: ...


class FollowUps:
    """Both sides of follow-ups on one node: ask, receive, decide, list."""

    def __init__(
        self,
        node: Node,
        directory: PeerDirectory,
        *,
        sender: Sender | None = None,
        timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.node = node
        self.directory = directory
        self.sender = sender
        self.timeout = timeout
        self.clock = clock or node.clock

    # -- asking side -------------------------------------------------------------------------

    def request(self, reference: str, justification: str, *, by: Actor) -> FollowUpView:
        """Ask the owner of ``reference`` (``BEL:BEL-…``) for its record; the outgoing follow-up.

        Sent at once; stored only once the owner has taken it. Audited
        (``followup.request``) whether taken, refused, undelivered or answered with a
        reply that does not verify (``BadReply``, raised as it is).
        """
        state, ref = parse_reference(reference)
        why = parse_justification(justification)
        if self.sender is None:
            raise ConfigurationError("federation is not configured on this node: no partner link")
        peer = self.directory.get(state)
        if not peer.enabled:
            raise InvalidInput("reference", f"{state} is disabled on this node")
        followup_id = str(uuid.uuid4())
        body: dict[str, JsonValue] = {
            "followup_id": followup_id,
            "reference": ref,
            "justification": why,
            "requester": by.name,
        }
        try:
            reply = self.sender.send(peer, REQUEST_KIND, body, timeout=self.timeout)
        except PeerRefused as exc:
            self._audit_request(by, peer.state, ref, why, followup_id, f"refused: {exc.code}")
            raise FollowUpRefused(peer.state, exc.code, exc.detail) from exc
        except PeerUnreachable as exc:
            self._audit_request(by, peer.state, ref, why, followup_id, "undelivered")
            raise FollowUpUndelivered(f"{peer.state} could not be reached: {exc.reason}") from exc
        except BadReply as exc:  # the request left; what came back cannot be trusted
            outcome = f"unverified reply: {exc.code}"
            self._audit_request(by, peer.state, ref, why, followup_id, outcome)
            raise
        now = self.clock()
        deadline = _deadline(reply.body.get("deadline_at"), now, peer)
        with self.node.database.write() as session:
            row = ExchangeFollowUp(
                id=followup_id,
                direction="outgoing",
                peer=peer.state,
                reference=ref,
                justification=why,
                requested_by=by.name,
                requested_at=now,
                deadline_at=deadline,
                status="pending",
                decided_by=None,
                decided_at=None,
                decision_note=None,
                released=None,
            )
            session.add(row)
            session.flush()
            self._audit_request(by, peer.state, ref, why, followup_id, "pending", session=session)
            return FollowUpView.of(row)

    def _audit_request(
        self,
        by: Actor,
        peer: str,
        reference: str,
        justification: str,
        followup_id: str,
        outcome: str,
        *,
        session: Session | None = None,
    ) -> None:
        def write(db: Session) -> None:
            self.node.audit.record(
                db,
                actor=by,
                action="followup.request",
                purpose=justification[:500],
                at=self.clock(),
                query={"peer": peer, "reference": reference, "followup": followup_id},
                result={"outcome": outcome},
            )

        if session is not None:
            write(session)
            return
        with self.node.database.write() as db:
            write(db)

    # -- owning side: the analyst's decision --------------------------------------------------

    def approve(self, followup_id: str, note: str | None, *, by: Actor) -> FollowUpView:
        """Release the referenced record (only it) to the asker; the decided follow-up."""
        self.expire_overdue()
        with self.node.database.write() as session:
            row = self._pending_incoming(session, followup_id)
            now = self.clock()
            peer = self.directory.get(row.peer)
            if not peer.enabled:
                raise InvalidInput(
                    "peer", f"{row.peer} is disabled on this node: nothing is disclosed to it"
                )
            held = resolve(session, row.reference, row.peer, now=row.requested_at)
            released = released_record(session, self.node.audit, held, peer)
            self._decide(session, row, "approved", parse_note(note, required=False), by, now)
            row.released = released
            audit = self.node.audit
            query = {"followup": row.id, "peer": row.peer, "reference": row.reference}
            audit.record(
                session,
                actor=by,
                action="followup.approve",
                at=now,
                query=query,
                result={"fields": released_fields(released)},
            )
            audit.record(
                session,
                actor=by,
                action="followup.disclose",
                purpose=row.justification[:500],
                at=now,
                query={**query, "record_type": held.record_type, "record_id": held.record_id},
                result={"fields": released_fields(released), "to": row.peer},
            )
            self._answer(session, row, now, released)
            return FollowUpView.of(row)

    def refuse(self, followup_id: str, note: str, *, by: Actor) -> FollowUpView:
        """Refuse the request (a note is required; it stays on this node)."""
        reason = parse_note(note, required=True)
        self.expire_overdue()
        with self.node.database.write() as session:
            row = self._pending_incoming(session, followup_id)
            now = self.clock()
            self._decide(session, row, "refused", reason, by, now)
            self.node.audit.record(
                session,
                actor=by,
                action="followup.refuse",
                at=now,
                query={"followup": row.id, "peer": row.peer, "reference": row.reference},
                result={"status": "refused"},
            )
            self._answer(session, row, now, None)
            return FollowUpView.of(row)

    def _pending_incoming(self, session: Session, followup_id: str) -> ExchangeFollowUp:
        """The incoming follow-up, locked, still pending and within its deadline."""
        row = session.get(ExchangeFollowUp, followup_id, with_for_update=True)
        if row is None or row.direction != "incoming":
            raise NotFound("id", f"no incoming follow-up {followup_id} on this node")
        if row.status != "pending":
            raise FollowUpClosed("status", f"the follow-up is already {row.status}")
        if self.clock() >= _aware(row.deadline_at):
            raise FollowUpClosed("status", "the deadline has passed: the request expired")
        return row

    def _decide(
        self,
        session: Session,
        row: ExchangeFollowUp,
        status: str,
        note: str | None,
        by: Actor | None,
        now: datetime,
    ) -> None:
        row.status, row.decided_at, row.decision_note = status, now, note
        row.decided_by = by.name if by is not None else None
        session.flush()

    def _answer(
        self, session: Session, row: ExchangeFollowUp, now: datetime, released: Any
    ) -> None:
        enqueue(
            session,
            peer=row.peer,
            kind=ANSWER_KIND,
            body={"followup_id": row.id, "status": row.status, "released": released},
            idempotency_key=f"followup:{row.id}",
            now=now,
        )

    def _expire(self, session: Session, row: ExchangeFollowUp) -> None:
        now = self.clock()
        self._decide(session, row, "expired", None, None, now)
        self.node.audit.record(
            session,
            actor=EXPIRER,
            action="followup.expire",
            at=now,
            query={"followup": row.id, "peer": row.peer, "reference": row.reference},
            result={"deadline_at": row.deadline_at.isoformat()},
        )
        self._answer(session, row, now, None)

    # -- both sides: listing ------------------------------------------------------------------

    def expire_overdue(self) -> int:
        """Expire every pending incoming follow-up past its deadline (answered so); the count."""
        now = self.clock()
        with self.node.database.write() as session:
            rows = session.scalars(
                select(ExchangeFollowUp).where(
                    ExchangeFollowUp.direction == "incoming",
                    ExchangeFollowUp.status == "pending",
                    ExchangeFollowUp.deadline_at <= now,
                )
            ).all()
            for row in rows:
                self._expire(session, row)
            return len(rows)

    def listed(self, direction: str, *, by: Actor, limit: int = 200) -> list[FollowUpView]:
        """The follow-ups of one direction, newest first (overdue ones expired first); audited."""
        if direction not in DIRECTIONS:
            raise InvalidInput("direction", f"{direction!r} is not one of incoming, outgoing")
        self.expire_overdue()
        with self.node.database.write() as session:
            rows = session.scalars(
                select(ExchangeFollowUp)
                .where(ExchangeFollowUp.direction == direction)
                .order_by(ExchangeFollowUp.requested_at.desc())
                .limit(limit)
            ).all()
            views = [FollowUpView.of(row) for row in rows]
            self.node.audit.record(
                session,
                actor=by,
                action="followup.list",
                at=self.clock(),
                query={"direction": direction},
                result={"ids": [v.id for v in views]},
            )
            return views


def _aware(at: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite gives it back naive)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _deadline(value: object, now: datetime, peer: PeerView) -> datetime:
    """The owner's deadline from its reply, else now plus this node's agreed hours."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    return now + timedelta(hours=peer.agreement.follow_up_hours)
