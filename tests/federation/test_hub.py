"""Queries through a federation hub: real nodes, real mutual-TLS listeners, sealed parts.

MAR asks; BEL holds a stolen MAR passport and a wanted person
(``test_federated_inspection.load_bel``); ESP holds nothing. UNO is the hub: its
own identity, certificate, database and audit trail, its members and its matrix.
MAR reaches BEL and ESP through UNO unless a test says otherwise.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import inspect, select, text

from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.exc import InvalidInput
from passerelle.federation import FederationCA, NodeIdentity, new_federation_ca
from passerelle.federation.hub.asking import HubFanOut
from passerelle.federation.hub.matrix import HubMatrix, parse_matrix
from passerelle.federation.hub.router import RELAY_ACTION, HubRouter, PartSender
from passerelle.federation.hub.sending import RoutedSender
from passerelle.federation.hub.wire import decode_sealed, encode_sealed
from passerelle.federation.peers.directory import Agreement, PeerView
from passerelle.federation.protocol.envelope import JsonValue, new_envelope, sign_envelope
from passerelle.federation.protocol.errors import BadSeal
from passerelle.federation.protocol.identity import load_identity
from passerelle.federation.protocol.sealing import (
    SealingKey,
    load_sealing_key,
    open_sealed,
    parse_sealing_line,
    seal,
)
from passerelle.federation.queries.asking import (
    AskedFor,
    ExchangeAsker,
    PartnerAnswer,
    document_question,
    person_question,
)
from passerelle.federation.queries.handlers import PartnerServices
from passerelle.federation.queries.outbound_audit import ASK_ACTION
from passerelle.federation.transport.client import BlockingExchangeClient, PeerOutcome
from passerelle.federation.transport.delivery import Deliverer, DeliveryReport
from passerelle.federation.transport.inbound import REPLY_KIND
from passerelle.federation.transport.server import federation_app
from passerelle.lists.watchlist import StoreWatchlist
from passerelle.store.alerts import parse_alert
from passerelle.store.audit import Actor
from passerelle.store.tables import PartnerAlert
from passerelle.wiring import alert_registry
from passerelle.wiring.federation import hub_handlers
from tests.biometrics.test_enrolment import VAULT
from tests.federation.nodes import (
    ADMIN,
    FAST_DELIVERY,
    FederatedNode,
    home_env,
    listening,
    make_home_node,
    make_node,
    register_partner,
    run_in_process,
    serve_partner,
    silent_listener,
)
from tests.federation.test_federated_inspection import (
    BEL_TERMS,
    MAR_TERMS,
    STOLEN_AT_BEL,
    load_bel,
)

HUB = "UNO"
WANTED_NAME = "Youssef El Idrissi"
OFFICER = Actor(name="officer.hub", kind="user", role="officer")
ALL_QUERIES = {"agreements": [{"from": "*", "to": "*", "kinds": ["query.*"]}]}


@dataclass
class Hubbed:
    """The test federation: the hub, its members, MAR's asker and the members' sealing keys."""

    ca: FederationCA
    hub: FederatedNode
    members: dict[str, FederatedNode]
    sealing: dict[str, SealingKey]
    ports: dict[str, int]
    client: BlockingExchangeClient
    matrix: HubMatrix
    tampering: Tampering | None = None

    @property
    def mar(self) -> FederatedNode:
        return self.members["MAR"]

    def asker(self) -> ExchangeAsker:
        mar = self.mar
        route = HubFanOut(self.client, mar.identity, [self.sealing["MAR"]])
        return ExchangeAsker(self.client, mar.directory, node=mar.node, hub=route)

    def line(self, state: str) -> str:
        return self.sealing[state].line(self.members[state].identity).text


def _member(folder: Path, ca: FederationCA, state: str) -> tuple[FederatedNode, SealingKey]:
    made = make_home_node(folder / state.lower(), ca, state)
    return made, load_sealing_key(made.node.settings.keys_dir, state)


def _enrol_with_each_other(federation: Hubbed, asker: str, answerers: Sequence[str]) -> None:
    """``asker`` registers each answerer (directly reachable, its sealing key) and the
    answerers register ``asker`` (it may ask them, its sealing key)."""
    mar = federation.members[asker]
    for state in answerers:
        member = federation.members[state]
        register_partner(member, mar, federation.ports[asker], BEL_TERMS)
        member.directory.set_sealing_key(asker, federation.line(asker), actor=ADMIN)
        register_partner(mar, member, federation.ports[state], MAR_TERMS)
        mar.directory.set_sealing_key(state, federation.line(state), actor=ADMIN)


def _enrol_at_hub(federation: Hubbed, state: str, port: int) -> None:
    """``state`` becomes a member of the hub (at ``port``), and registers the hub."""
    hub, member = federation.hub, federation.members[state]
    register_partner(hub, member, port, Agreement())
    member.directory.add(
        HUB,
        url=f"https://localhost:{federation.ports[HUB]}",
        public_keys=[hub.identity.peer_key.text],
        actor=ADMIN,
        relays=True,
    )


def route_via_hub(federation: Hubbed, *states: str) -> None:
    for state in states:
        federation.mar.directory.set_route(state, via=HUB, actor=ADMIN)


def hub_app(federation: Hubbed, sender: PartSender | None = None) -> Any:
    hub = federation.hub
    router = HubRouter(sender or federation_sender(federation), hub.directory, federation.matrix)
    return federation_app(hub.node, hub.identity, handlers=hub_handlers(router))


_HUB_CLIENTS: list[BlockingExchangeClient] = []


def federation_sender(federation: Hubbed) -> BlockingExchangeClient:
    client = BlockingExchangeClient(federation.hub.identity, federation.hub.tls)
    _HUB_CLIENTS.append(client)
    return client


@contextmanager
def running(
    tmp_path: Path, *, hub_sender: type[Tampering] | None = None, with_tun: bool = False
) -> Iterator[Hubbed]:
    """MAR, BEL and ESP (and TUN, hung, when asked) as members of the hub UNO, all
    listening; MAR routes BEL and ESP through the hub."""
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    hub = make_node(tmp_path / "uno", ca, HUB)
    members, sealing = {}, {}
    for state in ("MAR", "BEL", "ESP"):
        members[state], sealing[state] = _member(tmp_path, ca, state)
    services = load_bel(members["BEL"], tmp_path / "bel")
    empty = empty_services(members["ESP"], tmp_path / "esp")
    matrix = HubMatrix(hub.node.database, hub.node.audit)
    matrix.replace(parse_matrix(ALL_QUERIES), actor=ADMIN)
    client = BlockingExchangeClient(members["MAR"].identity, members["MAR"].tls)
    federation = Hubbed(ca, hub, members, sealing, {}, client, matrix)
    with ExitStack() as stack:
        for made in (*members.values(), hub):
            stack.callback(made.close)
        for state, app in (
            ("MAR", serve_partner(members["MAR"])),
            ("BEL", serve_partner(members["BEL"], services)),
            ("ESP", serve_partner(members["ESP"], empty)),
        ):
            federation.ports[state] = stack.enter_context(listening(app, members[state].tls))
        sender = hub_sender(federation) if hub_sender is not None else None
        federation.tampering = sender
        federation.ports[HUB] = stack.enter_context(listening(hub_app(federation, sender), hub.tls))
        _enrol_with_each_other(federation, "MAR", ["BEL", "ESP"])
        for state in ("MAR", "BEL", "ESP"):
            _enrol_at_hub(federation, state, federation.ports[state])
        if with_tun:
            tun_identity = NodeIdentity.generate("TUN")
            tun_sealing = SealingKey("TUN", X25519PrivateKey.generate())
            hung = stack.enter_context(silent_listener())
            register_partner(hub, tun_identity, hung, Agreement())
            register_partner(members["MAR"], tun_identity, hung, MAR_TERMS)
            members["MAR"].directory.set_sealing_key(
                "TUN", tun_sealing.line(tun_identity).text, actor=ADMIN
            )
        route_via_hub(federation, "BEL", "ESP", *(["TUN"] if with_tun else []))
        stack.callback(_close_hub_clients)  # before the listeners stop: no idle connection
        stack.callback(client.close)
        yield federation


def _close_hub_clients() -> None:
    while _HUB_CLIENTS:
        _HUB_CLIENTS.pop().close()


def empty_services(esp: FederatedNode, folder: Path) -> PartnerServices:
    """ESP's engines over empty registries: it answers ``no_hit``."""
    screener = StoreWatchlist(esp.node, max_age_s=None)
    screener.refresh()
    return PartnerServices(screener, FaceGalleries(esp.node.database, VAULT, folder / "galleries"))


class Tampering:
    """A hub's sender that changes what it forwards or what comes back (a hostile hub)."""

    def __init__(self, federation: Hubbed) -> None:
        self.federation = federation
        self.client = federation_sender(federation)
        self.seen: list[bytes] = []

    def send_each(
        self,
        kind: str,
        bodies: Mapping[str, Mapping[str, JsonValue]],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        self.seen.extend(decode_sealed(body["sealed"]) for body in bodies.values())
        changed = {state: self.outbound(dict(body)) for state, body in bodies.items()}
        outcomes = self.client.send_each(kind, changed, peers=peers, deadline=deadline)
        return [self.inbound(outcome) for outcome in outcomes]

    def outbound(self, body: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return body

    def inbound(self, outcome: PeerOutcome) -> PeerOutcome:
        return outcome


class FlipsAByte(Tampering):
    def outbound(self, body: dict[str, JsonValue]) -> dict[str, JsonValue]:
        sealed = bytearray(decode_sealed(body["sealed"]))
        sealed[-5] ^= 0x01
        return body | {"sealed": encode_sealed(bytes(sealed))}


class ReplaysParts(Tampering):
    """Forwards each part twice (a new hub.deliver each time) and returns the second outcome."""

    def send_each(
        self,
        kind: str,
        bodies: Mapping[str, Mapping[str, JsonValue]],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        self.client.send_each(kind, bodies, peers=peers, deadline=deadline / 2)
        return self.client.send_each(kind, bodies, peers=peers, deadline=deadline / 2)


class ForgesAHit(Tampering):
    """Answers every query with a hit it signs with a key of its own, claiming BEL's name,
    sealed to MAR's registered sealing key (which a hub can learn)."""

    def inbound(self, outcome: PeerOutcome) -> PeerOutcome:
        if outcome.reply is None:
            return outcome
        mar_line = parse_sealing_line(
            self.federation.line("MAR"), [self.federation.mar.identity.peer_key]
        )
        forged = new_envelope(
            outcome.peer,
            "MAR",
            REPLY_KIND,
            {
                "in_reply_to": "unknown",
                "kind": "query.document",
                "result": {"result": "hit", "reference": "BEL:FORGED", "score_band": "high"},
            },
            at=datetime.now(UTC),
        )
        wire = sign_envelope(forged, NodeIdentity.generate(outcome.peer)).to_wire()
        body: dict[str, JsonValue] = {"sealed": encode_sealed(seal(wire, mar_line))}
        return replace(outcome, reply=replace(outcome.reply, body=body))


def issue(mar: FederatedNode, alert_id: str) -> None:
    """MAR issues a ``wanted`` alert on Nadia Amrani."""
    record = {
        "id": alert_id,
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Nadia Amrani"], "birth_date": "1991-07-30"},
        "issuing_authority": "DGSN Rabat",
        "action": "Hold the traveller.",
    }
    with mar.node.database.write() as session:
        alert_registry(mar.node).issue(
            session, parse_alert(record), actor=ADMIN, now=mar.node.clock()
        )


def partner_alerts(node: FederatedNode) -> list[tuple[str, str, int]]:
    with node.node.database.read() as session:
        rows = session.scalars(select(PartnerAlert).order_by(PartnerAlert.alert_id))
        return [(row.alert_id, row.status, row.version) for row in rows]


def by_peer(answers: Sequence[PartnerAnswer]) -> dict[str, PartnerAnswer]:
    return {answer.peer: answer for answer in answers}


def ask_document(federation: Hubbed, number: str, *, deadline: float = 3.0) -> list[PartnerAnswer]:
    question = document_question("MAR", number, purpose="border control")
    asked_for = AskedFor(OFFICER, "border control", "INS-HUB-1")
    return federation.asker().ask([question], deadline=deadline, asked_for=asked_for)


def test_a_document_query_through_the_hub_is_a_hit_at_bel_and_a_no_hit_at_esp(
    tmp_path: Path,
) -> None:
    with running(tmp_path) as federation:
        answers = by_peer(ask_document(federation, STOLEN_AT_BEL))

        assert answers["BEL"].status == "hit"
        assert answers["BEL"].reference is not None
        assert answers["BEL"].reference.startswith("BEL-")
        assert answers["ESP"].status == "no_hit"
        assert {answer.via for answer in answers.values()} == {HUB}
        asked = {r["peer"]: r for r in federation.mar.audit_records(ASK_ACTION)}
        assert set(asked) == {"BEL", "ESP"}
        assert asked["BEL"]["route"] == "hub"
        assert asked["BEL"]["hub"] == HUB
        assert asked["BEL"]["document_number"] == STOLEN_AT_BEL
        assert asked["BEL"]["result"] == "hit"
        (answered,) = federation.members["BEL"].audit_records("exchange.query.answer")
        assert answered["actor"] == "peer:MAR"
        assert answered["message_id"] == asked["BEL"]["message_id"]
        (relayed,) = federation.hub.audit_records(RELAY_ACTION)
        assert relayed["from"] == "MAR"
        assert relayed["kind"] == "query.document"
        assert {p["to"]: p["outcome"] for p in relayed["parts"]} == {
            "BEL": "answered",
            "ESP": "answered",
        }


def _everything_stored(node: FederatedNode) -> str:
    """Every row of every table of ``node``'s database, as text, and the raw file."""
    database = node.node.database
    dumped: list[str] = []
    with database.engine.connect() as connection:
        for table in inspect(database.engine).get_table_names():
            dumped.extend(map(str, connection.execute(text(f'SELECT * FROM "{table}"'))))
    home = node.node.settings.home
    for path in home.rglob("*"):
        if path.is_file():
            dumped.append(path.read_bytes().decode("latin-1"))
    return "\n".join(dumped)


def test_the_hub_cannot_read_what_crosses_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with running(tmp_path, hub_sender=Tampering) as federation:
        person = person_question(
            [WANTED_NAME], "1988-07-12", nationality="MAR", sex="M", purpose="border control"
        )
        asker = federation.asker()
        answers = by_peer(
            asker.ask([person], deadline=3.0) + ask_document(federation, STOLEN_AT_BEL)
        )
        assert answers["BEL"].status == "hit"

        stored = _everything_stored(federation.hub)
        assert federation.tampering is not None
        relayed = federation.tampering.seen
        seen = b"".join(relayed)
    for secret in (WANTED_NAME, "Idrissi", STOLEN_AT_BEL, "1988-07-12"):
        assert secret not in stored
        assert secret not in caplog.text
        assert secret.encode() not in seen
    assert _everything_stored(federation.mar).count(STOLEN_AT_BEL) > 0  # the asker keeps it
    with pytest.raises(BadSeal):
        open_sealed(relayed[0], [SealingKey(HUB, X25519PrivateKey.generate())])


def test_a_part_the_hub_alters_is_refused_by_the_addressee(tmp_path: Path) -> None:
    with running(tmp_path, hub_sender=FlipsAByte) as federation:
        answers = by_peer(ask_document(federation, STOLEN_AT_BEL))

        assert answers["BEL"].status == "refused"
        assert answers["BEL"].detail is not None
        assert answers["BEL"].detail.startswith("bad_seal")
        refused = federation.members["BEL"].audit_records("exchange.refused")
        assert [r["code"] for r in refused] == ["bad_seal"]
        assert federation.members["BEL"].audit_records("exchange.query.answer") == []


def test_a_part_the_hub_delivers_twice_is_answered_once(tmp_path: Path) -> None:
    with running(tmp_path, hub_sender=ReplaysParts) as federation:
        answers = by_peer(ask_document(federation, STOLEN_AT_BEL))

        assert answers["BEL"].status == "refused"
        assert answers["BEL"].detail is not None
        assert answers["BEL"].detail.startswith("replay")
        bel = federation.members["BEL"]
        assert len(bel.audit_records("exchange.query.answer")) == 1
        assert [r["code"] for r in bel.audit_records("exchange.refused")] == ["replay"]


def test_a_hub_that_forges_an_answer_is_refused_by_the_asker(tmp_path: Path) -> None:
    with running(tmp_path, hub_sender=ForgesAHit) as federation:
        answers = by_peer(ask_document(federation, "NOTHING42"))

        for state in ("BEL", "ESP"):
            assert answers[state].status == "invalid"
            assert answers[state].reference is None
        asked = federation.mar.audit_records(ASK_ACTION)
        assert {r["result"] for r in asked} == {"invalid"}


def test_a_member_the_matrix_does_not_allow_is_not_forwarded_to(tmp_path: Path) -> None:
    with running(tmp_path) as federation:
        only_bel = {"agreements": [{"from": "MAR", "to": "BEL", "kinds": ["query.document"]}]}
        federation.matrix.replace(parse_matrix(only_bel), actor=ADMIN)

        answers = by_peer(ask_document(federation, STOLEN_AT_BEL))

        assert answers["BEL"].status == "hit"
        assert answers["ESP"].status == "refused"
        assert answers["ESP"].sent is False
        assert answers["ESP"].detail is not None
        assert answers["ESP"].detail.startswith("hub_not_allowed")
        assert federation.members["ESP"].audit_records("exchange.query.answer") == []
        (relayed,) = federation.hub.audit_records(RELAY_ACTION)
        outcomes = {p["to"]: (p["outcome"], p.get("code")) for p in relayed["parts"]}
        assert outcomes["ESP"] == ("not_forwarded", "hub_not_allowed")


def test_a_hung_member_does_not_delay_the_others_past_the_deadline(tmp_path: Path) -> None:
    with running(tmp_path, with_tun=True) as federation:
        started = time.monotonic()
        answers = by_peer(ask_document(federation, STOLEN_AT_BEL, deadline=1.0))
        elapsed = time.monotonic() - started

        assert answers["BEL"].status == "hit"
        assert answers["ESP"].status == "no_hit"
        assert answers["TUN"].status == "timeout"
        assert elapsed < 1.0 + 0.5
        (relayed,) = federation.hub.audit_records(RELAY_ACTION)
        assert {p["to"]: p["outcome"] for p in relayed["parts"]}["TUN"] == "timeout"


def test_a_member_may_reach_some_partners_directly_and_others_through_the_hub(
    tmp_path: Path,
) -> None:
    with running(tmp_path) as federation:
        federation.mar.directory.set_route("BEL", via=None, actor=ADMIN)

        answers = by_peer(ask_document(federation, STOLEN_AT_BEL))

        assert (answers["BEL"].status, answers["BEL"].via) == ("hit", None)
        assert (answers["ESP"].status, answers["ESP"].via) == ("no_hit", HUB)
        asked = {r["peer"]: r for r in federation.mar.audit_records(ASK_ACTION)}
        assert "route" not in asked["BEL"]
        assert asked["ESP"]["route"] == "hub"
        (relayed,) = federation.hub.audit_records(RELAY_ACTION)
        assert [p["to"] for p in relayed["parts"]] == ["ESP"]


def test_a_node_that_is_not_a_member_cannot_use_the_hub(tmp_path: Path) -> None:
    with running(tmp_path) as federation:
        federation.hub.directory.disable("MAR", actor=ADMIN)

        answers = by_peer(ask_document(federation, STOLEN_AT_BEL))

        assert {a.status for a in answers.values()} == {"refused"}
        assert {a.detail.split(":")[0] for a in answers.values() if a.detail} == {"unknown_peer"}
        assert federation.hub.audit_records(RELAY_ACTION) == []


def test_a_sealing_key_line_must_be_signed_by_the_partners_signing_key(tmp_path: Path) -> None:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar, _ = _member(tmp_path, ca, "MAR")
    bel, bel_sealing = _member(tmp_path, ca, "BEL")
    try:
        register_partner(mar, bel, 1, MAR_TERMS)
        impostor = NodeIdentity.generate("BEL")
        with pytest.raises(InvalidInput, match="sealing_key: is not signed"):
            mar.directory.set_sealing_key("BEL", bel_sealing.line(impostor).text, actor=ADMIN)
        held = mar.directory.set_sealing_key(
            "BEL", bel_sealing.line(bel.identity).text, actor=ADMIN
        )
        assert held.sealing_key == bel_sealing.line(bel.identity).text
    finally:
        mar.close()
        bel.close()


def test_an_alert_is_delivered_through_the_hub_and_the_hub_keeps_none_of_it(
    tmp_path: Path,
) -> None:
    with running(tmp_path) as federation:
        with_alerts = {"agreements": [{"from": "*", "to": "*", "kinds": ["query.*", "alert.*"]}]}
        federation.matrix.replace(parse_matrix(with_alerts), actor=ADMIN)
        mar, bel = federation.mar, federation.members["BEL"]
        terms = replace(MAR_TERMS, alert_categories=("wanted",))
        mar.directory.update("BEL", agreement=terms, actor=ADMIN)
        issue(mar, "MAR-W-HUB-1")
        route = HubFanOut(federation.client, mar.identity, [federation.sealing["MAR"]])
        sender = RoutedSender(federation.client, route, mar.directory)

        report = Deliverer(mar.node, sender, policy=FAST_DELIVERY).deliver_due()

        assert report.delivered == 1
        assert partner_alerts(bel) == [("MAR-W-HUB-1", "active", 1)]
        (relayed,) = federation.hub.audit_records(RELAY_ACTION)
        assert (relayed["kind"], relayed["parts"][0]["outcome"]) == ("alert.issue", "answered")
        assert "Nadia Amrani" not in _everything_stored(federation.hub)


def test_a_member_rotates_its_signing_key_without_an_outage_through_the_hub(
    tmp_path: Path,
) -> None:
    with running(tmp_path) as federation:
        mar = federation.mar
        env = home_env(mar)
        run_in_process(["node", "rotate-key", "--takes-over-in-hours", "1"], env)
        assert Deliverer(mar.node, federation.client, policy=FAST_DELIVERY).deliver_due() == (
            DeliveryReport(delivered=3)
        )  # BEL, ESP and the hub
        assert len(federation.hub.audit_records("peer.key_announced")) == 1
        run_in_process(["node", "rotate-key", "--complete"], env)
        new = load_identity(mar.node.settings.keys_dir)
        with BlockingExchangeClient(new, mar.tls) as client:
            delivered = Deliverer(mar.node, client, policy=FAST_DELIVERY).deliver_due()
            route = HubFanOut(client, new, [federation.sealing["MAR"]])
            asker = ExchangeAsker(client, mar.directory, node=mar.node, hub=route)
            question = document_question("MAR", STOLEN_AT_BEL, purpose="border control")
            answers = by_peer(asker.ask([question], deadline=3.0))

        assert delivered == DeliveryReport(delivered=3)  # the old key's retirement
        assert len(federation.hub.audit_records("peer.key_retired")) == 1
        assert (answers["BEL"].status, answers["ESP"].status) == ("hit", "no_hit"), answers
