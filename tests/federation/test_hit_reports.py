"""A discreet check on a partner's alert, reported back to the partner that issued it.

MAR issues a surveillance alert (a discreet check) on a passport and shares it with
BEL; both serve the real federation listener (mutual TLS, loopback). At BEL's border
the passport passes (``clear``, action ``discreet_check``); BEL's officer files the
report, which goes back to MAR through BEL's outbox as a signed ``alert.hit_report``
and is stored at MAR against its own alert, where its analysts read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.federation import new_federation_ca
from passerelle.federation.alerts.hit_reports import apply_hit_report
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer
from passerelle.records.alert_reports import ReportDraft
from passerelle.screening import Inspector
from passerelle.services.alert_reports import AlertReports
from passerelle.store.alerts import parse_alert
from passerelle.store.audit import Actor
from passerelle.store.tables import AlertReport, ExchangeOutbox, PartnerAlert
from passerelle.wiring import alert_registry
from tests.federation.nodes import (
    ADMIN,
    FAST_DELIVERY,
    FederatedNode,
    listening,
    make_node,
    register,
    serve_partner,
)
from tests.screening.conftest import OFFICER, passport, request

# OFFICER checked the traveller and files the report (only they, and their booth, may)

FAST = FAST_DELIVERY
ANALYST = Actor("analyst.tazi", "user", "analyst")
WATCHED = "UM4731285"


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    mar_client: BlockingExchangeClient
    bel_client: BlockingExchangeClient

    def mar_delivers(self) -> int:
        return Deliverer(self.mar.node, self.mar_client, policy=FAST).deliver_due().delivered

    def bel_delivers(self) -> int:
        return Deliverer(self.bel.node, self.bel_client, policy=FAST).deliver_due().delivered


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("hit-reports")
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(folder / "mar", ca, "MAR")
    bel = make_node(folder / "bel", ca, "BEL")
    with (
        listening(serve_partner(mar), mar.tls) as mar_port,
        listening(serve_partner(bel), bel.tls) as bel_port,
    ):
        register(bel, mar, mar_port, alert_categories=["surveillance"])
        register(mar, bel, bel_port, alert_categories=["surveillance"])
        with (
            BlockingExchangeClient(mar.identity, mar.tls) as mar_client,
            BlockingExchangeClient(bel.identity, bel.tls) as bel_client,
        ):
            yield Pair(mar, bel, mar_client, bel_client)
    for node in (mar, bel):
        node.close()


def test_a_discreet_check_hit_at_the_partners_border_is_reported_back_to_the_issuer(
    pair: Pair,
) -> None:
    mar, bel = pair.mar, pair.bel
    with mar.node.database.write() as session:
        alert_registry(mar.node).issue(
            session,
            parse_alert(
                {
                    "id": "MAR-S-77",
                    "category": "surveillance",
                    "subject": {
                        "kind": "document",
                        "issuing_state": "MAR",
                        "document_number": WATCHED,
                    },
                    "issuing_authority": "DGST liaison cell: +212 537 00 00 40",
                    "action": "Let pass as usual, do not alert the traveller; report companions.",
                }
            ),
            actor=ADMIN,
            now=mar.node.clock(),
        )
    assert pair.mar_delivers() >= 1
    with bel.node.database.read() as session:
        held = session.get(PartnerAlert, ("MAR", "MAR-S-77"))
        assert held is not None
        assert held.action_code == "discreet_check"

    inspector = Inspector(bel.node)
    try:
        result = inspector.inspect(request(passport(number=WATCHED), bel.node.clock))
    finally:
        inspector.close()
    assert (result.decision, result.action) == ("clear", "discreet_check")

    filed = AlertReports(bel.node).file(
        OFFICER,
        result.inspection_id,
        ReportDraft("MAR:MAR-S-77", "Two companions, nervous.", vehicle="Grey van"),
    )
    assert (filed.issuing_state, filed.alert_id) == ("MAR", "MAR-S-77")
    assert pair.bel_delivers() == 1

    with bel.node.database.read() as session:
        sent = session.scalars(
            select(ExchangeOutbox).where(ExchangeOutbox.kind == "alert.hit_report")
        ).one()
        assert (sent.peer, sent.delivered_at is not None) == ("MAR", True)
    (received,) = AlertReports(mar.node).on_own_alerts(ANALYST, "hit follow-up", "MAR-S-77")
    assert (received.id, received.reported_by, received.inspection_id) == (filed.id, "BEL", None)
    assert (received.observed, received.vehicle) == ("Two companions, nervous.", "Grey van")
    assert received.traveller["document_number"] == WATCHED
    assert received.action_code == "discreet_check"
    (audited,) = mar.audit_records("exchange.alert.report_receive")
    assert (audited["actor"], audited["report_id"], audited["applied"]) == (
        "peer:BEL",
        filed.id,
        True,
    )

    # the same message again (a reply lost after it was applied) stores nothing new
    with mar.node.database.write() as session:
        again = apply_hit_report(
            session, mar.node.audit, sender="BEL", body=sent.body, now=mar.node.clock()
        )
        assert again["duplicate"] is True
        assert len(session.scalars(select(AlertReport)).all()) == 1


def test_a_report_on_an_alert_never_shared_with_the_sender_is_refused(pair: Pair) -> None:
    mar = pair.mar
    body = {
        "idempotency_key": "report:forged",
        "report": {
            "id": "f" * 32,
            "alert_id": "MAR-NEVER",
            "action_code": "discreet_check",
            "crossing_point": "ZAVENTEM",
            "direction": "entry",
            "seen_at": "2026-12-01T10:00:00+00:00",
            "traveller": {},
            "observed": "Seen.",
            "filed_at": "2026-12-01T10:05:00+00:00",
        },
    }
    with mar.node.database.write() as session, pytest.raises(InvalidInput) as refused:
        apply_hit_report(session, mar.node.audit, sender="BEL", body=body, now=mar.node.clock())
    assert refused.value.field == "report.alert_id"
