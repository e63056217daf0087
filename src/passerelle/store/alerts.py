"""The node's own alerts: a person, a document or a vehicle to act on at the border.

Categories (closed list) and the subjects each may concern, after the Schengen
Information System's alert types (Regulation (EU) 2018/1862 and 2018/1861):

===================  =========================  ====================================
category             subject kinds              meaning at the border
===================  =========================  ====================================
``wanted``           person                     arrest for surrender or extradition
``missing_person``   person                     missing, or to be protected
``travel_ban``       person                     refuse entry or exit
``surveillance``     person, document, vehicle  discreet check: report, do not alert
``stolen_document``  document                   seize the document
``stolen_vehicle``   vehicle                    seize the vehicle
``forged_document``  document_series            refer: a known forgery's series
                                                (``records.forgeries``)
===================  =========================  ====================================

Each alert also carries an ``action_code`` (``records.alert_actions``), what a hit
asks the border to do: given by the issuer, or the category's default (the
right-hand column above).

A category that does not fit the subject (a ``stolen_vehicle`` alert on a
person, say) is refused on ``subject.kind``. Ids are the caller's (1-64
letters, digits, ``._:-``) or a generated uuid4 hex; the node's alert desk
(``services.alerts``) gives one issued without an id the node's next number,
``MAR-A-2026-0007`` (:mod:`passerelle.store.alert_numbers`).

Life cycle (every step is an ``AlertEvent`` row and an audit record)::

    issue ──> active ──record_hit──> hit ──rearm──> active
                │                     │
                ├──withdraw───────────┴──> withdrawn   (final)
                └──expire_due─────────┴──> expired     (final: past valid_until)

Anything else raises ``AlertTransitionRefused`` (an ``InvalidInput`` on the
``status`` field) saying why. A hit is also refused outside the alert's
validity (``valid_from``..``valid_until``, both days included; field named
``valid_from`` or ``valid_until``), and a re-arm after it.

A forgery alert's reference images are stored in ``alerts.reference_images``
(deferred: read by :func:`alert_reference_images`, never by the border check).

``subject_key`` is the indexed lookup key: ``series:MAR:P`` for a forgery (state and
document type), ``document:MAR:UM4731285`` (the number
folded by ``sltd.number_key``: O read as 0, I as 1), ``vehicle:FRA:AB123CD`` (the
plate without separators, folded the same way), ``person:1985-03-02:mohamed ben ali``
(birth date and first name, lower case, accents dropped).

Changes are audited here, in the caller's transaction (``alert.issue``,
``alert.hit``, ``alert.rearm``, ``alert.withdraw``, ``alert.expire``). Reads
(``get``, ``list``, ``find_by_*``) are not: the caller records the search with
its purpose, once for a whole border check.

After each step, every listener the registry was built with is called in the
same transaction with an :class:`AlertStep` (the alert as it now stands, the
step, and its ``version``: the alert's ``alert_events`` rows so far). That is how
``federation.alerts.outgoing`` queues messages to partners without this module
knowing the federation; a listener that raises rolls the step back. The node's
composition root (``passerelle.wiring``) builds the one registry every face
issues and withdraws alerts through, with the partners' listener; a registry
built without listeners (``AlertRegistry(audit)``) changes alerts for this node
only, which is right for reads and for tests.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.records.alert_actions import default_for_alert
from passerelle.records.alerts import (
    ALERT_STATUSES,
    CATEGORIES,
    FINAL_STATUSES,
    LIVE_STATUSES,
    AlertDraft,
    AlertEventView,
    AlertTransitionRefused,
    AlertView,
    DocumentSubject,
    PersonSubject,
    UnknownAlert,
    VehicleSubject,
    document_key,
    parse_alert,
    person_key,
    plate_key,
    subject_from_json,
    subject_key,
)
from passerelle.records.forgeries import ReferenceImage, reference_images_from_json
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.tables import Alert, AlertEvent

__all__ = [
    "ALERT_STATUSES",
    "CATEGORIES",
    "AlertDraft",
    "AlertEventView",
    "AlertListener",
    "AlertRegistry",
    "AlertStep",
    "AlertTransitionRefused",
    "AlertView",
    "DocumentSubject",
    "PersonSubject",
    "UnknownAlert",
    "VehicleSubject",
    "alert_reference_images",
    "alert_view",
    "parse_alert",
]

_ALLOWED = {
    ("active", "hit"),
    ("hit", "active"),
    ("active", "withdrawn"),
    ("hit", "withdrawn"),
    ("active", "expired"),
    ("hit", "expired"),
}
_VERBS = {"hit": "hit", "active": "re-armed", "withdrawn": "withdrawn", "expired": "expired"}
_MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class AlertStep:
    """One step of an alert's life, as listeners see it (``step``: ``issue``, ``hit``,
    ``rearm``, ``withdraw`` or ``expire``; ``version``: its ``alert_events`` rows so far)."""

    alert: AlertView
    step: str
    version: int
    at: datetime


AlertListener = Callable[[Session, AuditTrail, AlertStep], None]
"""Called after each alert step, in the step's transaction, with the registry's audit trail."""


def alert_view(row: Alert) -> AlertView:
    """The view of a stored alert."""
    return AlertView(
        id=row.id,
        kind=row.kind,
        category=row.category,
        subject=subject_from_json(row.kind, row.subject),
        subject_key=row.subject_key,
        issuing_authority=row.issuing_authority,
        action=row.action,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        shareable=row.shareable,
        restricted_matter=row.restricted_matter,
        action_code=row.action_code or default_for_alert(row.category),
    )


def alert_reference_images(session: Session, alert_id: str) -> tuple[ReferenceImage, ...]:
    """The reference images of this node's alert ``alert_id`` (a forgery alert's; none for
    others), read apart from the row (the column is deferred); ``UnknownAlert`` if none."""
    row = session.execute(select(Alert.reference_images).where(Alert.id == alert_id)).first()
    if row is None:
        raise UnknownAlert(alert_id)
    return reference_images_from_json(row[0])


def _reason(value: str | None, *, required: bool) -> str | None:
    if value is None or not value.strip():
        if required:
            raise InvalidInput("reason", "is required: say why")
        return None
    if len(value) > _MAX_REASON:
        raise InvalidInput("reason", f"is longer than {_MAX_REASON} characters")
    return value.strip()


def _refusal(row: Alert, to: str) -> AlertTransitionRefused:
    if row.status in FINAL_STATUSES:
        return AlertTransitionRefused(
            f"alert {row.id} is {row.status}, a final status: it cannot be {_VERBS[to]}"
        )
    if row.status == to == "hit":
        return AlertTransitionRefused(
            f"alert {row.id} is already hit: re-arm it before recording another hit"
        )
    if row.status == to == "active":
        return AlertTransitionRefused(
            f"alert {row.id} is already active: only a hit alert can be re-armed"
        )
    return AlertTransitionRefused(f"alert {row.id} cannot go from {row.status} to {to}")


class AlertRegistry:
    """Issues, looks up and moves the node's alerts through their life cycle."""

    def __init__(self, audit: AuditTrail, *, listeners: Sequence[AlertListener] = ()) -> None:
        self.audit = audit
        self.listeners = tuple(listeners)
        """Called after every step, in its transaction (module docstring)."""

    # -- changes ---------------------------------------------------------------------------

    def issue(
        self, session: Session, draft: AlertDraft, *, actor: Actor, now: datetime
    ) -> AlertView:
        """Store a new active alert (id generated as uuid4 hex unless given), audited.

        ``valid_from`` defaults to ``now``'s day; an alert whose ``valid_until``
        is already past, or whose id exists, is refused.
        """
        draft = parse_alert(draft.as_json())
        valid_from = draft.valid_from or now.date()
        if draft.valid_until is not None:
            if draft.valid_until < valid_from:
                raise InvalidInput("valid_until", "is before valid_from")
            if draft.valid_until < now.date():
                raise InvalidInput("valid_until", f"{draft.valid_until} is already past")
        alert_id = draft.id or uuid.uuid4().hex
        if session.get(Alert, alert_id) is not None:
            raise InvalidInput("id", f"alert {alert_id!r} already exists")
        row = Alert(
            id=alert_id,
            kind=draft.subject.kind,
            category=draft.category,
            subject=draft.subject.as_json(),
            subject_key=subject_key(draft.subject),
            issuing_authority=draft.issuing_authority,
            action=draft.action,
            valid_from=valid_from,
            valid_until=draft.valid_until,
            status="active",
            created_at=now,
            updated_at=now,
            shareable=draft.shareable,
            restricted_matter=draft.restricted_matter,
            action_code=draft.action_code or default_for_alert(draft.category),
            reference_images=[image.as_json() for image in draft.reference_images] or None,
        )
        session.add(row)
        session.add(
            AlertEvent(
                alert_id=alert_id,
                at=now,
                from_status=None,
                to_status="active",
                actor=actor.name,
                reason="issued",
            )
        )
        session.flush()
        self.audit.record(
            session,
            actor=actor,
            action="alert.issue",
            at=now,
            query={"id": alert_id, "kind": row.kind, "category": row.category}
            | {"shareable": row.shareable, "restricted_matter": row.restricted_matter}
            | {"action_code": row.action_code}
            | ({"images": len(draft.reference_images)} if draft.reference_images else {}),
            result={"status": "active"},
        )
        self._announce(session, row, "issue", now)
        return alert_view(row)

    def record_hit(
        self, session: Session, alert_id: str, *, actor: Actor, now: datetime, reason: str
    ) -> AlertView:
        """Record a border hit on an active alert in force (active → hit)."""
        return self._move(session, alert_id, "hit", actor=actor, now=now, reason=reason)

    def rearm(
        self, session: Session, alert_id: str, *, actor: Actor, now: datetime, reason: str
    ) -> AlertView:
        """Make a hit alert active again, ready for the next hit (hit → active)."""
        return self._move(session, alert_id, "active", actor=actor, now=now, reason=reason)

    def withdraw(
        self, session: Session, alert_id: str, *, actor: Actor, now: datetime, reason: str
    ) -> AlertView:
        """Withdraw an active or hit alert for good (→ withdrawn)."""
        return self._move(session, alert_id, "withdrawn", actor=actor, now=now, reason=reason)

    def expire_due(
        self, session: Session, as_of: date, now: datetime, *, actor: Actor
    ) -> builtins.list[AlertView]:
        """Expire every active or hit alert whose ``valid_until`` is before ``as_of``.

        Returns the alerts expired (none: nothing is written, not even an audit record).
        """
        rows = session.scalars(
            select(Alert)
            .where(
                Alert.status.in_(LIVE_STATUSES),
                Alert.valid_until.is_not(None),
                Alert.valid_until < as_of,
            )
            .order_by(Alert.valid_until, Alert.id)
            .with_for_update()
        ).all()
        for row in rows:
            self._write_step(
                session,
                row,
                "expired",
                actor=actor,
                now=now,
                reason=f"valid until {row.valid_until}; expired as of {as_of}",
            )
        if rows:
            session.flush()
            self.audit.record(
                session,
                actor=actor,
                action="alert.expire",
                at=now,
                query={"as_of": as_of.isoformat()},
                result={"expired": [row.id for row in rows]},
            )
        for row in rows:
            self._announce(session, row, "expire", now)
        return [alert_view(row) for row in rows]

    def _move(
        self, session: Session, alert_id: str, to: str, *, actor: Actor, now: datetime, reason: str
    ) -> AlertView:
        why = _reason(reason, required=True)
        row = session.scalars(select(Alert).where(Alert.id == alert_id).with_for_update()).first()
        if row is None:
            raise UnknownAlert(alert_id)
        if (row.status, to) not in _ALLOWED:
            raise _refusal(row, to)
        day = now.date()
        if to in LIVE_STATUSES and row.valid_until is not None and day > row.valid_until:
            raise AlertTransitionRefused(
                f"alert {row.id} lapsed after {row.valid_until}: it can no longer be "
                f"{_VERBS[to]} (the expiry sweep will close it)",
                field="valid_until",
            )
        if to == "hit" and day < row.valid_from:
            raise AlertTransitionRefused(
                f"alert {row.id} is not in force before {row.valid_from}", field="valid_from"
            )
        previous = row.status
        self._write_step(session, row, to, actor=actor, now=now, reason=why)
        session.flush()
        verb = {"hit": "hit", "active": "rearm", "withdrawn": "withdraw"}[to]
        self.audit.record(
            session,
            actor=actor,
            action=f"alert.{verb}",
            purpose=why,
            at=now,
            query={"id": row.id},
            result={"from": previous, "to": to},
        )
        self._announce(session, row, verb, now)
        return alert_view(row)

    def _announce(self, session: Session, row: Alert, step: str, now: datetime) -> None:
        if not self.listeners:
            return
        version = session.scalar(
            select(func.count()).select_from(AlertEvent).where(AlertEvent.alert_id == row.id)
        )
        change = AlertStep(alert_view(row), step, version or 0, now)
        for listener in self.listeners:
            listener(session, self.audit, change)

    @staticmethod
    def _write_step(
        session: Session, row: Alert, to: str, *, actor: Actor, now: datetime, reason: str | None
    ) -> None:
        session.add(
            AlertEvent(
                alert_id=row.id,
                at=now,
                from_status=row.status,
                to_status=to,
                actor=actor.name,
                reason=reason,
            )
        )
        row.status, row.updated_at = to, now

    # -- reads (the caller audits searches) -------------------------------------------------

    def get(self, session: Session, alert_id: str) -> AlertView:
        """The alert with this id; ``UnknownAlert`` when there is none."""
        row = session.get(Alert, alert_id)
        if row is None:
            raise UnknownAlert(alert_id)
        return alert_view(row)

    def reference_images(
        self, session: Session, alert_id: str
    ) -> builtins.tuple[ReferenceImage, ...]:
        """A forgery alert's reference images (none for other alerts); ``UnknownAlert``
        when there is no such alert."""
        return alert_reference_images(session, alert_id)

    def history(self, session: Session, alert_id: str) -> builtins.list[AlertEventView]:
        """Every step of an alert's life, oldest first."""
        self.get(session, alert_id)
        rows = session.scalars(
            select(AlertEvent)
            .where(AlertEvent.alert_id == alert_id)
            .order_by(AlertEvent.at, AlertEvent.id)
        )
        return [AlertEventView(r.at, r.from_status, r.to_status, r.actor, r.reason) for r in rows]

    def list(self, session: Session, status: str | None = None) -> builtins.list[AlertView]:
        """Every alert (or those with ``status``), oldest first."""
        query = select(Alert).order_by(Alert.created_at, Alert.id)
        if status is not None:
            if status not in ALERT_STATUSES:
                raise InvalidInput(
                    "status", f"{status!r} is not one of {', '.join(sorted(ALERT_STATUSES))}"
                )
            query = query.where(Alert.status == status)
        return [alert_view(row) for row in session.scalars(query)]

    def find_by_document(
        self,
        session: Session,
        issuing_state: str,
        number: str,
        *,
        statuses: Collection[str] = LIVE_STATUSES,
        on: date | None = None,
    ) -> builtins.list[AlertView]:
        """Alerts on a document (number folded O→0, I→1); live ones unless told.

        With ``on``, only alerts in force that day.
        """
        key = document_key(issuing_state.strip().rstrip("<"), number.strip().rstrip("<"))
        return self._find(session, key, statuses, on)

    def find_by_plate(
        self,
        session: Session,
        registration_country: str,
        plate: str,
        *,
        statuses: Collection[str] = LIVE_STATUSES,
        on: date | None = None,
    ) -> builtins.list[AlertView]:
        """Alerts on a vehicle, whatever the plate's spacing or dashes; live ones unless told."""
        key = f"vehicle:{registration_country.strip().upper()}:{plate_key(plate)}"
        return self._find(session, key, statuses, on)

    def find_by_person(
        self,
        session: Session,
        name: str,
        birth_date: str | None,
        *,
        statuses: Collection[str] = LIVE_STATUSES,
    ) -> builtins.list[AlertView]:
        """Alerts on a person by exact (folded) first name and birth date, as issued."""
        return self._find(session, person_key(name, birth_date), statuses, None)

    @staticmethod
    def _find(
        session: Session, key: str, statuses: Collection[str], on: date | None
    ) -> builtins.list[AlertView]:
        rows = session.scalars(
            select(Alert)
            .where(Alert.subject_key == key, Alert.status.in_(list(statuses)))
            .order_by(Alert.created_at, Alert.id)
        )
        views = [alert_view(row) for row in rows]
        return [v for v in views if on is None or v.in_force(on)]
