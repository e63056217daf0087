"""Chip trust between partners: a node publishes the CSCAs it trusts through the outbox; a
partner keeps them as an offer, trusted only once its administrator adopts them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.federation.chips import CSCAS_KIND, chip_handlers
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.peers.values import Agreement, PeerView
from passerelle.federation.protocol.envelope import new_envelope
from passerelle.federation.protocol.identity import NodeIdentity
from passerelle.federation.transport.inbound import InboundMessage
from passerelle.node import Node
from passerelle.services.chip import ChipDesk
from passerelle.settings import Settings
from passerelle.store import AuditTrail, Database
from passerelle.store.audit import Actor
from passerelle.store.tables import AuditRecord, ExchangeOutbox
from tests.conftest import Clock, with_biometric_key
from tests.documents.chip.chip_pki import ANNA, AS_OF, pki, signer

ADMIN = Actor("admin.rahmani", "user", "admin")
OFFICER = Actor("officer.benali", "user", "officer")


def new_node(folder: Path, clock: Clock) -> Node:
    database = Database(f"sqlite:///{folder / 'node.db'}")
    database.upgrade()
    return Node(
        with_biometric_key(Settings(home=folder / "home")),
        database,
        AuditTrail(secrets.token_bytes(32)),
        clock,
    )


@pytest.fixture
def publisher(tmp_path: Path, clock: Clock) -> Iterator[Node]:
    (tmp_path / "mar").mkdir(exist_ok=True)
    node = new_node(tmp_path / "mar", clock)
    yield node
    node.database.dispose()


@pytest.fixture
def partner(tmp_path: Path, clock: Clock) -> Iterator[Node]:
    (tmp_path / "bel").mkdir(exist_ok=True)
    node = new_node(tmp_path / "bel", clock)
    yield node
    node.database.dispose()


def sender(state: str, clock: Clock) -> PeerView:
    now = clock()
    return PeerView(
        state=state, name=state, url=f"https://{state.lower()}.example", keys=(),
        agreement=Agreement(), enabled=True, added_at=now, added_by="admin", updated_at=now,
    )  # fmt: skip


def deliver(node: Node, body: dict[str, Any], clock: Clock) -> dict[str, Any]:
    handler = chip_handlers()[CSCAS_KIND]
    envelope = new_envelope("MAR", "BEL", CSCAS_KIND, body, at=clock())
    return handler(InboundMessage(node, sender("MAR", clock), envelope, clock()))


def published_body(publisher: Node) -> dict[str, Any]:
    desk = ChipDesk(publisher)
    desk.import_csca(ADMIN, pki().certificate.public_bytes(Encoding.DER), source="hand")
    PeerDirectory(publisher.database, publisher.audit, clock=publisher.clock).add(
        "BEL", url="https://bel.example", public_keys=[NodeIdentity.generate("BEL").peer_key.text],
        actor=ADMIN,
    )  # fmt: skip
    version, partners = desk.publish(ADMIN)
    assert (version, partners) == (1, ["BEL"])
    with publisher.database.read() as session:
        (row,) = session.scalars(select(ExchangeOutbox).where(ExchangeOutbox.kind == CSCAS_KIND))
        return dict(row.body)


def test_published_cscas_are_offered_to_the_partner_and_trusted_only_once_adopted(
    publisher: Node, partner: Node, clock: Clock
) -> None:
    body = published_body(publisher)
    answer = deliver(partner, body, clock)
    assert answer == {"kept": True, "duplicate": False, "offered": 1}
    desk = ChipDesk(partner)
    assert [o.country for o in desk.offered(ADMIN)] == ["UT"]
    chip = signer().chip(ANNA)
    before = desk.verify(OFFICER, chip, printed_mrz=ANNA, as_of=AS_OF)
    assert [f.code.value for f in before.findings] == ["csca_unknown"]
    change = desk.adopt_partner(ADMIN, "MAR")
    assert (change.kind, change.added) == ("partner", 1)
    after = desk.verify(OFFICER, chip, printed_mrz=ANNA, as_of=AS_OF)
    assert after.verified
    with partner.database.read() as session:
        actions = list(session.scalars(select(AuditRecord.action)))
    assert "exchange.chip.cscas_receive" in actions
    assert "chip_trust.adopt_partner" in actions


def test_the_same_publication_twice_is_kept_once(
    publisher: Node, partner: Node, clock: Clock
) -> None:
    body = published_body(publisher)
    deliver(partner, body, clock)
    assert deliver(partner, body, clock)["duplicate"] is True


def test_a_publication_holding_a_certificate_that_is_no_csca_is_refused_whole(
    partner: Node, clock: Clock
) -> None:
    import base64

    body = {
        "idempotency_key": "chip-cscas:1:x",
        "version": 1,
        "cscas": [
            base64.b64encode(pki().certificate.public_bytes(Encoding.DER)).decode(),
            base64.b64encode(signer().certificate.public_bytes(Encoding.DER)).decode(),
        ],
    }
    with pytest.raises(InvalidInput) as refused:
        deliver(partner, body, clock)
    assert refused.value.field == "cscas[1]"
    assert ChipDesk(partner).offered(ADMIN) == []
