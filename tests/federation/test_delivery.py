"""Delivering the outbox over real mutual TLS: retries, order, restarts, two deliverers.

MAR sends; BEL serves the real federation listener on loopback and applies
``alert.issue``/``alert.withdraw`` once (its ``exchange_inbox`` is the proof).
The claiming tests run on SQLite and PostgreSQL (``database`` fixture).
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.exc import InvalidInput
from passerelle.federation import (
    FederationCA,
    NodeIdentity,
    TlsFiles,
    new_federation_ca,
)
from passerelle.federation.alerts.incoming import receive_alert
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import (
    PARKED_UNTIL,
    Deliverer,
    DeliveryPolicy,
    DeliveryReport,
    claim_head,
    retry_delay,
    waiting_peers,
)
from passerelle.federation.transport.inbound import Handler, InboundMessage, NotAllowed
from passerelle.federation.transport.outbox import enqueue
from passerelle.federation.transport.outbox_status import REQUEUE, outbox_status, requeue_parked
from passerelle.federation.transport.server import federation_app
from passerelle.node import Node
from passerelle.server.ports import free_port
from passerelle.settings import Settings
from passerelle.store import AuditTrail, Database
from passerelle.store.alerts import parse_alert
from passerelle.store.tables import ExchangeInbox, ExchangeOutbox, PartnerAlert
from passerelle.wiring import alert_registry
from tests.conftest import with_biometric_key
from tests.federation.conftest import enrol
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
)

PASSERELLE = str(Path(sys.executable).parent / "passerelle")
FAST = FAST_DELIVERY
T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def ca() -> FederationCA:
    return new_federation_ca("Test federation CA", now=datetime.now(UTC))


@pytest.fixture
def bel(ca: FederationCA, tmp_path: Path) -> Iterator[FederatedNode]:
    node = make_node(tmp_path / "bel", ca, "BEL")
    yield node
    node.close()


def serving(
    bel: FederatedNode, *, port: int = 0, **handlers: Handler
) -> AbstractContextManager[int]:
    """BEL's real listener, with some handlers replaced (``alert_issue=...``)."""
    table = {**node_handlers(bel), **{kind.replace("_", "."): h for kind, h in handlers.items()}}
    return listening(federation_app(bel.node, bel.identity, handlers=table), bel.tls, port=port)


def partners(mar: FederatedNode, bel: FederatedNode, port: int) -> None:
    register(bel, mar, 1, alert_categories=["wanted"])
    register(mar, bel, port, alert_categories=["wanted"])


def issue(mar: FederatedNode, alert_id: str) -> None:
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


def withdraw(mar: FederatedNode, alert_id: str) -> None:
    with mar.node.database.write() as session:
        alert_registry(mar.node).withdraw(
            session, alert_id, actor=ADMIN, now=mar.node.clock(), reason="found"
        )


def outbox(node: FederatedNode) -> list[ExchangeOutbox]:
    with node.node.database.read() as session:
        return list(session.scalars(select(ExchangeOutbox).order_by(ExchangeOutbox.id)))


def inbox_keys(node: FederatedNode) -> list[str]:
    with node.node.database.read() as session:
        return sorted(session.scalars(select(ExchangeInbox.idempotency_key)))


def partner_alerts(node: FederatedNode) -> list[tuple[str, str, int]]:
    with node.node.database.read() as session:
        rows = session.scalars(select(PartnerAlert).order_by(PartnerAlert.alert_id))
        return [(row.alert_id, row.status, row.version) for row in rows]


def applied_order(node: FederatedNode) -> list[tuple[str, int]]:
    """(alert id, version) of each message BEL applied, in the order it applied them."""
    return [(r["alert_id"], r["version"]) for r in node.audit_records("exchange.alert.receive")]


def until(condition: Callable[[], bool], *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def deliver_all(deliverer: Deliverer, node: FederatedNode, *, seconds: float = 30) -> None:
    def done() -> bool:
        deliverer.deliver_due()
        return all(row.delivered_at is not None for row in outbox(node))

    until(done, seconds=seconds)


# -- pure ---------------------------------------------------------------------------------


def test_retry_delays_double_up_to_the_cap_and_keep_at_least_half_the_step() -> None:
    steps = [retry_delay(n, base=2, cap=300, draw=0.999) for n in range(1, 11)]
    assert steps[:4] == pytest.approx([2, 4, 8, 16], rel=1e-3)
    assert max(steps) == pytest.approx(300, rel=1e-3)
    assert retry_delay(4, base=2, cap=300, draw=0.0) == 8
    assert retry_delay(10_000, base=2, cap=300, draw=0.0) == 150


# -- claiming, on both backends -----------------------------------------------------------


def mar_on(database: Database, folder: Path, ca: FederationCA, *, key: bytes) -> FederatedNode:
    """MAR on the test ``database`` with an engine of its own, as another process would have."""
    own = Database(database.url)
    node = Node(with_biometric_key(Settings(home=folder, node="MAR")), own, AuditTrail(key))
    tls = folder / "tls"
    files = TlsFiles(tls) if tls.exists() else enrol(ca, "MAR", tls)
    directory = PeerDirectory(own, node.audit, clock=node.clock)
    return FederatedNode("MAR", node, NodeIdentity.generate("MAR"), files, directory)


def test_a_claimed_head_keeps_others_off_that_partner_until_its_lease_ends(
    database: Database,
) -> None:
    with database.write() as session:
        for key in ("k1", "k2", "k3"):
            enqueue(session, peer="BEL", kind="alert.issue", body={}, idempotency_key=key, now=T0)
        enqueue(session, peer="FRA", kind="alert.issue", body={}, idempotency_key="f1", now=T0)
    other = Database(database.url)  # a second deliverer: its own connections
    try:
        first = claim_head(database, "BEL", now=T0, lease=30)
        assert first is not None
        assert (first.idempotency_key, first.attempt) == ("k1", 1)
        assert claim_head(other, "BEL", now=T0 + timedelta(seconds=1), lease=30) is None
        fra = claim_head(other, "FRA", now=T0 + timedelta(seconds=1), lease=30)
        assert fra is not None
        assert fra.idempotency_key == "f1"
        assert waiting_peers(other) == ["BEL", "FRA"]

        again = claim_head(other, "BEL", now=T0 + timedelta(seconds=31), lease=30)
        assert again is not None
        assert (again.idempotency_key, again.attempt) == ("k1", 2)  # its deliverer died
    finally:
        other.dispose()


def test_two_deliverers_send_each_message_once_and_in_order(
    database: Database, ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    key = secrets.token_bytes(32)
    mar = mar_on(database, tmp_path / "mar", ca, key=key)
    twin = mar_on(database, tmp_path / "mar", ca, key=key)
    twin.identity = mar.identity  # one node, two deliverer processes
    with serving(bel) as port:
        partners(mar, bel, port)
        ids = [f"MAR-T-{n}" for n in range(8)]
        for alert_id in ids:
            issue(mar, alert_id)
        clients = [BlockingExchangeClient(n.identity, n.tls) for n in (mar, twin)]
        try:
            deliverers = [
                Deliverer(n.node, c, policy=FAST) for n, c in zip((mar, twin), clients, strict=True)
            ]
            threads = [threading.Thread(target=deliver_all, args=(d, mar)) for d in deliverers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            for client in clients:
                client.close()
            twin.node.database.dispose()

    rows = outbox(mar)
    assert [row.attempts for row in rows] == [1] * len(ids)  # no message sent twice
    assert all(row.delivered_at is not None for row in rows)
    assert inbox_keys(bel) == sorted(f"alert:{alert_id}:1" for alert_id in ids)
    assert applied_order(bel) == [(alert_id, 1) for alert_id in ids]
    assert len(mar.audit_records("exchange.deliver")) == len(ids)
    mar.node.database.dispose()


# -- a partner down, a message refused, a deliverer killed --------------------------------


def test_a_partner_that_was_down_gets_everything_in_order_when_it_comes_back(
    ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    mar = make_node(tmp_path / "mar", ca, "MAR")
    port = free_port()
    partners(mar, bel, port)
    issue(mar, "MAR-D-1")
    issue(mar, "MAR-D-2")
    withdraw(mar, "MAR-D-1")
    patient = DeliveryPolicy(interval=0.05, timeout=5, lease=10, base_delay=2, max_delay=2)
    with BlockingExchangeClient(mar.identity, mar.tls) as client:
        deliverer = Deliverer(mar.node, client, policy=patient)
        assert deliverer.deliver_due() == DeliveryReport(retrying=1)
        assert deliverer.deliver_due() == DeliveryReport()  # backing off: nothing overtakes
        head, *rest = outbox(mar)
        assert head.attempts == 1
        assert (head.last_error or "").startswith("unreachable:")
        assert head.next_attempt_at > datetime.now(UTC)
        assert [row.attempts for row in rest] == [0, 0]

        with serving(bel, port=port):
            deliver_all(deliverer, mar)
            client.close()  # before the listener stops: it waits for open connections

    assert partner_alerts(bel) == [("MAR-D-1", "withdrawn", 2), ("MAR-D-2", "active", 1)]
    assert inbox_keys(bel) == ["alert:MAR-D-1:1", "alert:MAR-D-1:2", "alert:MAR-D-2:1"]
    assert applied_order(bel) == [("MAR-D-1", 1), ("MAR-D-2", 1), ("MAR-D-1", 2)]
    mar.close()


def test_a_message_refused_for_good_is_parked_and_audited_and_the_next_one_goes(
    ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    mar = make_node(tmp_path / "mar", ca, "MAR")
    with serving(bel) as port:
        partners(mar, bel, port)
        with mar.node.database.write() as session:
            bad = {"version": 1, "alert": {"category": "gossip"}}
            enqueue(
                session,
                peer="BEL",
                kind="alert.issue",
                body=bad,
                idempotency_key="bad:1",
                now=mar.node.clock(),
            )
        issue(mar, "MAR-P-1")
        with BlockingExchangeClient(mar.identity, mar.tls) as client:
            deliverer = Deliverer(mar.node, client, policy=FAST)
            assert deliverer.deliver_due() == DeliveryReport(delivered=1, refused=1)
            assert deliverer.deliver_due() == DeliveryReport()  # parked: never retried

    parked, sent = outbox(mar)
    assert parked.next_attempt_at == PARKED_UNTIL
    assert parked.delivered_at is None
    assert (parked.last_error or "").startswith("refused: invalid: category")
    assert sent.delivered_at is not None
    (refused,) = mar.audit_records("exchange.deliver.refused")
    assert (refused["peer"], refused["code"], refused["idempotency_key"]) == (
        "BEL",
        "invalid",
        "bad:1",
    )
    assert partner_alerts(bel) == [("MAR-P-1", "active", 1)]
    mar.close()


class Gate:
    """BEL's ``alert.issue`` handler that, for one key, applies the message and then hangs
    (the reply is lost: its sender is killed meanwhile)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, message: InboundMessage) -> dict[str, Any]:
        result = receive_alert(message)
        if message.envelope.body.get("idempotency_key") == self.key and not self.entered.is_set():
            self.entered.set()
            self.release.wait(30)
        return result


def test_a_deliverer_killed_mid_send_resumes_after_restart_and_nothing_is_applied_twice(
    ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    mar = make_home_node(tmp_path / "mar", ca, "MAR")
    gate = Gate("alert:MAR-K-2:1")
    with serving(bel, alert_issue=gate) as port:
        partners(mar, bel, port)
        for n in (1, 2, 3):
            issue(mar, f"MAR-K-{n}")
        command = [PASSERELLE, "federation", "deliver", "--interval", "0.1"]
        options = ["--timeout", "5", "--lease", "6"]
        deliverer = subprocess.Popen(
            [*command, *options],
            env=home_env(mar),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            reached = gate.entered.wait(60)
            deliverer.send_signal(signal.SIGKILL)
        finally:
            deliverer.kill()
            _, errors = deliverer.communicate(timeout=10)
            gate.release.set()
        assert reached, f"the deliverer never reached the second message: {errors[-2000:]}"

        first, second, third = outbox(mar)
        assert first.delivered_at is not None
        assert (second.delivered_at, second.attempts, third.attempts) == (None, 1, 0)
        assert "alert:MAR-K-2:1" in inbox_keys(bel)  # applied; its reply never arrived

        until(lambda: outbox(mar)[1].next_attempt_at <= datetime.now(UTC), seconds=15)
        restarted = subprocess.run(
            [PASSERELLE, "federation", "deliver", "--once", *options],
            env=home_env(mar),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert restarted.returncode == 0, restarted.stderr
        assert "delivered 2," in restarted.stdout

    assert [(row.delivered_at is not None, row.attempts) for row in outbox(mar)] == [
        (True, 1),
        (True, 2),
        (True, 1),
    ]
    assert inbox_keys(bel) == [f"alert:MAR-K-{n}:1" for n in (1, 2, 3)]
    assert applied_order(bel) == [(f"MAR-K-{n}", 1) for n in (1, 2, 3)]
    resent = [r for r in mar.audit_records("exchange.deliver") if r["outbox_id"] == second.id]
    assert [(r["attempt"], r["duplicate"]) for r in resent] == [(2, True)]
    mar.close()


def test_federation_serve_delivers_the_outbox_beside_the_listener(
    ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    mar = make_home_node(tmp_path / "mar", ca, "MAR")
    with serving(bel) as port:
        partners(mar, bel, port)
        issue(mar, "MAR-S-1")
        command = ["federation", "serve", "--port", str(free_port()), "--deliver-interval", "0.1"]
        server = subprocess.Popen(
            [PASSERELLE, *command], env=home_env(mar), stdout=subprocess.PIPE, text=True
        )
        try:
            until(lambda: partner_alerts(bel) == [("MAR-S-1", "active", 1)], seconds=60)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(20)
    assert outbox(mar)[0].delivered_at is not None
    mar.close()


def test_parked_messages_are_counted_and_requeued_in_order_when_the_cause_is_fixed(
    ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    mar = make_node(tmp_path / "mar", ca, "MAR")
    accepting = False

    def refuse_then_accept(message: InboundMessage) -> dict[str, Any]:
        if not accepting:  # BEL's agreement does not take MAR's alerts yet
            raise NotAllowed("alerts from MAR are not in BEL's agreement")
        return receive_alert(message)

    with serving(bel, alert_issue=refuse_then_accept) as port:
        partners(mar, bel, port)
        issue(mar, "MAR-Q-1")
        issue(mar, "MAR-Q-2")
        with BlockingExchangeClient(mar.identity, mar.tls) as client:
            deliverer = Deliverer(mar.node, client, policy=FAST)
            assert deliverer.deliver_due() == DeliveryReport(refused=2)
            (status,) = outbox_status(mar.node.database)
            assert (status.peer, status.waiting, status.parked, status.delivered) == (
                "BEL",
                0,
                2,
                0,
            )
            with pytest.raises(InvalidInput, match="no message to TUN is parked"):
                requeue_parked(
                    mar.node.database, mar.node.audit, "TUN", actor=ADMIN, now=mar.node.clock()
                )

            accepting = True
            keys = requeue_parked(
                mar.node.database, mar.node.audit, "bel", actor=ADMIN, now=mar.node.clock()
            )
            assert keys == ["alert:MAR-Q-1:1", "alert:MAR-Q-2:1"]
            assert outbox_status(mar.node.database)[0].waiting == 2
            deliver_all(deliverer, mar)

    assert applied_order(bel) == [("MAR-Q-1", 1), ("MAR-Q-2", 1)]
    (requeued,) = mar.audit_records(REQUEUE)
    assert (requeued["peer"], requeued["messages"]) == ("BEL", 2)
    assert outbox_status(mar.node.database)[0].delivered == 2
    mar.close()


def test_the_wait_between_tries_is_capped_by_the_node_setting(
    ca: FederationCA, bel: FederatedNode, tmp_path: Path
) -> None:
    """``PASSERELLE_FEDERATION_RETRY_MAX_S`` caps ``federation deliver``'s back-off: a partner
    down for a while is tried again within the cap (1 s here), not 8 to 16 s after a fourth
    failure as the default back-off would (``federation serve`` builds the same policy)."""
    from tests.federation.nodes import run_in_process

    mar = make_home_node(tmp_path / "mar", ca, "MAR")
    partners(mar, bel, free_port())  # nobody listens there: BEL is down
    issue(mar, "MAR-C-1")
    env = home_env(mar) | {"PASSERELLE_FEDERATION_RETRY_MAX_S": "1"}
    for _ in range(4):
        with mar.node.database.write() as session:  # due now, whatever the last delay was
            session.execute(
                ExchangeOutbox.__table__.update().values(
                    next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)
                )
            )
        tried = datetime.now(UTC)
        run_in_process(["federation", "deliver", "--once"], env)
    (message,) = outbox(mar)
    assert message.attempts == 4
    assert message.delivered_at is None
    due = message.next_attempt_at.replace(tzinfo=message.next_attempt_at.tzinfo or UTC)
    assert due - tried <= timedelta(seconds=1.5)
    mar.close()
