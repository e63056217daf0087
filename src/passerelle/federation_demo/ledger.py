"""What a node's exchange tables say, read from its database: the convergence evidence.

No command or endpoint shows a node's partner alerts, inbox or outbox (they
are the exchange's own bookkeeping), so the demo reads them from the node's
database, read-only, while the node runs: ``partner_alerts`` (alerts a
partner shared, as last applied), ``exchange_inbox`` (idempotency keys of the
partners' messages applied) and ``exchange_outbox`` (messages to partners,
delivered or waiting). The asking node's own audit records of the queries it
sent (``exchange.query.ask``) say what became of each partner's query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from passerelle.store.db import Database
from passerelle.store.tables import (
    Alert,
    AlertEvent,
    AuditPayload,
    AuditRecord,
    ExchangeInbox,
    ExchangeOutbox,
    PartnerAlert,
)

__all__ = [
    "ASK_ACTION",
    "HeldAlert",
    "OutboxEntry",
    "held_partner_alerts",
    "inbox_keys",
    "outbox_entries",
    "own_alerts",
    "partner_alerts_by_issuer",
    "partners_asked",
    "routes_asked",
]


@dataclass(frozen=True, slots=True, order=True)
class HeldAlert:
    """A partner's alert as this node holds it: the id, its status and the version applied."""

    alert_id: str
    status: str
    version: int


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One message in the outbox: to whom, its key, and whether it was delivered."""

    peer: str
    idempotency_key: str
    delivered: bool
    attempts: int
    last_error: str | None


def held_partner_alerts(database: Database, issuing_state: str) -> list[HeldAlert]:
    """The alerts ``issuing_state`` shared that this node holds, by id."""
    with database.read() as session:
        rows = session.scalars(
            select(PartnerAlert)
            .where(PartnerAlert.issuing_state == issuing_state)
            .order_by(PartnerAlert.alert_id)
        )
        return [HeldAlert(row.alert_id, row.status, row.version) for row in rows]


def partner_alerts_by_issuer(database: Database) -> dict[tuple[str, str], HeldAlert]:
    """Every partner alert this node holds, by (issuing state, alert id): one read."""
    with database.read() as session:
        rows = session.scalars(select(PartnerAlert))
        return {
            (row.issuing_state, row.alert_id): HeldAlert(row.alert_id, row.status, row.version)
            for row in rows
        }


def inbox_keys(database: Database, sender: str) -> list[str]:
    """The idempotency keys of ``sender``'s messages this node applied, sorted."""
    with database.read() as session:
        keys = session.scalars(
            select(ExchangeInbox.idempotency_key).where(ExchangeInbox.sender == sender)
        )
        return sorted(keys)


def outbox_entries(database: Database, peer: str) -> list[OutboxEntry]:
    """This node's messages to ``peer``, oldest first."""
    with database.read() as session:
        rows = session.scalars(
            select(ExchangeOutbox).where(ExchangeOutbox.peer == peer).order_by(ExchangeOutbox.id)
        )
        return [
            OutboxEntry(
                row.peer,
                row.idempotency_key,
                row.delivered_at is not None,
                row.attempts,
                row.last_error,
            )
            for row in rows
        ]


def own_alerts(database: Database) -> list[HeldAlert]:
    """This node's own alerts as a partner should hold them: status and version (the number
    of steps in the alert's life, as ``federation.alerts.outgoing`` counts them), by id."""
    with database.read() as session:
        counted = select(AlertEvent.alert_id, func.count()).group_by(AlertEvent.alert_id)
        steps: dict[str, int] = {row[0]: row[1] for row in session.execute(counted)}
        alerts = session.execute(select(Alert.id, Alert.status).order_by(Alert.id))
        return [HeldAlert(row[0], row[1], steps.get(row[0], 0)) for row in alerts]


ASK_ACTION = "exchange.query.ask"
"""The audit action of a query sent to a partner (``federation.queries.outbound_audit``)."""


def partners_asked(database: Database, inspection_id: str) -> dict[tuple[str, str], str]:
    """What each partner answered each query of one inspection, as the asking node audited
    it: ``(peer, kind)`` to ``hit``, ``no_hit``, ``timeout``, ``unreachable`` ..."""
    return {key: status for key, (status, _) in _asked(database, inspection_id).items()}


def routes_asked(database: Database, inspection_id: str) -> dict[str, str]:
    """How each partner was asked in one inspection: ``direct``, or ``hub`` (the asking
    node's audit names the hub it went through)."""
    return {peer: route for (peer, _), (_, route) in _asked(database, inspection_id).items()}


def _asked(database: Database, inspection_id: str) -> dict[tuple[str, str], tuple[str, str]]:
    with database.read() as session:
        rows = session.execute(
            select(AuditPayload.query, AuditPayload.result)
            .join(AuditRecord, AuditRecord.seq == AuditPayload.seq)
            .where(AuditRecord.action == ASK_ACTION)
            .order_by(AuditRecord.seq.desc())
            .limit(500)
        )
        return {
            (str(query["peer"]), str(query["kind"])): (
                str((result or {}).get("result")),
                str(query.get("route") or "direct"),
            )
            for query, result in rows
            if query and query.get("inspection") == inspection_id
        }
