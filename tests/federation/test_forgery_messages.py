"""A forgery alert's message: the largest one allowed fits a signed envelope, and a partner's
bad image is refused naming it, nothing stored."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from passerelle.exc import InvalidInput
from passerelle.federation import NodeIdentity
from passerelle.federation.alerts.incoming import alert_issue_body, apply_alert_message
from passerelle.federation.protocol.envelope import (
    MAX_ENVELOPE_BYTES,
    new_envelope,
    sign_envelope,
)
from passerelle.records.alerts import AlertView, parse_alert, subject_key
from passerelle.records.forgeries import MAX_IMAGES_BYTES, ReferenceImage
from passerelle.store import AuditTrail, Database
from passerelle.store.tables import PartnerAlert
from tests.conftest import Clock
from tests.records.test_forgeries import forgery_alert

WHEN = datetime(2026, 12, 7, 12, tzinfo=UTC)


def issued(record: dict[str, object]) -> AlertView:
    draft = parse_alert(record)
    return AlertView(
        id=str(record["id"]),
        kind=draft.subject.kind,
        category=draft.category,
        subject=draft.subject,
        subject_key=subject_key(draft.subject),
        issuing_authority=draft.issuing_authority,
        action=draft.action,
        valid_from=WHEN.date() - timedelta(days=1),
        valid_until=None,
        status="active",
        created_at=WHEN,
        updated_at=WHEN,
    )


def test_the_largest_forgery_alert_allowed_fits_one_signed_envelope() -> None:
    """Every text at its longest in four-byte characters, and images at the 512 KiB cap."""
    wide = "𝔄" * 4000
    record = forgery_alert(
        "MAR-F-" + "9" * 58,
        subject={"indicators": wide},
        action=wide,
        issuing_authority="𝔄" * 128,
    )
    del record["reference_images"]
    each = MAX_IMAGES_BYTES // 2
    images = [
        ReferenceImage("image/png", b"\x89PNG\r\n\x1a\n" + bytes(each - 8), "𝔄" * 200)
        for _ in range(2)
    ]
    body = alert_issue_body(issued(record), version=1, idempotency_key="k" * 64, images=images)
    parse_alert({**body["alert"], "reference_images": body["reference_images"]})  # accepted
    mar = NodeIdentity.generate("MAR")
    wire = sign_envelope(new_envelope("MAR", "BEL", "alert.issue", body, at=WHEN), mar).to_wire()
    assert len(wire) <= MAX_ENVELOPE_BYTES, len(wire)


def test_a_partner_s_forgery_alert_with_a_bad_image_is_refused_naming_it_and_nothing_is_stored(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    record = forgery_alert("BEL-F-9")
    body = alert_issue_body(issued(record), version=1, idempotency_key="alert:BEL-F-9:1")
    body["reference_images"] = [
        {"media_type": "image/png", "data": base64.b64encode(b"<svg onload=x>").decode()}
    ]
    with pytest.raises(InvalidInput) as refused, database.write() as session:
        apply_alert_message(
            session, audit, sender="BEL", kind="alert.issue", body=body, now=clock()
        )
    assert refused.value.field == "reference_images[0].data"
    with database.read() as session:
        assert session.get(PartnerAlert, ("BEL", "BEL-F-9")) is None
