"""Forged-document alerts at the border: a document in the series is referred, with the
examiner's indicators in the officer's words; one outside it passes."""

from __future__ import annotations

from datetime import timedelta

from passerelle.federation.alerts.incoming import alert_issue_body, apply_alert_message
from passerelle.node import Node
from passerelle.records.alerts import AlertView, parse_alert, subject_key
from passerelle.screening import Inspector
from passerelle.store.alerts import AlertRegistry
from passerelle.store.partner_alerts import partner_reference_images
from tests.conftest import Clock
from tests.records.test_forgeries import INDICATORS, forgery_alert, png
from tests.screening.conftest import (  # noqa: F401 (fixtures)
    ADMIN,
    inspector,
    node,
    passport,
    request,
)


def issue_here(home: Node, **changes: object) -> AlertView:
    with home.database.write() as session:
        return AlertRegistry(home.audit).issue(
            session, parse_alert(forgery_alert(**changes)), actor=ADMIN, now=home.clock()
        )


def receive_from_bel(home: Node, clock: Clock) -> None:
    """BEL's forgery alert on Moroccan passports AB1000000-AB1099999, as BEL's listener
    message would bring it (with its image)."""
    draft = parse_alert(forgery_alert("BEL-F-7"))
    shared = AlertView(
        id="BEL-F-7",
        kind="document_series",
        category="forged_document",
        subject=draft.subject,
        subject_key=subject_key(draft.subject),
        issuing_authority="Police fédérale, Bruxelles, documents: +32 2 000 00 01",
        action=draft.action,
        valid_from=clock().date() - timedelta(days=1),
        valid_until=None,
        status="active",
        created_at=clock(),
        updated_at=clock(),
    )
    body = alert_issue_body(
        shared, version=1, idempotency_key="alert:BEL-F-7:1", images=draft.reference_images
    )
    with home.database.write() as session:
        apply_alert_message(
            session, home.audit, sender="BEL", kind="alert.issue", body=body, now=clock()
        )


def test_a_passport_in_the_forgery_s_range_is_referred_with_the_indicators(
    node: Node,  # noqa: F811
    inspector: Inspector,  # noqa: F811
    clock: Clock,
) -> None:
    issue_here(node)

    result = inspector.inspect(request(passport(number="AB1000042"), clock))

    assert result.decision == "refer"
    (finding,) = [f for f in result.findings if f.code == "alert_forged_document"]
    assert finding.reference == "MAR-F-0001"
    assert finding.alert_action == "specific_check"
    assert INDICATORS in finding.message
    assert "UV light, magnification" in finding.message
    assert "numbers AB1000000 to AB1099999" in finding.message


def test_a_passport_outside_the_range_or_of_another_state_is_not_touched_by_it(
    node: Node,  # noqa: F811
    inspector: Inspector,  # noqa: F811
    clock: Clock,
) -> None:
    issue_here(node)
    assert inspector.inspect(request(passport(number="AB1100000"), clock)).decision == "clear"
    other = passport(number="AB1000042", state="TUN")
    assert inspector.inspect(request(other, clock)).decision == "clear"


def test_a_partners_forgery_alert_refers_and_keeps_its_reference_image(
    node: Node,  # noqa: F811
    inspector: Inspector,  # noqa: F811
    clock: Clock,
) -> None:
    receive_from_bel(node, clock)

    result = inspector.inspect(request(passport(number="AB1099999"), clock))

    assert result.decision == "refer"
    (finding,) = [f for f in result.findings if f.code == "alert_forged_document"]
    assert finding.reference == "BEL:BEL-F-7"
    assert "Belgium (BEL)" in finding.message
    assert INDICATORS in finding.message
    with node.database.read() as session:
        images = partner_reference_images(session, "BEL", "BEL-F-7")
    assert images is not None
    assert [(i.media_type, i.data) for i in images] == [("image/png", png())]


def test_a_withdrawn_forgery_alert_no_longer_refers(
    node: Node,  # noqa: F811
    inspector: Inspector,  # noqa: F811
    clock: Clock,
) -> None:
    alert = issue_here(node)
    with node.database.write() as session:
        AlertRegistry(node.audit).withdraw(
            session, alert.id, actor=ADMIN, now=clock(), reason="the series was a mistake"
        )
    assert inspector.inspect(request(passport(number="AB1000042"), clock)).decision == "clear"
