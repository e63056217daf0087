"""Reports of hits on a partner's alert: sent back to the issuing partner, and received here.

When this node's officer files a report on a partner's alert (a discreet check
seen at this border, a specific check made), the report goes back to the partner
that issued the alert, as SIS II hit reports go to the issuing state's SIRENE
bureau. It is queued in the outbox (:func:`queue_hit_report`) in the transaction
that stored it, so it reaches the partner even if its link is down right now::

    alert.hit_report  {"idempotency_key": "report:<id>",
                       "report": {"id", "alert_id", "action_code", "crossing_point",
                                  "direction", "seen_at", "traveller", "observed",
                                  "companions", "vehicle", "route", "filed_at"}}

``traveller`` is the document as read at the border (state, number, names, birth
date, nationality): what the issuer asked to be told about. The officer's name
stays here. The partner applies it once (:func:`apply_hit_report`): the report
must concern one of its own alerts that was shared with this node; it is stored
against that alert (``alert_reports``, ``reported_by`` the sender) and audited
(``exchange.alert.report_receive``), and its analysts see it on the alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.alerts.outgoing import ISSUE_KIND, alert_message_key
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor
from passerelle.federation.transport.outbox import enqueue
from passerelle.records.alert_actions import ACTION_CODES
from passerelle.records.alert_reports import AlertReportView, parse_report
from passerelle.store.alert_reports import ReportEntry, add_report
from passerelle.store.audit import AuditTrail
from passerelle.store.tables import Alert, ExchangeInbox, ExchangeOutbox

__all__ = [
    "HIT_REPORT_KIND",
    "apply_hit_report",
    "hit_report_body",
    "hit_report_handlers",
    "queue_hit_report",
]

HIT_REPORT_KIND = "alert.hit_report"
_TRAVELLER = frozenset(
    {"issuing_state", "document_number", "surname", "given_names", "birth_date", "nationality"}
)


def hit_report_body(report: AlertReportView) -> dict[str, Any]:
    """The ``alert.hit_report`` body of a report filed here on a partner's alert."""
    return {
        "report": {
            "id": report.id,
            "alert_id": report.alert_id,
            "action_code": report.action_code,
            "crossing_point": report.crossing_point,
            "direction": report.direction,
            "seen_at": report.seen_at.isoformat(),
            "traveller": {k: v for k, v in report.traveller.items() if k in _TRAVELLER},
            "observed": report.observed,
            "companions": report.companions,
            "vehicle": report.vehicle,
            "route": report.route,
            "filed_at": report.filed_at.isoformat(),
        }
    }


def queue_hit_report(session: Session, report: AlertReportView, *, now: datetime) -> bool:
    """Queue the report for the partner whose alert it concerns, in ``session``'s
    transaction; False when it is this node's own alert (nothing to send) or already queued."""
    if report.issuing_state is None:
        return False
    return enqueue(
        session,
        peer=report.issuing_state,
        kind=HIT_REPORT_KIND,
        body=hit_report_body(report),
        idempotency_key=f"report:{report.id}",
        now=now,
    )


def _text(data: Mapping[str, Any], field: str, limit: int) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"report.{field}", f"is required: 1 to {limit} characters")
    return value.strip()


def _when(data: Mapping[str, Any], field: str) -> datetime:
    text = _text(data, field, 40)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"report.{field}", f"{text!r} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        raise InvalidInput(f"report.{field}", "must carry a UTC offset")
    return when


def apply_hit_report(
    session: Session, audit: AuditTrail, *, sender: str, body: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """Store a partner's report on one of this node's alerts, once; the answer to send back.

    Refused (``InvalidInput`` naming the field, nothing stored) when malformed, or when
    the alert is not this node's or was never shared with ``sender``.
    """
    key = _text(body, "idempotency_key", 64)
    report = body.get("report")
    if not isinstance(report, Mapping):
        raise InvalidInput("report", "is required: the report filed")
    report_id = _text(report, "id", 32)
    alert_id = _text(report, "alert_id", 64)
    code = _text(report, "action_code", 24)
    if code not in ACTION_CODES:
        raise InvalidInput("report.action_code", f"{code!r} is not an action code")
    direction = _text(report, "direction", 5)
    if direction not in ("entry", "exit"):
        raise InvalidInput("report.direction", f"{direction!r} is not one of entry, exit")
    traveller = report.get("traveller")
    if not isinstance(traveller, Mapping):
        raise InvalidInput("report.traveller", "is required: the document as read")
    words = {name: report.get(name) for name in ("observed", "companions", "vehicle", "route")}
    draft = parse_report({"alert": alert_id, **words})
    if session.get(Alert, alert_id) is None:
        raise InvalidInput("report.alert_id", f"no alert {alert_id!r} on this node")
    shared = session.scalar(
        select(ExchangeOutbox.id).where(
            ExchangeOutbox.peer == sender,
            ExchangeOutbox.kind == ISSUE_KIND,
            ExchangeOutbox.idempotency_key == alert_message_key(alert_id, 1),
        )
    )
    if shared is None:
        raise InvalidInput("report.alert_id", f"alert {alert_id} was never shared with {sender}")
    entry = ReportEntry(
        id=report_id,
        alert_reference=alert_id,
        alert_id=alert_id,
        issuing_state=None,
        reported_by=sender,
        inspection_id=None,
        action_code=code,
        crossing_point=_text(report, "crossing_point", 64),
        direction=direction,
        seen_at=_when(report, "seen_at"),
        traveller={k: v for k, v in traveller.items() if k in _TRAVELLER},
        filed_by=f"peer:{sender}",
        filed_at=_when(report, "filed_at"),
    )
    try:
        with session.begin_nested():
            session.add(
                ExchangeInbox(
                    sender=sender, idempotency_key=key, kind=HIT_REPORT_KIND, received_at=now
                )
            )
    except IntegrityError:
        return {"applied": False, "duplicate": True, "report_id": report_id}
    stored = add_report(session, entry, draft)
    audit.record(
        session,
        actor=peer_actor(sender),
        action="exchange.alert.report_receive",
        at=now,
        query={"alert_id": alert_id, "report_id": report_id},
        result={"applied": stored is not None, "action_code": code},
    )
    return {"applied": stored is not None, "duplicate": False, "report_id": report_id}


def receive_hit_report(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``alert.hit_report``: applied in one transaction, under the
    state of the partner that signed the message."""
    node = message.node
    with node.database.write() as session:
        return apply_hit_report(
            session,
            node.audit,
            sender=message.peer.state,
            body=message.envelope.body,
            now=message.received_at,
        )


def hit_report_handlers() -> dict[str, Handler]:
    """The listener's handler of partners' hit reports, by kind."""
    return {HIT_REPORT_KIND: receive_hit_report}
