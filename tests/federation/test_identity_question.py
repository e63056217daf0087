"""The identity question between two real nodes: MAR asks BEL whether a traveller is known
there under another identity; a hit opens a cross-border yellow link at MAR, whose analyst
asks BEL for the record (a follow-up BEL's analyst approves), reads it beside MAR's own and
resolves the link red. A no-hit opens nothing; nothing personal crosses before approval."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from passerelle.federation import new_federation_ca
from passerelle.federation.followups.requests import FollowUps
from passerelle.federation.peers.directory import Agreement
from passerelle.federation.queries.asking import ExchangeAsker
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer
from passerelle.records.identity_links import LinkEnd
from passerelle.screening import Inspector, InspectorConfig
from passerelle.services.identity_asking import IdentityAsking
from passerelle.services.identity_links import IdentityLinkDesk
from passerelle.store.audit import Actor
from tests.federation.nodes import (
    FederatedNode,
    listening,
    make_node,
    register_partner,
    serve_partner,
)
from tests.federation.test_federated_inspection import inspect, load_bel
from tests.screening.conftest import passport

MAR_ANALYST = Actor("analyst.mar", "user", "analyst")
BEL_ANALYST = Actor("analyst.bel", "user", "analyst")
BEL_TERMS = Agreement.of(
    inbound_kinds=("document", "person", "face", "identity"), alert_categories=("wanted",)
)
MAR_TERMS = Agreement.of(outbound_kinds=("identity",))
WHY = "Traveller seen at TNG-MED under a Moroccan passport; checking for a second identity."


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    mar_client: BlockingExchangeClient
    bel_client: BlockingExchangeClient

    def asking(self) -> IdentityAsking:
        asker = ExchangeAsker(self.mar_client, self.mar.directory, node=self.mar.node)
        return IdentityAsking(self.mar.node, asker)

    def desk(self) -> IdentityLinkDesk:
        follow_ups = FollowUps(self.mar.node, self.mar.directory, sender=self.mar_client)
        return IdentityLinkDesk(self.mar.node, follow_ups=follow_ups)

    def inspected(self, **mrz: str) -> str:
        inspector = Inspector(self.mar.node, config=InspectorConfig(watchlist_max_age_s=None))
        return inspect(inspector, passport(**mrz), federation=False).inspection_id


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


def test_a_partner_hit_opens_a_yellow_link_resolved_red_after_an_approved_follow_up(
    pair: Pair,
) -> None:
    inspection = pair.inspected(
        surname="EL<IDRISSI",
        given_names="YOUSSEF",
        number="MQ5550001",
        birth_date="880712",
        sex="M",
    )
    asked = pair.asking().ask(MAR_ANALYST, WHY, LinkEnd("inspection", inspection))
    (answer,) = asked.answers
    assert (answer.peer, answer.kind, answer.status) == ("BEL", "identity", "hit")
    (link_id,) = asked.link_ids

    desk = pair.desk()
    evidence = desk.evidence(MAR_ANALYST, "identity link review", link_id)
    link = evidence.link
    assert (link.colour, link.origin, link.partner_state) == ("yellow", "partner", "BEL")
    assert link.right == LinkEnd("partner", f"BEL:{answer.reference}")
    partner = evidence.right if evidence.right.end.kind == "partner" else evidence.left
    assert not partner.held  # nothing crosses before approval
    assert partner.names == ()

    # what crossed: the hit/no-hit answer only; BEL audited the question as a search
    (answered,) = pair.bel.audit_records("exchange.query.answer")
    assert answered["kind"] == "identity"
    assert answered["document_number"] == "MQ5550001"
    (sent,) = pair.mar.audit_records("exchange.query.ask")
    assert (sent["actor"], sent["kind"]) == ("analyst.mar", "identity")
    assert pair.mar.audit_records("identity_link.propose")[0]["partner"] == "BEL"

    follow_up = desk.ask_follow_up(MAR_ANALYST, link_id, WHY)
    assert follow_up.status == "pending"
    still = desk.evidence(MAR_ANALYST, "identity link review", link_id)
    assert (still.follow_up is not None and still.follow_up.status) == "pending"
    assert not any(r.disclosed_by for r in (still.left, still.right))

    owner = FollowUps(pair.bel.node, pair.bel.directory)
    owner.approve(follow_up.id, "Same man, wanted here.", by=BEL_ANALYST)
    Deliverer(pair.bel.node, pair.bel_client, directory=pair.bel.directory).deliver_due()

    shown = desk.evidence(MAR_ANALYST, "identity link review", link_id)
    disclosed = shown.right if shown.right.end.kind == "partner" else shown.left
    assert disclosed.disclosed_by == "BEL"
    assert disclosed.names == ("Youssef El Idrissi",)
    assert disclosed.birth_date == "1988-07-12"
    assert pair.mar.audit_records("identity_link.read")[-1]["partner_data"] is True

    resolved = desk.resolve(MAR_ANALYST, link_id, colour="red", note="Wanted at BEL as himself.")
    assert resolved.colour == "red"


def test_a_no_hit_opens_no_link(pair: Pair) -> None:
    inspection = pair.inspected(number="ZX9876543")
    asked = pair.asking().ask(MAR_ANALYST, WHY, LinkEnd("inspection", inspection))
    assert [(a.peer, a.status) for a in asked.answers] == [("BEL", "no_hit")]
    assert asked.link_ids == ()
    listed = pair.desk().listed(MAR_ANALYST, "identity link review", colour=None)
    assert listed.links == ()
    (asking,) = pair.mar.audit_records("identity_link.ask")
    assert (asking["hits"], asking["links"]) == (0, [])
