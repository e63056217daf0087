"""This node's alerts to its partners: queued in the outbox, in the alert's own transaction.

:func:`sync_alert_step` is the alert registry's listener: the composition root
(``passerelle.wiring.alert_registry``) gives it to the one registry that every face
issues and withdraws alerts through (the API and its pages, ``passerelle alert``,
demo seeding), and it runs after every step of an alert's life, in the same
transaction. A step rolled back leaves no message; a message written is delivered
later (``federation.transport.delivery``), whatever happens to the process in between.

===========  ===============================================================
step         what is queued
===========  ===============================================================
issue        ``alert.issue`` (version 1) to each *enabled* partner the
             legal-basis filter (``sharing.may_disclose_alert``) allows; for
             each other enabled partner the refusal is audited
             (``exchange.share_refused``, actor ``peer:XXX``) and nothing is
             queued, so a restricted or non-shareable alert goes nowhere
withdraw     ``alert.withdraw`` to every partner the issue was queued for, even
             if the agreement changed or the partner was disabled since: a
             partner that holds the alert must hear that it is withdrawn
hit, rearm   nothing: a border hit is this node's business
expire       nothing: the partner holds ``valid_until`` and stops applying
             the alert itself (``PartnerAlertView.in_force``); an
             ``alert.withdraw`` would tell it something that did not happen
===========  ===============================================================

A partner added after alerts were issued, one re-enabled, or one whose agreement
now takes more categories, is sent what it missed: :func:`backfill_alerts` (called
by ``PeerDirectory.add``, ``update`` and ``enable`` in their own transaction)
queues the ``alert.issue`` of every alert still live and in force that the
legal-basis filter lets it receive, under the same idempotency key the issue
would have had (``alert:{id}:1``), so an alert already queued for it is not
queued again and a later withdrawal reaches it like any other recipient. The
refusals are counted in one audit record (``exchange.alerts_backfill``), not one
per alert: a national node holds thousands.

``version`` is the alert's ``alert_events`` rows once the step is written, so a
withdrawal always carries a higher version than the issue it undoes. The
idempotency key is ``alert:{id}:{version}`` (the id hashed when the key would
pass 64 characters): a step queued twice is stored once, and a redelivery is
applied once by the partner. Partners are read from ``exchange_peers`` in the
caller's session, so the agreement used is the one the transaction sees.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.federation.alerts.incoming import alert_issue_body, alert_withdraw_body
from passerelle.federation.peers.values import Agreement
from passerelle.federation.sharing.legal_basis import may_disclose_alert, record_refused_share
from passerelle.federation.transport.outbox import MAX_KEY, enqueue
from passerelle.records.alerts import LIVE_STATUSES, AlertView
from passerelle.records.forgeries import FORGERY_CATEGORY
from passerelle.store.alerts import AlertRegistry, AlertStep, alert_reference_images
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.tables import ExchangeOutbox, ExchangePeer

__all__ = [
    "BACKFILL",
    "ISSUE_KIND",
    "WITHDRAW_KIND",
    "Backfill",
    "alert_message_key",
    "backfill_alerts",
    "queue_alert_issue",
    "queue_alert_withdrawal",
    "sync_alert_step",
]

log = logging.getLogger("passerelle.federation")

ISSUE_KIND = "alert.issue"
WITHDRAW_KIND = "alert.withdraw"
_ISSUE_VERSION = 1
"""An alert's first step is its issue: its ``alert.issue`` is always version 1."""
BACKFILL = "exchange.alerts_backfill"
"""The audit action of alerts queued for a partner that missed their issue."""


@dataclass(frozen=True, slots=True)
class _Partner:
    """An enabled partner's state and agreement (what ``sharing`` reads of a peer)."""

    state: str
    agreement: Agreement


def alert_message_key(alert_id: str, version: int) -> str:
    """The idempotency key of an alert's message at ``version``.

    >>> alert_message_key("MAR-2026-0042", 3)
    'alert:MAR-2026-0042:3'
    >>> len(alert_message_key("x" * 64, 1)) <= 64
    True
    """
    key = f"alert:{alert_id}:{version}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(alert_id.encode("utf-8")).hexdigest()[:40]
    return f"alert:#{digest}:{version}"


def _enabled_partners(session: Session) -> list[_Partner]:
    rows = session.scalars(
        select(ExchangePeer).where(ExchangePeer.enabled.is_(True)).order_by(ExchangePeer.state)
    )
    return [
        _Partner(row.state, Agreement(alert_categories=tuple(row.alert_categories))) for row in rows
    ]


def _issue_body(session: Session, alert: AlertView, *, version: int, key: str) -> dict[str, Any]:
    """The ``alert.issue`` body of ``alert``, with its reference images (a forgery alert's)."""
    images = alert_reference_images(session, alert.id) if alert.category == FORGERY_CATEGORY else ()
    return alert_issue_body(alert, version=version, idempotency_key=key, images=images)


def queue_alert_issue(
    session: Session, audit: AuditTrail, alert: AlertView, *, version: int, now: datetime
) -> list[str]:
    """Queue ``alert.issue`` for every enabled partner allowed to receive ``alert``; the states.

    Each refusal is audited in ``session``'s transaction (``exchange.share_refused``,
    the message id field holding the idempotency key: no message was made).
    """
    key = alert_message_key(alert.id, version)
    body = _issue_body(session, alert, version=version, key=key)
    queued = []
    for partner in _enabled_partners(session):
        refusal = may_disclose_alert(alert, partner)
        if refusal is not None:
            record_refused_share(
                session,
                audit,
                peer=partner,
                kind=ISSUE_KIND,
                message_id=key,
                record_type="alert",
                record_id=alert.id,
                refusal=refusal,
                at=now,
            )
            continue
        enqueue(
            session, peer=partner.state, kind=ISSUE_KIND, body=body, idempotency_key=key, now=now
        )
        queued.append(partner.state)
    return queued


def queue_alert_withdrawal(
    session: Session, alert: AlertView, *, version: int, now: datetime
) -> list[str]:
    """Queue ``alert.withdraw`` for every partner the alert's issue was queued for; the states."""
    issue_key = alert_message_key(alert.id, _ISSUE_VERSION)
    recipients = session.scalars(
        select(ExchangeOutbox.peer)
        .where(ExchangeOutbox.kind == ISSUE_KIND, ExchangeOutbox.idempotency_key == issue_key)
        .distinct()
        .order_by(ExchangeOutbox.peer)
    ).all()
    key = alert_message_key(alert.id, version)
    body = alert_withdraw_body(alert.id, version=version, idempotency_key=key)
    for state in recipients:
        enqueue(
            session,
            peer=state,
            kind=WITHDRAW_KIND,
            body=body,
            idempotency_key=key,
            now=now,
        )
    return list(recipients)


def sync_alert_step(session: Session, audit: AuditTrail, step: AlertStep) -> None:
    """The registry's listener: queue what ``step`` means for partners (module docstring)."""
    if step.step == "issue":
        states = queue_alert_issue(session, audit, step.alert, version=step.version, now=step.at)
    elif step.step == "withdraw":
        states = queue_alert_withdrawal(session, step.alert, version=step.version, now=step.at)
    else:
        return
    log.info(
        "exchange.alert.queued",
        extra={"step": step.step, "version": step.version, "partners": len(states)},
    )


@dataclass(frozen=True, slots=True)
class Backfill:
    """What :func:`backfill_alerts` did for one partner."""

    partner: str
    queued: tuple[str, ...]
    """The alerts queued now (ids)."""
    already_queued: int
    """Live alerts the partner was sent before (their issue is in the outbox)."""
    refused: Mapping[str, int]
    """Live alerts kept from it, counted by refusal code."""

    def as_json(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "queued": len(self.queued),
            "alerts": list(self.queued),
            "already_queued": self.already_queued,
            "refused": dict(self.refused),
        }


def backfill_alerts(
    session: Session, audit: AuditTrail, state: str, *, actor: Actor, now: datetime
) -> Backfill:
    """Queue for partner ``state`` the issue of every live alert it may hold but was not sent.

    Live: active or hit, and not past ``valid_until`` (an alert valid from a later
    day is sent: the partner holds ``valid_from``). Nothing is queued for a
    partner that is not enabled. Audited once, in ``session``'s transaction, when
    anything was queued or refused.
    """
    row = session.get(ExchangePeer, state)
    if row is None or not row.enabled:
        return Backfill(state, (), 0, {})
    partner = _Partner(row.state, Agreement(alert_categories=tuple(row.alert_categories)))
    sent = set(
        session.scalars(
            select(ExchangeOutbox.idempotency_key).where(
                ExchangeOutbox.peer == state, ExchangeOutbox.kind == ISSUE_KIND
            )
        )
    )
    today = now.date()
    queued: list[str] = []
    already = 0
    refused: Counter[str] = Counter()
    registry = AlertRegistry(audit)
    live = [alert for status in sorted(LIVE_STATUSES) for alert in registry.list(session, status)]
    for alert in sorted(live, key=lambda alert: (alert.created_at, alert.id)):  # oldest first
        if alert.valid_until is not None and alert.valid_until < today:
            continue  # past its end: the expiry job has not run yet
        refusal = may_disclose_alert(alert, partner)
        if refusal is not None:
            refused[refusal.code] += 1
            continue
        key = alert_message_key(alert.id, _ISSUE_VERSION)
        if key in sent:
            already += 1
            continue
        body = _issue_body(session, alert, version=_ISSUE_VERSION, key=key)
        if enqueue(session, peer=state, kind=ISSUE_KIND, body=body, idempotency_key=key, now=now):
            queued.append(alert.id)
        else:
            already += 1
    done = Backfill(state, tuple(queued), already, dict(sorted(refused.items())))
    if queued or refused:
        result = done.as_json()
        del result["alerts"]  # ids of what left are in the outbox; counts suffice here
        audit.record(
            session, actor=actor, action=BACKFILL, at=now, query={"state": state}, result=result
        )
        log.info("exchange.alerts_backfilled", extra={"partner": state, "queued": len(queued)})
    return done
