"""An alert's messages are ordered by version at the partner, whatever order they arrive in.

MAR issues and withdraws; BEL serves the real federation listener (mutual TLS,
loopback) with its whole handler table. A withdrawal that reaches BEL before the
issue (the issue parked at MAR, then requeued; or simply overtaken) is kept as a
tombstone, and no later issue of that version or below brings the alert back.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.federation import FederationCA, new_federation_ca
from passerelle.federation.alerts.incoming import alert_issue_body, receive_alert
from passerelle.federation.alerts.outgoing import alert_message_key
from passerelle.federation.peers.directory import PeerView
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer, DeliveryReport
from passerelle.federation.transport.inbound import InboundMessage, NotAllowed
from passerelle.federation.transport.outbox_status import outbox_status, requeue_parked
from passerelle.federation.transport.server import federation_app
from passerelle.node import Node
from passerelle.records.alerts import subject_key
from passerelle.store.alerts import AlertView, parse_alert
from passerelle.store.db import Database
from passerelle.store.partner_alerts import partner_alerts_on
from passerelle.store.tables import ExchangeOutbox, PartnerAlert, PartnerAlertTombstone
from passerelle.wiring import alert_registry
from tests.federation.nodes import (
    ADMIN,
    FAST_DELIVERY,
    FederatedNode,
    home_env,
    listening,
    make_home_node,
    make_node,
    node_handlers,
    register,
    run_in_process,
)

FAST = FAST_DELIVERY


@pytest.fixture(scope="module")
def ca() -> FederationCA:
    return new_federation_ca("Test federation CA", now=datetime.now(UTC))


def wanted(alert_id: str) -> dict[str, Any]:
    return {
        "id": alert_id,
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Nadia Amrani"], "birth_date": "1991-07-30"},
        "issuing_authority": "DGSN Rabat",
        "action": "Hold the traveller.",
    }


def step(mar: FederatedNode, verb: str, alert_id: str) -> AlertView:
    """One step of the alert's life on MAR (``record_hit``, ``rearm``, ``withdraw``)."""
    with mar.node.database.write() as session:
        moved: AlertView = getattr(alert_registry(mar.node), verb)(
            session, alert_id, actor=ADMIN, now=mar.node.clock(), reason=f"{verb} in a test"
        )
        return moved


def issue(mar: FederatedNode, alert_id: str) -> AlertView:
    with mar.node.database.write() as session:
        return alert_registry(mar.node).issue(
            session, parse_alert(wanted(alert_id)), actor=ADMIN, now=mar.node.clock()
        )


def issuer_state(mar: FederatedNode, alert_id: str) -> tuple[str, int]:
    """(status, version) of the alert on MAR: its version is its steps so far."""
    registry = alert_registry(mar.node)
    with mar.node.database.read() as session:
        return registry.get(session, alert_id).status, len(registry.history(session, alert_id))


def held(bel: FederatedNode, issuer: str, alert_id: str) -> tuple[str, int] | None:
    """(status, version) of the alert as BEL holds it: its row, else its tombstone."""
    with bel.node.database.read() as session:
        row = session.get(PartnerAlert, (issuer, alert_id))
        tombstone = session.get(PartnerAlertTombstone, (issuer, alert_id))
    if row is not None and (tombstone is None or row.version >= tombstone.version):
        return row.status, row.version
    return None if tombstone is None else ("withdrawn", tombstone.version)


def screened(bel: FederatedNode, alert: AlertView) -> list[str]:
    """The partner alerts BEL's border check finds on the alert's subject today."""
    with bel.node.database.read() as session:
        found = partner_alerts_on(session, subject_key(alert.subject), bel.node.clock().date())
    return [view.alert_id for view in found]


def outbox_bodies(mar: FederatedNode, alert_id: str) -> dict[int, tuple[str, dict[str, Any]]]:
    """MAR's queued messages about ``alert_id`` (kind, body), by version."""
    with mar.node.database.read() as session:
        rows = session.scalars(select(ExchangeOutbox).order_by(ExchangeOutbox.id)).all()
    return {
        row.body["version"]: (row.kind, row.body)
        for row in rows
        if row.body.get("alert_id", (row.body.get("alert") or {}).get("id")) == alert_id
    }


@dataclass
class RestartablePartner:
    """BEL: its node and real listener, stopped and opened again on the same home and port."""

    bel: FederatedNode
    port: int = 0
    accepting_issues: bool = True
    """False: BEL refuses ``alert.issue`` for good (``not_allowed``), so MAR parks it."""
    _serving: AbstractContextManager[int] | None = field(default=None, repr=False)

    def _issue(self, message: InboundMessage) -> dict[str, Any]:
        if not self.accepting_issues:  # BEL's agreement does not take MAR's alerts yet
            raise NotAllowed("alerts from MAR are not in BEL's agreement")
        return receive_alert(message)

    def start(self) -> int:
        handlers = {**node_handlers(self.bel), "alert.issue": self._issue}
        app = federation_app(self.bel.node, self.bel.identity, handlers=handlers)
        self._serving = listening(app, self.bel.tls, port=self.port)
        self.port = self._serving.__enter__()
        return self.port

    def stop(self) -> None:
        if self._serving is not None:
            self._serving.__exit__(None, None, None)
            self._serving = None

    def restart(self) -> None:
        """Stop the listener, close the node, open a new node on the same database."""
        self.stop()
        old = self.bel.node
        old.close()
        database = Database(old.settings.effective_database_url)
        self.bel.node = Node(settings=old.settings, database=database, audit=old.audit)
        self.start()


@dataclass
class Pair:
    mar: FederatedNode
    bel: RestartablePartner
    partner: PeerView


def pair_of_nodes(folder: Path, ca: FederationCA) -> Iterator[Pair]:
    mar = make_node(folder / "mar", ca, "MAR")
    bel = RestartablePartner(make_node(folder / "bel", ca, "BEL"))
    port = bel.start()
    register(bel.bel, mar, 1, alert_categories=["wanted"])
    partner = register(mar, bel.bel, port, alert_categories=["wanted"])
    try:
        yield Pair(mar, bel, partner)
    finally:
        bel.stop()
        bel.bel.close()
        mar.close()


@pytest.fixture(scope="module")
def pair(ca: FederationCA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """MAR and BEL for messages sent by hand (MAR's outbox is never delivered)."""
    yield from pair_of_nodes(tmp_path_factory.mktemp("alert-lifecycle"), ca)


@pytest.fixture(scope="module")
def delivering_pair(ca: FederationCA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """MAR and BEL for messages MAR's deliverer sends from its outbox."""
    yield from pair_of_nodes(tmp_path_factory.mktemp("alert-delivery"), ca)


MESSAGES = ("issue", "update", "withdraw")
ORDERS = [
    (order, restart_after)
    for order in itertools.permutations(MESSAGES)
    for restart_after in range(1, len(MESSAGES))
]


@pytest.mark.parametrize(
    ("order", "restart_after"),
    ORDERS,
    ids=[f"{'-'.join(order)}-restart@{n}" for order, n in ORDERS],
)
def test_an_alerts_messages_in_any_order_and_across_a_restart_converge_to_the_issuers_state(
    pair: Pair, order: tuple[str, ...], restart_after: int
) -> None:
    """Issue (v1), an update (v3, the alert re-armed after a hit) and the withdrawal (v4),
    signed by MAR and sent to BEL's listener in every order, BEL restarted in between:
    BEL ends holding what MAR holds, withdrawn at v4, and screens nobody against it."""
    mar = pair.mar
    alert_id = f"MAR-P-{'-'.join(name[0] for name in order)}-{restart_after}"
    issued = issue(mar, alert_id)
    step(mar, "record_hit", alert_id)
    rearmed = step(mar, "rearm", alert_id)
    step(mar, "withdraw", alert_id)
    queued = outbox_bodies(mar, alert_id)
    messages = {
        "issue": queued[1],
        "update": (
            "alert.issue",
            alert_issue_body(rearmed, version=3, idempotency_key=alert_message_key(alert_id, 3)),
        ),
        "withdraw": queued[4],
    }
    assert messages["withdraw"][0] == "alert.withdraw"

    segments = (order[:restart_after], order[restart_after:])
    for number, names in enumerate(segments):
        if number:
            pair.bel.restart()
        with BlockingExchangeClient(mar.identity, mar.tls) as client:  # its links die too
            for name in names:
                kind, body = messages[name]
                client.send(pair.partner, kind, body, timeout=5)

    bel = pair.bel.bel
    assert issuer_state(mar, alert_id) == ("withdrawn", 4)
    assert held(bel, "MAR", alert_id) == issuer_state(mar, alert_id)
    assert alert_id not in screened(bel, issued)
    outcomes = [
        (record["kind"], record["version"], record["outcome"])
        for record in bel.audit_records("exchange.alert.receive")
        if record["alert_id"] == alert_id
    ]
    assert len(outcomes) == len(order)
    assert all(outcome in ("applied", "stale", "tombstone") for _, _, outcome in outcomes)


def deliver(mar: FederatedNode) -> DeliveryReport:
    """One delivery pass of MAR's outbox, on a client of its own (closed after)."""
    with BlockingExchangeClient(mar.identity, mar.tls) as client:
        return Deliverer(mar.node, client, policy=FAST).deliver_due()


STEPS = list(itertools.permutations(("withdraw", "requeue", "restart")))


@pytest.mark.parametrize("steps", STEPS, ids=["-".join(steps) for steps in STEPS])
def test_a_parked_issue_a_withdrawal_a_requeue_and_a_restart_in_any_order_converge(
    delivering_pair: Pair, steps: tuple[str, ...]
) -> None:
    """MAR's issue is parked (BEL refuses it); then, in every order, MAR withdraws the
    alert (delivered), the cause is fixed and the parked issue requeued (delivered), and
    BEL restarts: BEL ends holding the alert as MAR does, withdrawn, and never screens
    against it once the withdrawal is in."""
    mar, bel = delivering_pair.mar, delivering_pair.bel
    alert_id = f"MAR-S-{'-'.join(name[:3] for name in steps)}"
    bel.accepting_issues = False
    issued = issue(mar, alert_id)
    assert deliver(mar).refused == 1
    withdrawn = False
    for name in steps:
        if name == "withdraw":
            step(mar, "withdraw", alert_id)
            withdrawn = True
        elif name == "requeue":
            bel.accepting_issues = True
            requeue_parked(
                mar.node.database, mar.node.audit, "BEL", actor=ADMIN, now=mar.node.clock()
            )
        else:
            bel.restart()
        deliver(mar)
        if withdrawn:
            assert alert_id not in screened(bel.bel, issued)

    assert held(bel.bel, "MAR", alert_id) == issuer_state(mar, alert_id) == ("withdrawn", 2)
    assert outbox_status(mar.node.database)[0].parked == 0


def test_a_withdrawal_delivered_while_the_issue_is_parked_is_not_undone_by_a_requeue(
    ca: FederationCA, tmp_path: Path
) -> None:
    """The issue is refused for good (parked); the withdrawal is delivered; the cause is
    fixed and ``passerelle federation requeue BEL`` sends the issue: BEL holds the alert
    withdrawn, finds nobody against it at the border, and audited the issue as stale."""
    mar = make_home_node(tmp_path / "mar", ca, "MAR")
    bel = make_node(tmp_path / "bel", ca, "BEL")
    accepting = False

    def refuse_then_accept(message: InboundMessage) -> dict[str, Any]:
        if not accepting:  # BEL's agreement does not take MAR's alerts yet
            raise NotAllowed("alerts from MAR are not in BEL's agreement")
        return receive_alert(message)

    handlers = {**node_handlers(bel), "alert.issue": refuse_then_accept}
    app = federation_app(bel.node, bel.identity, handlers=handlers)
    with listening(app, bel.tls) as port:
        register(bel, mar, 1, alert_categories=["wanted"])
        register(mar, bel, port, alert_categories=["wanted"])
        issued = issue(mar, "MAR-R-1")
        with BlockingExchangeClient(mar.identity, mar.tls) as client:
            deliverer = Deliverer(mar.node, client, policy=FAST)
            assert deliverer.deliver_due() == DeliveryReport(refused=1)  # the issue, parked
            step(mar, "withdraw", "MAR-R-1")
            assert deliverer.deliver_due() == DeliveryReport(delivered=1)
            assert held(bel, "MAR", "MAR-R-1") == ("withdrawn", 2)

            accepting = True
            said = run_in_process(["federation", "requeue", "BEL"], home_env(mar))
            assert "1 parked message(s) to BEL due again" in said
            assert deliverer.deliver_due() == DeliveryReport(delivered=1)

    assert held(bel, "MAR", "MAR-R-1") == issuer_state(mar, "MAR-R-1") == ("withdrawn", 2)
    assert screened(bel, issued) == []
    received = [
        (r["kind"], r["version"], r["outcome"]) for r in bel.audit_records("exchange.alert.receive")
    ]
    assert received == [("alert.withdraw", 2, "tombstone"), ("alert.issue", 1, "stale")]
    mar.close()
    bel.close()
