"""The document examiner's catalogue of forgeries: the node's forged-document alerts and
those its partners shared, with their reference images.

Listing the catalogue is audited (``forgery.search``, the references listed), as any
search; an image is read under the same permission (``examine_documents``) and not
audited apart: it shows a document type's forgery, never a traveller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from passerelle.access import Permission
from passerelle.node import Node
from passerelle.records.alerts import AlertView, SeriesSubject
from passerelle.records.forgeries import FORGERY_CATEGORY, ReferenceImage, series_from_json
from passerelle.services.common import AuditAction, permitted
from passerelle.services.lookups import audited_lookup
from passerelle.store.alerts import AlertRegistry, UnknownAlert, alert_reference_images
from passerelle.store.audit import Actor
from passerelle.store.partner_alerts import (
    partner_alerts_of_category,
    partner_forgery,
    partner_reference_images,
)

__all__ = ["ForgeryCatalogue", "ForgeryEntry"]


@dataclass(frozen=True, slots=True)
class ForgeryEntry:
    """One forgery alert as the examiner reads it: whose, the series, what to do, the images."""

    issuing_state: str | None
    """The partner that shared it; None: this node's own."""
    alert_id: str
    subject: SeriesSubject
    issuing_authority: str
    action: str
    status: str
    valid_from: date
    valid_until: date | None
    captions: tuple[str | None, ...]
    """One per reference image, in order."""

    @property
    def reference(self) -> str:
        """The alert's reference as the border check names it: its id, or ``STATE:id``."""
        return f"{self.issuing_state}:{self.alert_id}" if self.issuing_state else self.alert_id

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "issuing_state": self.issuing_state,
            "alert_id": self.alert_id,
            "status": self.status,
            "subject": self.subject.as_json(),
            "issuing_authority": self.issuing_authority,
            "action": self.action,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "captions": list(self.captions),
        }


class ForgeryCatalogue:
    """Reads the forged-document alerts a node holds, its own and its partners'."""

    def __init__(self, node: Node) -> None:
        self.node = node

    def entries(self, actor: Actor, purpose: str) -> list[ForgeryEntry]:
        """Every forgery alert held (live ones first, then the rest), own before partners'."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.FORGERY_SEARCH,
                permissions=(Permission.EXAMINE_DOCUMENTS,),
                purpose=purpose,
                query={"category": FORGERY_CATEGORY},
            ) as lookup,
            self.node.database.write() as session,
        ):
            own = [
                alert
                for alert in AlertRegistry(self.node.audit).list(session)
                if alert.category == FORGERY_CATEGORY
            ]
            entries = [
                _own_entry(alert, alert_reference_images(session, alert.id)) for alert in own
            ]
            for shared in partner_alerts_of_category(session, FORGERY_CATEGORY):
                images = partner_reference_images(session, shared.issuing_state, shared.alert_id)
                entries.append(
                    ForgeryEntry(
                        issuing_state=shared.issuing_state,
                        alert_id=shared.alert_id,
                        subject=series_from_json(shared.subject),
                        issuing_authority=shared.contact,
                        action=shared.action,
                        status=shared.status,
                        valid_from=shared.valid_from,
                        valid_until=shared.valid_until,
                        captions=tuple(image.caption for image in images or ()),
                    )
                )
            entries.sort(key=lambda entry: entry.status not in ("active", "hit"))
            lookup.listed(session, [entry.reference for entry in entries])
        return entries

    def images(
        self, actor: Actor, issuing_state: str | None, alert_id: str
    ) -> tuple[ReferenceImage, ...] | None:
        """The reference images of a forgery alert (this node's when ``issuing_state`` is
        None); None when the node holds no such forgery alert."""
        permitted(actor, Permission.EXAMINE_DOCUMENTS)
        with self.node.database.read() as session:
            if issuing_state is None:
                try:
                    alert = AlertRegistry(self.node.audit).get(session, alert_id)
                except UnknownAlert:
                    return None
                if alert.category != FORGERY_CATEGORY:
                    return None
                return alert_reference_images(session, alert_id)
            shared = partner_forgery(session, issuing_state, alert_id)
            if shared is None:
                return None
            return partner_reference_images(session, issuing_state, alert_id)

    def image(
        self, actor: Actor, issuing_state: str | None, alert_id: str, number: int
    ) -> ReferenceImage | None:
        """Reference image ``number`` (from 0) of a forgery alert; None when there is none."""
        images = self.images(actor, issuing_state, alert_id)
        if images is None or not 0 <= number < len(images):
            return None
        return images[number]


def _own_entry(alert: AlertView, images: tuple[ReferenceImage, ...]) -> ForgeryEntry:
    assert isinstance(alert.subject, SeriesSubject)  # the category's only subject kind
    return ForgeryEntry(
        issuing_state=None,
        alert_id=alert.id,
        subject=alert.subject,
        issuing_authority=alert.issuing_authority,
        action=alert.action,
        status=alert.status,
        valid_from=alert.valid_from,
        valid_until=alert.valid_until,
        captions=tuple(image.caption for image in images),
    )
