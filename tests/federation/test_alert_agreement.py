"""A partner's messages are held to the agreement on the receiving node, over real mutual TLS.

MAR serves its real federation listener; its agreement with BEL takes ``wanted``
and ``stolen_document`` alerts and ``document`` queries only. BEL pushes what a
careless or hostile partner would: alerts of other categories, an alert filed
under MAR's own id format, a query of another kind. Each is refused with its
``outside_agreement:*`` code, audited by MAR with that code, stores nothing and
never stops a traveller at MAR's border; an agreed alert still does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.federation import new_federation_ca
from passerelle.federation.alerts.incoming import alert_issue_body, apply_alert_message
from passerelle.federation.peers.directory import PeerView
from passerelle.federation.transport.client import BlockingExchangeClient, PeerRefused
from passerelle.federation.transport.delivery import (
    PARKED_UNTIL,
    Deliverer,
)
from passerelle.records.alerts import (
    AlertView,
    DocumentSubject,
    PersonSubject,
    Subject,
    VehicleSubject,
)
from passerelle.screening import Inspector
from passerelle.store.alerts import parse_alert
from passerelle.store.tables import ExchangeOutbox, PartnerAlert
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
from tests.screening.conftest import passport, request

SALMA = PersonSubject(("Salma Lamrani",), "1990-04-21")
"""The traveller of ``passport()``: any alert in force on her makes MAR's border check a hit."""

FAST = FAST_DELIVERY


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    client: BlockingExchangeClient
    mar_seen_by_bel: PeerView

    def push(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        """BEL sends MAR one message directly (as a partner's node could); MAR's result."""
        reply = self.client.send(self.mar_seen_by_bel, kind, body, timeout=5)
        return dict(reply.body)

    def border_decision(self) -> str:
        clock = self.mar.node.clock
        return Inspector(self.mar.node).inspect(request(passport(), clock)).decision


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(tmp_path / "mar", ca, "MAR")
    bel = make_node(tmp_path / "bel", ca, "BEL")
    with listening(serve_partner(mar), mar.tls) as port:
        register(mar, bel, 1, inbound=("document",), alert_categories=("wanted", "stolen_document"))
        seen = register(bel, mar, port, alert_categories=("surveillance", "stolen_vehicle"))
        with BlockingExchangeClient(bel.identity, bel.tls) as client:
            yield Pair(mar, bel, client, seen)
    for node in (mar, bel):
        node.close()


def bel_alert(alert_id: str, category: str, subject: Subject, now: datetime) -> dict[str, Any]:
    alert = AlertView(
        id=alert_id,
        kind=subject.kind,
        category=category,
        subject=subject,
        subject_key="",
        issuing_authority="Police fédérale, Bruxelles: +32 2 000 00 00",
        action="Report the traveller's route to the Belgian liaison officer.",
        valid_from=now.date() - timedelta(days=1),
        valid_until=None,
        status="active",
        created_at=now,
        updated_at=now,
    )
    return alert_issue_body(alert, version=1, idempotency_key=f"alert:{alert_id}:1")


def held(node: FederatedNode) -> list[tuple[str, str]]:
    with node.node.database.read() as session:
        rows = session.scalars(select(PartnerAlert)).all()
        return [(row.issuing_state, row.alert_id) for row in rows]


def refused_codes(node: FederatedNode) -> list[str]:
    return [record["code"] for record in node.audit_records("exchange.refused")]


def refusal(pair: Pair, kind: str, body: dict[str, Any]) -> str:
    with pytest.raises(PeerRefused) as refused:
        pair.push(kind, body)
    assert refused.value.status == 403
    return refused.value.code


def test_an_agreed_alert_is_applied_and_stops_the_traveller(pair: Pair) -> None:
    body = bel_alert("BEL-A-1", "wanted", SALMA, pair.mar.node.clock())
    assert pair.push("alert.issue", body)["applied"] is True
    assert held(pair.mar) == [("BEL", "BEL-A-1")]
    assert pair.border_decision() == "hit"


def test_a_surveillance_alert_outside_the_agreement_is_refused_audited_and_never_hits(
    pair: Pair,
) -> None:
    body = bel_alert("BEL-S-1", "surveillance", SALMA, pair.mar.node.clock())
    assert refusal(pair, "alert.issue", body) == "outside_agreement:category"
    assert refused_codes(pair.mar) == ["outside_agreement:category"]
    assert held(pair.mar) == []
    assert pair.border_decision() == "clear"


def test_a_stolen_vehicle_alert_outside_the_agreement_is_refused_and_audited(pair: Pair) -> None:
    car = VehicleSubject("1-ABC-234", "BEL")
    body = bel_alert("BEL-V-1", "stolen_vehicle", car, pair.mar.node.clock())
    assert refusal(pair, "alert.issue", body) == "outside_agreement:category"
    assert refused_codes(pair.mar) == ["outside_agreement:category"]
    assert held(pair.mar) == []


@pytest.mark.parametrize("alert_id", ["MAR-A-0099", "mar:2026:7", "TUN-A-9"])
def test_an_alert_filed_under_another_states_id_is_refused_and_never_hits(
    pair: Pair, alert_id: str
) -> None:
    body = bel_alert(alert_id, "wanted", SALMA, pair.mar.node.clock())
    assert refusal(pair, "alert.issue", body) == "outside_agreement:namespace"
    assert refused_codes(pair.mar) == ["outside_agreement:namespace"]
    assert held(pair.mar) == []
    assert pair.border_decision() == "clear"


def test_an_alert_held_under_a_foreign_id_from_before_the_checks_can_still_be_lifted(
    pair: Pair,
) -> None:
    now = pair.mar.node.clock()
    with pair.mar.node.database.write() as session:  # as an older node applied it
        apply_alert_message(
            session,
            pair.mar.node.audit,
            sender="BEL",
            kind="alert.issue",
            body=bel_alert("MAR-A-0099", "wanted", SALMA, now),
            now=now,
        )
    assert pair.border_decision() == "hit"
    withdrawal = {"idempotency_key": "w1", "version": 2, "alert_id": "MAR-A-0099"}
    assert pair.push("alert.withdraw", withdrawal)["applied"] is True
    assert pair.border_decision() == "clear"


def test_an_id_without_a_state_prefix_is_the_senders_own(pair: Pair) -> None:
    document = DocumentSubject("MAR", "ZX9876543")
    body = bel_alert(
        "3f2a9c0d4b1e4f6a8c7d9e0f1a2b3c4d", "stolen_document", document, pair.mar.node.clock()
    )
    assert pair.push("alert.issue", body)["applied"] is True
    assert held(pair.mar) == [("BEL", "3f2a9c0d4b1e4f6a8c7d9e0f1a2b3c4d")]


def test_a_query_kind_outside_the_agreement_is_refused_with_its_code(pair: Pair) -> None:
    body = {"names": ["Salma Lamrani"], "birth_date": "1990-04-21"}
    assert refusal(pair, "query.person", body) == "outside_agreement:kind"
    assert refused_codes(pair.mar) == ["outside_agreement:kind"]


def test_the_issuer_parks_an_alert_the_partner_refuses_instead_of_retrying_it(
    pair: Pair,
) -> None:
    record = {
        "id": "BEL-S-2",
        "category": "surveillance",
        "subject": {"kind": "person", "names": ["Salma Lamrani"], "birth_date": "1990-04-21"},
        "issuing_authority": "Police fédérale, Bruxelles",
        "action": "Report the traveller's route.",
    }
    bel = pair.bel
    with bel.node.database.write() as session:
        alert_registry(bel.node).issue(
            session, parse_alert(record), actor=ADMIN, now=bel.node.clock()
        )
    report = Deliverer(bel.node, pair.client, policy=FAST).deliver_due()
    assert report.refused == 1
    with bel.node.database.read() as session:
        (message,) = session.scalars(select(ExchangeOutbox)).all()
        assert message.next_attempt_at.replace(tzinfo=UTC) == PARKED_UNTIL
        assert "outside_agreement:category" in (message.last_error or "")
    assert held(pair.mar) == []
