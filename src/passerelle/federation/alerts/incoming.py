"""Alerts partners share with this node: what an alert message says, and applying it once.

A node that issues or withdraws an alert sends each partner its agreement
allows one message (``federation.alerts.outgoing`` queues them in the alert's own
transaction). The bodies::

    alert.issue     {"idempotency_key": "...", "version": 1, "issued_at": "ISO",
                     "action_code": "discreet_check",
                     "alert": {"id", "category", "subject", "issuing_authority",
                               "action", "valid_from", "valid_until"}}
    alert.withdraw  {"idempotency_key": "...", "version": 3, "alert_id": "..."}

A ``forged_document`` alert's reference images (``records.forgeries``: at most four
PNG or JPEG images, 512 KiB together) travel beside ``alert`` too, as
``"reference_images": [{"media_type", "data" (base64), "caption"}]``, signed with the
rest of the message; they are checked by the same parser as at the issuing node and
stored with the partner's alert (``partner_alerts.reference_images``).

``action_code`` (``records.alert_actions``) is what a hit asks this node's border
to do. It travels beside ``alert``, not in it: a node older than the action codes
refuses an ``alert`` with a field it does not know, and ignores one beside it. An
``alert.issue`` without it (from such an older partner) gets the category's
default; an unknown code is refused naming ``action_code``.

``alert`` is the alert as ``passerelle alert issue`` reads it (checked by the same
parser), never its sharing marks: an alert that may not leave is never sent.
``version`` is the number of steps in the alert's life when the message was
made; messages about one alert are ordered by it, whatever order they arrive in
(a retry overtaking a later one, an issue parked at the sender and requeued
after its withdrawal was delivered):

- a message whose version is not above the highest this node holds for the
  alert (its ``partner_alerts`` row or its tombstone) changes nothing and is
  audited ``stale``;
- a withdrawal is kept as a tombstone (``partner_alert_tombstones``: state, id,
  version; no subject, so never screened), also of an alert never received
  (audited ``tombstone``), so an issue of that version or below arriving later
  is stale: only a strictly higher version can issue the alert again (the
  issuing node never does: a withdrawal is final there).

:func:`apply_alert_message` runs in the caller's transaction: it records the
idempotency key in ``exchange_inbox`` (a key seen before: nothing happens, the
answer says so), stores or updates ``partner_alerts`` (and the tombstone) under
the sender's state (taken from the verified envelope, never from the body) and
audits ``exchange.alert.receive`` with its ``outcome``. Partner alerts in force
are checked at this node's border like its own (:func:`partner_alerts_on`).

:func:`receive_alert`, the listener's handler, first holds the message to the
agreement with the sender (``federation.alerts.agreement``: category, id
namespace); a message outside it is refused and nothing is applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.federation.alerts.agreement import check_alert_agreement
from passerelle.federation.transport.inbound import Handler, InboundMessage, peer_actor
from passerelle.records.alert_actions import action_code, default_for_alert
from passerelle.records.alerts import AlertView, parse_alert, subject_key
from passerelle.records.forgeries import ReferenceImage
from passerelle.records.partner_alerts import PartnerAlertView
from passerelle.store.audit import AuditTrail
from passerelle.store.partner_alerts import (
    lock_partner_alert,
    partner_alert_view,
    partner_alerts_on,
)
from passerelle.store.tables import ExchangeInbox, PartnerAlert, PartnerAlertTombstone

__all__ = [
    "ALERT_KINDS",
    "APPLIED",
    "STALE",
    "TOMBSTONE",
    "PartnerAlertView",
    "alert_handlers",
    "alert_issue_body",
    "alert_withdraw_body",
    "apply_alert_message",
    "partner_alert_view",
    "partner_alerts_on",
    "receive_alert",
]

ALERT_KINDS = ("alert.issue", "alert.withdraw")
APPLIED, STALE, TOMBSTONE = "applied", "stale", "tombstone"
"""Outcomes of a first-seen alert message: applied; not above the version held
(nothing changed); a withdrawal of an alert never received (kept as a tombstone)."""
_KEY_MAX = 64


def alert_issue_body(
    alert: AlertView,
    *,
    version: int,
    idempotency_key: str,
    images: Sequence[ReferenceImage] = (),
) -> dict[str, Any]:
    """The ``alert.issue`` body for one of this node's alerts (shareable: checked by the caller),
    with its reference ``images`` when it has any."""
    pictures = {"reference_images": [image.as_json() for image in images]} if images else {}
    return pictures | {
        "idempotency_key": idempotency_key,
        "version": version,
        "issued_at": alert.created_at.isoformat(),
        "action_code": alert.asks,
        "alert": {
            "id": alert.id,
            "category": alert.category,
            "subject": alert.subject.as_json(),
            "issuing_authority": alert.issuing_authority,
            "action": alert.action,
            "valid_from": alert.valid_from.isoformat(),
            "valid_until": alert.valid_until.isoformat() if alert.valid_until else None,
        },
    }


def alert_withdraw_body(alert_id: str, *, version: int, idempotency_key: str) -> dict[str, Any]:
    """The ``alert.withdraw`` body."""
    return {"idempotency_key": idempotency_key, "version": version, "alert_id": alert_id}


def _text(body: Mapping[str, Any], field: str, *, limit: int) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "is required (a non-empty string)")
    if len(value) > limit:
        raise InvalidInput(field, f"is longer than {limit} characters")
    return value.strip()


def _version(body: Mapping[str, Any]) -> int:
    value = body.get("version")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**31:
        raise InvalidInput("version", "must be a positive whole number")
    return value


def _first_sight(session: Session, sender: str, key: str, kind: str, now: datetime) -> bool:
    try:
        with session.begin_nested():
            session.add(
                ExchangeInbox(sender=sender, idempotency_key=key, kind=kind, received_at=now)
            )
    except IntegrityError:
        return False
    return True


def apply_alert_message(
    session: Session,
    audit: AuditTrail,
    *,
    sender: str,
    kind: str,
    body: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """Apply a partner's ``alert.issue`` or ``alert.withdraw``, once; the answer to send back.

    Raises ``InvalidInput`` naming the field for a malformed body (nothing stored).
    """
    if kind not in ALERT_KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of {', '.join(ALERT_KINDS)}")
    key = _text(body, "idempotency_key", limit=_KEY_MAX)
    version = _version(body)
    if kind == "alert.issue":
        record = body.get("alert")
        if not isinstance(record, Mapping):
            raise InvalidInput("alert", "is required: the alert as issued")
        draft = parse_alert(
            {**record, "reference_images": body.get("reference_images")}
            if "reference_images" in body
            else record
        )
        code = action_code(body, draft.category) if "action_code" in body else draft.action_code
        if draft.id is None:
            raise InvalidInput("alert.id", "is required: the issuing node's alert id")
        alert_id = draft.id
        if draft.valid_from is None:
            raise InvalidInput("alert.valid_from", "is required")
    else:
        alert_id = _text(body, "alert_id", limit=64)
    if not _first_sight(session, sender, key, kind, now):
        return {"applied": False, "duplicate": True, "alert_id": alert_id}
    lock_partner_alert(session, sender, alert_id)
    row = session.get(PartnerAlert, (sender, alert_id), with_for_update=True)
    tombstone = session.get(PartnerAlertTombstone, (sender, alert_id), with_for_update=True)
    held = max(row.version if row else 0, tombstone.version if tombstone else 0)
    outcome = APPLIED if version > held else STALE
    if kind == "alert.issue" and outcome == APPLIED:
        subject = draft.subject
        values = {
            "category": draft.category,
            "subject": subject.as_json(),
            "subject_key": subject_key(subject),
            "action": draft.action,
            "action_code": code or default_for_alert(draft.category),
            "contact": draft.issuing_authority,
            "status": "active",
            "version": version,
            "valid_from": draft.valid_from,
            "valid_until": draft.valid_until,
            "updated_at": now,
            "reference_images": [image.as_json() for image in draft.reference_images] or None,
        }
        if row is None:
            session.add(
                PartnerAlert(
                    issuing_state=sender,
                    alert_id=alert_id,
                    issued_at=now,
                    received_at=now,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
    elif kind == "alert.withdraw" and outcome == APPLIED:
        if tombstone is None:
            session.add(
                PartnerAlertTombstone(
                    issuing_state=sender, alert_id=alert_id, version=version, withdrawn_at=now
                )
            )
        else:
            tombstone.version, tombstone.withdrawn_at = version, now
        if row is None:
            outcome = TOMBSTONE  # its issue has not arrived (parked, or on its way)
        else:
            row.status, row.version, row.updated_at = "withdrawn", version, now
    session.flush()
    applied = outcome != STALE
    audit.record(
        session,
        actor=peer_actor(sender),
        action="exchange.alert.receive",
        at=now,
        query={"kind": kind, "alert_id": alert_id, "version": version},
        result={"applied": applied, "outcome": outcome, "held_version": held},
    )
    return {"applied": applied, "duplicate": False, "outcome": outcome, "alert_id": alert_id}


def receive_alert(message: InboundMessage) -> dict[str, Any]:
    """The listener's handler for ``alert.issue`` and ``alert.withdraw``: applied in one
    transaction, under the state of the partner that signed the message, once the agreement
    with it covers the message (``federation.alerts.agreement``: refused otherwise)."""
    node = message.node
    check_alert_agreement(
        sender=message.peer.state,
        receiver=message.envelope.recipient,
        agreement=message.peer.agreement,
        kind=message.envelope.kind,
        body=message.envelope.body,
    )
    with node.database.write() as session:
        return apply_alert_message(
            session,
            node.audit,
            sender=message.peer.state,
            kind=message.envelope.kind,
            body=message.envelope.body,
            now=message.received_at,
        )


def alert_handlers() -> dict[str, Handler]:
    """The listener's handlers of partners' alert messages, by kind."""
    return dict.fromkeys(ALERT_KINDS, receive_alert)
