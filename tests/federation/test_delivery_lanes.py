"""Delivering to many partners at once: one lane per partner, a breaker per partner.

MAR shares alerts with DZA, EGY and TUN. DZA *hangs*: its port accepts TCP
connections and never answers (``silent_listener``), the failure that costs a
sender a whole timeout per attempt. EGY and TUN serve the real federation
listener over mutual TLS and apply each message once (their ``exchange_inbox``
and audit are the proof). DZA sorts first, so a sequential deliverer would make
the others wait out its timeout.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from passerelle.exc import InvalidInput
from passerelle.federation import FederationCA, NodeIdentity, new_federation_ca
from passerelle.federation.transport.breaker import PartnerBreaker
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer, DeliveryPolicy, DeliveryReport
from tests.federation.nodes import (
    FederatedNode,
    home_env,
    listening,
    make_home_node,
    make_node,
    register,
    serve_partner,
    silent_listener,
)
from tests.federation.test_delivery import (
    PASSERELLE,
    applied_order,
    issue,
    outbox,
    partner_alerts,
    until,
    withdraw,
)

T0 = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def ca() -> FederationCA:
    return new_federation_ca("Test federation CA", now=datetime.now(UTC))


@pytest.fixture
def healthy(ca: FederationCA, tmp_path: Path) -> Iterator[list[FederatedNode]]:
    nodes = [make_node(tmp_path / state.lower(), ca, state) for state in ("EGY", "TUN")]
    yield nodes
    for node in nodes:
        node.close()


def share_alerts(mar: FederatedNode, partner: FederatedNode | NodeIdentity, port: int) -> None:
    register(mar, partner, port, alert_categories=["wanted"])
    if isinstance(partner, FederatedNode):
        register(partner, mar, 1, alert_categories=["wanted"])


# -- the breaker, pure ----------------------------------------------------------------------


def test_the_breaker_opens_after_consecutive_failures_and_doubles_its_pause_up_to_the_cap() -> None:
    breaker = PartnerBreaker(failures=2, pause=1.0, max_pause=3.0)
    assert breaker.allows(T0)
    breaker.failed(T0)
    assert breaker.allows(T0)  # one failure: still closed
    breaker.failed(T0)
    assert not breaker.allows(T0 + timedelta(seconds=0.9))  # open for 1 s
    assert breaker.allows(T0 + timedelta(seconds=1))  # half open: one probe
    breaker.failed(T0 + timedelta(seconds=1))  # the probe failed: open for 2 s
    assert not breaker.allows(T0 + timedelta(seconds=2.9))
    breaker.failed(T0 + timedelta(seconds=3))
    assert breaker.open_until == T0 + timedelta(seconds=6)  # 4 s, capped at 3
    breaker.succeeded()
    assert breaker.allows(T0 + timedelta(seconds=3))
    assert breaker.open_until is None


def test_delivery_policy_refuses_unbounded_or_empty_lanes_naming_the_field() -> None:
    with pytest.raises(InvalidInput, match="lanes"):
        DeliveryPolicy(lanes=0)
    with pytest.raises(InvalidInput, match="breaker_failures"):
        DeliveryPolicy(breaker_failures=0)


# -- real partners ------------------------------------------------------------------------


def test_a_hung_partner_does_not_hold_back_alerts_to_the_others_which_get_each_once_in_order(
    ca: FederationCA,
    healthy: list[FederatedNode],
    tmp_path: Path,
) -> None:
    mar = make_node(tmp_path / "mar", ca, "MAR")
    timeout = 6.0
    policy = DeliveryPolicy(
        interval=0.05, timeout=timeout, lease=12, base_delay=0.05, max_delay=0.2
    )
    want = [("MAR-H-1", "withdrawn", 2), ("MAR-H-2", "active", 1)]
    with ExitStack() as stack:
        hung = stack.enter_context(silent_listener())
        share_alerts(mar, NodeIdentity.generate("DZA"), hung)
        for partner in healthy:
            share_alerts(
                mar, partner, stack.enter_context(listening(serve_partner(partner), partner.tls))
            )
        issue(mar, "MAR-H-1")
        issue(mar, "MAR-H-2")
        withdraw(mar, "MAR-H-1")
        client = stack.enter_context(BlockingExchangeClient(mar.identity, mar.tls))
        stop = threading.Event()
        runner = threading.Thread(
            target=Deliverer(mar.node, client, policy=policy).run, args=(stop,)
        )
        started = time.monotonic()
        runner.start()
        try:
            until(lambda: all(partner_alerts(p) == want for p in healthy), seconds=60)
            elapsed = time.monotonic() - started
        finally:
            stop.set()
            runner.join(timeout + 10)
        assert not runner.is_alive()

    assert elapsed < timeout / 2, f"the healthy partners waited {elapsed:.1f} s"
    for partner in healthy:
        assert applied_order(partner) == [("MAR-H-1", 1), ("MAR-H-2", 1), ("MAR-H-1", 2)]
    rows = outbox(mar)
    assert [r.attempts for r in rows if r.peer != "DZA"] == [1] * 6  # each sent once
    hung_rows = [r for r in rows if r.peer == "DZA"]
    assert all(r.delivered_at is None for r in hung_rows)
    assert (hung_rows[0].last_error or "").startswith("timeout:")
    mar.close()


def test_the_breaker_pauses_a_hung_partner_then_probes_it_and_delivers_when_it_answers(
    ca: FederationCA,
    healthy: list[FederatedNode],
    tmp_path: Path,
) -> None:
    mar = make_node(tmp_path / "mar", ca, "MAR")
    egy = healthy[0]
    policy = DeliveryPolicy(
        interval=0.05,
        timeout=0.5,
        lease=2,
        base_delay=0.01,
        max_delay=0.02,
        breaker_failures=2,
        breaker_pause=1.5,
        breaker_max_pause=5,
    )
    with BlockingExchangeClient(mar.identity, mar.tls) as client:
        deliverer = Deliverer(mar.node, client, policy=policy)
        with silent_listener() as port:
            share_alerts(mar, egy, port)
            issue(mar, "MAR-B-1")
            assert deliverer.deliver_due() == DeliveryReport(retrying=1)
            time.sleep(0.1)
            assert deliverer.deliver_due() == DeliveryReport(retrying=1)  # 2nd failure: opens
            opened = time.monotonic()
            time.sleep(0.1)
            assert deliverer.deliver_due() == DeliveryReport(paused=1)  # open: not even tried
            assert outbox(mar)[0].attempts == 2
        with listening(serve_partner(egy), egy.tls, port=port):
            time.sleep(max(0.0, 1.6 - (time.monotonic() - opened)))
            assert deliverer.deliver_due() == DeliveryReport(delivered=1)  # the probe
            issue(mar, "MAR-B-2")
            assert deliverer.deliver_due() == DeliveryReport(delivered=1)  # closed again
    assert partner_alerts(egy) == [("MAR-B-1", "active", 1), ("MAR-B-2", "active", 1)]
    assert [r.attempts for r in outbox(mar)] == [3, 1]
    mar.close()


def test_federation_deliver_once_serves_partners_in_lanes_and_reports_each_outcome(
    ca: FederationCA,
    healthy: list[FederatedNode],
    tmp_path: Path,
) -> None:
    mar = make_home_node(tmp_path / "mar", ca, "MAR")
    egy = healthy[0]
    with silent_listener() as hung, listening(serve_partner(egy), egy.tls) as port:
        share_alerts(mar, NodeIdentity.generate("DZA"), hung)
        share_alerts(mar, egy, port)
        issue(mar, "MAR-C-1")
        options = ["--timeout", "2", "--lease", "3", "--lanes", "2"]
        done = subprocess.run(
            [PASSERELLE, "federation", "deliver", "--once", *options],
            env=home_env(mar),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert "delivered 1, to retry 1, refused 0, held 0, paused 0" in done.stdout
    assert partner_alerts(egy) == [("MAR-C-1", "active", 1)]
    mar.close()
