"""Follow-ups between real nodes: MAR asks for the record behind BEL's hit; BEL's analyst decides.

Both nodes listen with mutual TLS; BEL's answer leaves through its outbox and
is delivered by the outbox deliverer (``exchange.delivery.Deliverer``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.federation import new_federation_ca
from passerelle.federation.followups.requests import FollowUpClosed, FollowUpRefused, FollowUps
from passerelle.federation.queries.references import issue_reference
from passerelle.federation.transport.client import BadReply, BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer
from passerelle.federation.transport.outbox_status import outbox_status, requeue_parked
from passerelle.node import utc_now
from passerelle.store.audit import Actor
from passerelle.store.tables import ExchangeOutbox
from tests.federation.nodes import (
    ADMIN,
    FederatedNode,
    listening,
    make_node,
    register_partner,
    serve_partner,
)
from tests.federation.test_federated_inspection import (
    BEL_TERMS,
    MAR_TERMS,
    STOLEN_AT_BEL,
    load_bel,
)

MAR_ANALYST = Actor("analyst.mar", "user", "analyst")
BEL_ANALYST = Actor("analyst.bel", "user", "analyst")
WHY = "Traveller held at TNG-MED with this passport; confirming the theft report."


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    mar_client: BlockingExchangeClient
    bel_client: BlockingExchangeClient

    def hit_reference(self, number: str = STOLEN_AT_BEL) -> str:
        """MAR asks BEL about a document; BEL's reference as a federation hit names it."""
        peer = self.mar.directory.get("BEL")
        body = {"issuing_state": "MAR", "document_number": number}
        reply = self.mar_client.send(peer, "query.document", body, timeout=5)
        assert reply.body["result"] == "hit"
        return f"BEL:{reply.body['reference']}"

    def asker(self) -> FollowUps:
        return FollowUps(self.mar.node, self.mar.directory, sender=self.mar_client)

    def owner(self, *, hours_later: float = 0) -> FollowUps:
        return FollowUps(
            self.bel.node,
            self.bel.directory,
            clock=lambda: utc_now() + timedelta(hours=hours_later),
        )

    def deliver(self) -> None:
        Deliverer(self.bel.node, self.bel_client, directory=self.bel.directory).deliver_due()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(tmp_path / "mar", ca, "MAR")
    bel = make_node(tmp_path / "bel", ca, "BEL")
    load_bel(bel, tmp_path / "bel")
    with (
        listening(serve_partner(bel), bel.tls) as bel_port,
        listening(serve_partner(mar), mar.tls) as mar_port,
    ):
        register_partner(bel, mar, mar_port, BEL_TERMS)
        register_partner(mar, bel, bel_port, MAR_TERMS)
        mar_client = BlockingExchangeClient(mar.identity, mar.tls)
        bel_client = BlockingExchangeClient(bel.identity, bel.tls)
        try:
            yield Pair(mar, bel, mar_client, bel_client)
        finally:
            mar_client.close()
            bel_client.close()
    mar.close()
    bel.close()


def actions(node: FederatedNode, action: str) -> list[dict[str, object]]:
    return node.audit_records(action)


def test_an_approved_follow_up_gives_the_asker_the_record_and_nothing_else(pair: Pair) -> None:
    reference = pair.hit_reference()
    asked = pair.asker().request(reference, WHY, by=MAR_ANALYST)
    assert (asked.direction, asked.peer, asked.status) == ("outgoing", "BEL", "pending")

    (incoming,) = pair.owner().listed("incoming", by=BEL_ANALYST)
    assert (incoming.id, incoming.status, incoming.justification) == (asked.id, "pending", WHY)
    assert incoming.requested_by == "MAR:analyst.mar"
    hours = (incoming.deadline_at - incoming.requested_at).total_seconds() / 3600
    assert hours == pytest.approx(48)

    approved = pair.owner().approve(asked.id, "Confirmed with the passport office.", by=BEL_ANALYST)
    assert approved.status == "approved"
    pair.deliver()
    pair.deliver()  # nothing more to send: delivered once

    (outgoing,) = pair.asker().listed("outgoing", by=MAR_ANALYST)
    assert outgoing.status == "approved"
    assert outgoing.released == {
        "record_type": "sltd",
        "issuing_state": "MAR",
        "document_number": STOLEN_AT_BEL,
        "document_code": "P",
        "status": "stolen",
        "reported_on": "2026-10-01",
        "reported_by": "BEL",
    }
    assert [a["outcome"] for a in actions(pair.mar, "followup.request")] == ["pending"]
    (answer,) = actions(pair.mar, "followup.answer")
    assert answer["actor"] == "peer:BEL"
    assert answer["applied"] is True
    assert actions(pair.bel, "followup.receive")[0]["actor"] == "peer:MAR"
    assert actions(pair.bel, "followup.approve")[0]["actor"] == "analyst.bel"
    (disclosed,) = actions(pair.bel, "followup.disclose")
    assert (disclosed["record_type"], disclosed["to"]) == ("sltd", "MAR")


def test_a_watchlist_person_is_released_with_names_birth_date_nationalities_category(
    pair: Pair,
) -> None:
    peer = pair.mar.directory.get("BEL")
    body = {"names": ["YOUSSEF EL IDRISSI"], "birth_date": "1988-07-12"}
    reply = pair.mar_client.send(peer, "query.person", body, timeout=5)
    asked = pair.asker().request(f"BEL:{reply.body['reference']}", WHY, by=MAR_ANALYST)
    pair.owner().approve(asked.id, None, by=BEL_ANALYST)
    pair.deliver()

    (outgoing,) = pair.asker().listed("outgoing", by=MAR_ANALYST)
    assert outgoing.released == {
        "record_type": "watchlist",
        "id": "BEL-W-0007",
        "names": ["Youssef El Idrissi"],
        "birth_date": "1988-07-12",
        "nationalities": ["MAR"],
        "category": "wanted",
    }


def test_a_refusal_tells_the_asker_refused_and_keeps_the_note_home(pair: Pair) -> None:
    asked = pair.asker().request(pair.hit_reference(), WHY, by=MAR_ANALYST)
    with pytest.raises(InvalidInput) as missing:
        pair.owner().refuse(asked.id, "  ", by=BEL_ANALYST)
    assert missing.value.field == "note"
    pair.owner().refuse(asked.id, "Ongoing investigation: not now.", by=BEL_ANALYST)
    with pytest.raises(FollowUpClosed):
        pair.owner().approve(asked.id, None, by=BEL_ANALYST)
    with pair.bel.node.database.read() as session:
        (queued,) = session.scalars(select(ExchangeOutbox)).all()
    assert queued.body["status"] == "refused"
    assert "Ongoing" not in str(queued.body)
    pair.deliver()

    (outgoing,) = pair.asker().listed("outgoing", by=MAR_ANALYST)
    assert (outgoing.status, outgoing.released) == ("refused", None)
    assert actions(pair.bel, "followup.refuse")[0]["actor"] == "analyst.bel"


def test_a_request_past_its_deadline_expires_and_cannot_be_approved(pair: Pair) -> None:
    asked = pair.asker().request(pair.hit_reference(), WHY, by=MAR_ANALYST)
    late = pair.owner(hours_later=49)
    with pytest.raises(FollowUpClosed) as closed:
        late.approve(asked.id, None, by=BEL_ANALYST)
    assert "expired" in str(closed.value)
    (incoming,) = late.listed("incoming", by=BEL_ANALYST)
    assert incoming.status == "expired"
    assert actions(pair.bel, "followup.expire")
    with pair.bel.node.database.write() as session:  # queued on the moved clock: due now
        for queued in session.scalars(select(ExchangeOutbox)):
            queued.next_attempt_at = utc_now()
    pair.deliver()
    (outgoing,) = pair.asker().listed("outgoing", by=MAR_ANALYST)
    assert outgoing.status == "expired"


def test_a_reference_given_to_another_partner_is_refused_by_the_owner(pair: Pair) -> None:
    with pair.bel.node.database.write() as session:
        for_esp = issue_reference(
            session,
            node_state="BEL",
            peer="ESP",
            kind="document",
            record_type="sltd",
            record_id=f"MAR:{STOLEN_AT_BEL}",
            score_band="high",
            message_id="6f1c2a4e-8a4b-4c1e-9d1e-0b7a5f3c2d10",
            now=utc_now(),
        )
    with pytest.raises(FollowUpRefused) as refused:
        pair.asker().request(f"BEL:{for_esp.reference}", WHY, by=MAR_ANALYST)

    assert refused.value.code == "unknown_reference"
    assert pair.asker().listed("outgoing", by=MAR_ANALYST) == []
    assert pair.owner().listed("incoming", by=BEL_ANALYST) == []
    assert [a["outcome"] for a in actions(pair.mar, "followup.request")] == [
        "refused: unknown_reference"
    ]
    assert [a["code"] for a in actions(pair.bel, "exchange.refused")] == ["unknown_reference"]


def test_a_request_needs_a_justification_and_a_partner_reference(pair: Pair) -> None:
    with pytest.raises(InvalidInput) as short:
        pair.asker().request(pair.hit_reference(), "why", by=MAR_ANALYST)
    assert short.value.field == "justification"
    with pytest.raises(InvalidInput) as bad:
        pair.asker().request("not a reference", WHY, by=MAR_ANALYST)
    assert bad.value.field == "reference"


def test_a_request_whose_reply_cannot_be_trusted_is_still_audited_at_the_asker(
    pair: Pair,
) -> None:
    reference = pair.hit_reference()
    # MAR's client now refuses every reply as stale: the request left, its answer does not verify
    strict = BlockingExchangeClient(
        pair.mar.identity, pair.mar.tls, max_skew=timedelta(microseconds=1)
    )
    try:
        asker = FollowUps(pair.mar.node, pair.mar.directory, sender=strict)
        with pytest.raises(BadReply):
            asker.request(reference, WHY, by=MAR_ANALYST)
    finally:
        strict.close()

    (audited,) = actions(pair.mar, "followup.request")
    assert audited["actor"] == MAR_ANALYST.name
    assert audited["reference"] == reference.split(":", 1)[1]
    assert str(audited["outcome"]).startswith("unverified reply: stale")


# -- the partner disabled: no disclosure without a decision taken while it is enabled ----------


def test_an_approval_to_a_disabled_partner_is_refused_and_discloses_nothing(pair: Pair) -> None:
    asked = pair.asker().request(pair.hit_reference(), WHY, by=MAR_ANALYST)
    pair.bel.directory.disable("MAR", actor=ADMIN)

    with pytest.raises(InvalidInput) as refused:
        pair.owner().approve(asked.id, None, by=BEL_ANALYST)

    assert refused.value.field == "peer"
    assert "disabled" in str(refused.value)
    (incoming,) = pair.owner().listed("incoming", by=BEL_ANALYST)
    assert (incoming.status, incoming.released) == ("pending", None)
    assert actions(pair.bel, "followup.disclose") == []
    with pair.bel.node.database.read() as session:
        assert session.scalars(select(ExchangeOutbox)).all() == []


def test_an_approval_queued_when_the_partner_is_disabled_leaves_only_after_a_new_decision(
    pair: Pair,
) -> None:
    asked = pair.asker().request(pair.hit_reference(), WHY, by=MAR_ANALYST)
    pair.owner().approve(asked.id, None, by=BEL_ANALYST)
    pair.bel.directory.disable("MAR", actor=ADMIN)  # before the deliverer sent the answer
    pair.bel.directory.enable("MAR", actor=ADMIN)
    pair.deliver()

    (outgoing,) = pair.asker().listed("outgoing", by=MAR_ANALYST)
    assert (outgoing.status, outgoing.released) == ("pending", None)
    (disabled,) = actions(pair.bel, "peer.disable")
    assert disabled["disclosures_held"] == "1"
    (status,) = outbox_status(pair.bel.node.database)
    assert (status.waiting, status.parked, status.delivered) == (0, 1, 0)

    requeue_parked(pair.bel.node.database, pair.bel.node.audit, "MAR", actor=ADMIN, now=utc_now())
    pair.deliver()
    (outgoing,) = pair.asker().listed("outgoing", by=MAR_ANALYST)
    assert outgoing.status == "approved"
    assert actions(pair.bel, "exchange.outbox.requeue")[0]["actor"] == ADMIN.name
