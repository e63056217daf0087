"""Reading the alerts partners shared (``partner_alerts``): the view of a row, and look-ups.

The rows are written by ``federation.alerts.incoming`` when a partner's message is
applied (under :func:`lock_partner_alert`); the border check and the alert-name index
read them through here. Tombstones (``partner_alert_tombstones``) are never read
here: they hold no subject and never match a traveller.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from passerelle.records.forgeries import (
    FORGERY_CATEGORY,
    ReferenceImage,
    reference_images_from_json,
)
from passerelle.records.partner_alerts import PartnerAlertView
from passerelle.store.tables import PartnerAlert

__all__ = [
    "lock_partner_alert",
    "partner_alert_view",
    "partner_alerts_of_category",
    "partner_alerts_on",
    "partner_forgery",
    "partner_reference_images",
]


def lock_partner_alert(session: Session, issuing_state: str, alert_id: str) -> None:
    """Take, until ``session``'s transaction ends, the lock of one partner alert.

    Two messages about one alert (an issue and its withdrawal, neither of which finds a
    row yet) would otherwise both write on PostgreSQL: an active row beside a tombstone.
    A transaction-level advisory lock on the alert's key serialises them (SQLite
    writers are serialised anyway).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"passerelle.partner_alert:{issuing_state}:{alert_id}"},
        )


def partner_alert_view(row: PartnerAlert) -> PartnerAlertView:
    """The view of a stored partner alert."""
    return PartnerAlertView(
        issuing_state=row.issuing_state,
        alert_id=row.alert_id,
        category=row.category,
        kind=str(row.subject["kind"]),
        subject=row.subject,
        action=row.action,
        contact=row.contact,
        status=row.status,
        version=row.version,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        action_code=row.action_code or "",
    )


def partner_alerts_on(session: Session, key: str, on: date) -> list[PartnerAlertView]:
    """Partners' alerts in force on ``on`` whose subject key is ``key`` (as for own alerts)."""
    rows = session.scalars(
        select(PartnerAlert)
        .where(PartnerAlert.subject_key == key, PartnerAlert.status == "active")
        .order_by(PartnerAlert.issuing_state, PartnerAlert.alert_id)
    )
    return [view for view in map(partner_alert_view, rows) if view.in_force(on)]


def partner_alerts_of_category(session: Session, category: str) -> list[PartnerAlertView]:
    """Every partner alert of ``category`` held (any status), by state then id."""
    rows = session.scalars(
        select(PartnerAlert)
        .where(PartnerAlert.category == category)
        .order_by(PartnerAlert.issuing_state, PartnerAlert.alert_id)
    )
    return [partner_alert_view(row) for row in rows]


def partner_reference_images(
    session: Session, issuing_state: str, alert_id: str
) -> tuple[ReferenceImage, ...] | None:
    """The reference images a partner sent with one of its alerts; None: no such alert."""
    row = session.execute(
        select(PartnerAlert.reference_images).where(
            PartnerAlert.issuing_state == issuing_state, PartnerAlert.alert_id == alert_id
        )
    ).first()
    if row is None:
        return None
    return reference_images_from_json(row[0])


def partner_forgery(session: Session, issuing_state: str, alert_id: str) -> PartnerAlertView | None:
    """A partner's forged-document alert held under ``issuing_state``; None: no such alert."""
    row = session.get(PartnerAlert, (issuing_state, alert_id))
    if row is None or row.category != FORGERY_CATEGORY:
        return None
    return partner_alert_view(row)
