"""What disabling or removing a partner does to what this node still holds for it.

Disabling a partner (``peer.disable``) *holds back* every approved disclosure
queued for it and not yet delivered (a ``followup.answer`` carrying a record):
the message is parked, with ``last_error`` saying why. Enabling the partner
again does not send it: an analyst's approval was given to an enabled partner,
and sending the record once the partner is back needs a new decision, the
administrator's ``passerelle federation requeue STATE`` (audited
``exchange.outbox.requeue``). Refusals, expiries and alerts are not held: they
disclose no record, and alerts are delivered when the partner is enabled again.

Removing a partner (``peer.remove``) is refused while messages to it are still
waiting for delivery (``InvalidInput``, field ``state``), unless forced: then
they are parked, kept in the outbox (``federation requeue`` sends them if the
partner is registered again). In the same transaction, the alerts the partner
issued are withdrawn on this node (no border hit on them any more; the
partner is not told), and its pending follow-up requests are closed as
refused without an answer (there is no one to send it to). Its audit
checkpoints, the references given to it and the replay and idempotency records
stay: they are evidence, kept for their own retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.transport.outbox import PARKED_UNTIL
from passerelle.store.tables import ExchangeFollowUp, ExchangeOutbox, PartnerAlert

__all__ = ["Retirement", "hold_disclosures", "retire"]

DISCLOSURE_KIND = "followup.answer"
"""The outbox kind that carries a released record (``followups.handlers.ANSWER_KIND``)."""

HELD_ON_DISABLE = "held: approved before the partner was disabled; requeue to send (a new decision)"
HELD_ON_REMOVE = "held: the partner was removed; requeue to send if it is registered again"
REMOVED_NOTE = "the partner was removed from this node"


def _waiting(state: str) -> ColumnElement[bool]:
    """Messages to ``state`` neither delivered nor parked."""
    return and_(
        ExchangeOutbox.peer == state,
        ExchangeOutbox.delivered_at.is_(None),
        ExchangeOutbox.next_attempt_at < PARKED_UNTIL,
    )


def hold_disclosures(session: Session, state: str) -> list[str]:
    """Park the approved disclosures queued for ``state`` and not delivered; their keys."""
    rows = session.scalars(
        select(ExchangeOutbox)
        .where(_waiting(state), ExchangeOutbox.kind == DISCLOSURE_KIND)
        .order_by(ExchangeOutbox.id)
    ).all()
    held = [row for row in rows if row.body.get("status") == "approved"]
    for row in held:
        row.next_attempt_at, row.last_error = PARKED_UNTIL, HELD_ON_DISABLE
    session.flush()
    return [row.idempotency_key for row in held]


@dataclass(frozen=True, slots=True)
class Retirement:
    """What removing a partner did: messages parked, its alerts withdrawn, requests closed."""

    parked: int
    alerts_withdrawn: int
    followups_closed: int

    def as_json(self) -> dict[str, int]:
        return {
            "parked": self.parked,
            "alerts_withdrawn": self.alerts_withdrawn,
            "followups_closed": self.followups_closed,
        }


def retire(session: Session, state: str, *, force: bool, by: str, now: datetime) -> Retirement:
    """Settle what this node holds for ``state`` before its registration is deleted."""
    waiting = session.scalars(select(ExchangeOutbox.id).where(_waiting(state))).all()
    if waiting and not force:
        raise InvalidInput(
            "state",
            f"{len(waiting)} message(s) to {state} are still waiting for delivery:"
            " deliver them first, or remove with --force to park them",
        )
    if waiting:
        session.execute(
            update(ExchangeOutbox)
            .where(ExchangeOutbox.id.in_(waiting))
            .values(next_attempt_at=PARKED_UNTIL, last_error=HELD_ON_REMOVE)
        )
    alerts: object = session.execute(
        update(PartnerAlert)
        .where(PartnerAlert.issuing_state == state, PartnerAlert.status == "active")
        .values(status="withdrawn", updated_at=now)
    )
    followups: object = session.execute(
        update(ExchangeFollowUp)
        .where(
            ExchangeFollowUp.peer == state,
            ExchangeFollowUp.direction == "incoming",
            ExchangeFollowUp.status == "pending",
        )
        .values(status="refused", decided_by=by, decided_at=now, decision_note=REMOVED_NOTE)
    )
    return Retirement(len(waiting), _count(alerts), _count(followups))


def _count(result: object) -> int:
    """The rows an UPDATE matched."""
    return int(getattr(result, "rowcount", 0) or 0)
