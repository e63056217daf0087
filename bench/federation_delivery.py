"""Alert delivery to healthy partners while one partner hangs: lanes against sequential.

What it measures
    One issuing node (MAR, in this process) shares its alerts with ``--healthy``
    partners (EGY, TUN, JOR, ...), each a separate ``passerelle federation serve
    --no-deliver`` process on loopback with its own SQLite home, signing key and a
    TLS certificate from one federation CA, registered both ways with the
    category ``wanted``, and with one partner, DZA, that *hangs*: its port (a
    socket in this process) accepts TCP connections and never answers, so every
    send to it lasts the whole ``--timeout``. DZA sorts first.

    MAR issues ``--alerts`` alerts one at a time (``AlertRegistry.issue``, which
    queues one ``alert.issue`` message per partner) while its ``Deliverer.run``
    loop runs in a thread with the ``BlockingExchangeClient``; a poller reads the
    outbox every 5 ms. Per alert, the time from the issue's commit until the
    last healthy partner's message has ``delivered_at`` (its verified reply came
    back) is one sample; then a random pause of 0-1 s, so the issue falls at any
    point of DZA's retries.

    Two deliverers, measured in the same run on the same nodes, one after the
    other (DZA's queue carries over: it stays due):

    * ``sequential``: ``lanes=1`` and no breaker (``breaker_failures`` out of
      reach): one partner after the other, as delivery was before issue 16;
    * ``lanes``: one lane per partner (``lanes=16``) and the default breaker.

    Both retry DZA every ``--retry`` seconds at most (``max_delay``), the state in
    which a hung partner costs a sequential deliverer the most.

Target (issue 16), reported, not enforced
    p95 <= 1.5 s to the healthy partners with one hung. Exit 1 when a healthy
    partner did not get an alert within 60 s, or DZA got one; 2 when a node
    cannot start.

Run
    .venv/bin/python bench/federation_delivery.py [--alerts 20] [--timeout 10]
    [--healthy 2] [--retry 2] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from passerelle.federation import NodeIdentity, load_identity, save_identity
from passerelle.federation.peers.directory import Agreement, PeerDirectory
from passerelle.federation.protocol.pki import (
    issue_node_certificate,
    new_federation_ca,
    new_tls_key,
)
from passerelle.federation.protocol.tls import TlsFiles, save_node_tls
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.federation.transport.delivery import Deliverer, DeliveryPolicy
from passerelle.node import Node, open_node
from passerelle.server.ports import free_port
from passerelle.settings import Settings
from passerelle.store.alerts import parse_alert
from passerelle.store.audit import Actor
from passerelle.store.db import Database
from passerelle.store.tables import ExchangeOutbox
from passerelle.wiring import alert_registry

TARGET_P95_S = 1.5
ISSUER = "MAR"
HUNG = "DZA"
HEALTHY = ("EGY", "TUN", "JOR", "LBN", "OMN", "QAT", "SAU", "SDN")
OPERATOR = Actor(name="bench.operator", kind="user", role="admin")
PASSERELLE = str(Path(sys.executable).parent / "passerelle")


@contextmanager
def hung_partner() -> Iterator[int]:
    """A port that accepts TCP connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()


def build(root: Path, healthy: Sequence[str], hung_port: int) -> dict[str, int]:
    """Every node's home (key, TLS, migrated database, partners); the partners' ports."""
    now = datetime.now(UTC)
    ca = new_federation_ca("Bench federation CA", now=now)
    ports = {state: free_port() for state in healthy} | {HUNG: hung_port, ISSUER: free_port()}
    identities = {state: NodeIdentity.generate(state) for state in ports}
    for state in (ISSUER, *healthy):
        home = root / state.lower()
        save_identity(identities[state], home / "keys")
        key = new_tls_key()
        certificate = issue_node_certificate(
            ca, key.public_key(), state=state, node_name=f"bench-{state.lower()}", now=now
        )
        save_node_tls(
            TlsFiles.for_home(home), key=key, certificate=certificate, ca_certificate=ca.certificate
        )
        Database(Settings(home=home, node=state).effective_database_url).upgrade()
        with open_node(Settings(home=home, node=state)) as node:
            directory = PeerDirectory(node.database, node.audit, clock=node.clock)
            for other in (HUNG, *healthy) if state == ISSUER else (ISSUER,):
                directory.add(
                    other,
                    url=f"https://localhost:{ports[other]}",
                    public_keys=[identities[other].peer_key.text],
                    actor=OPERATOR,
                    agreement=Agreement.of(alert_categories=("wanted",)),
                )
    return ports


def serve(
    root: Path, healthy: Sequence[str], ports: dict[str, int]
) -> list[subprocess.Popen[bytes]]:
    servers = []
    for state in healthy:
        home = root / state.lower()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
        env |= {"PASSERELLE_HOME": str(home), "PASSERELLE_NODE": state}
        command = [PASSERELLE, "federation", "serve", "--no-deliver", "--port", str(ports[state])]
        with (home / "serve.log").open("wb") as log:
            servers.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
    deadline = time.monotonic() + 60
    for state, server in zip(healthy, servers, strict=True):
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"{state} exited with {server.returncode}")
            try:
                socket.create_connection(("127.0.0.1", ports[state]), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{state} is not listening") from None
                time.sleep(0.1)
    return servers


def issue(node: Node, alert_id: str) -> None:
    record = {
        "id": alert_id,
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Nadia Amrani"], "birth_date": "1991-07-30"},
        "issuing_authority": "DGSN Rabat",
        "action": "Hold the traveller.",
    }
    with node.database.write() as session:
        alert_registry(node).issue(session, parse_alert(record), actor=OPERATOR, now=node.clock())


def undelivered(node: Node, alert_ids: Collection[str]) -> set[str]:
    """Of ``alert_ids``, those some healthy partner has not got yet."""
    keys = {f"alert:{alert_id}:1": alert_id for alert_id in alert_ids}
    with node.database.read() as session:
        rows = session.execute(
            select(ExchangeOutbox.idempotency_key).where(
                ExchangeOutbox.idempotency_key.in_(keys),
                ExchangeOutbox.peer != HUNG,
                ExchangeOutbox.delivered_at.is_(None),
            )
        )
        return {keys[key] for key in rows.scalars()}


def hung_partner_got(node: Node) -> int:
    with node.database.read() as session:
        rows = session.scalars(
            select(ExchangeOutbox.id).where(
                ExchangeOutbox.peer == HUNG, ExchangeOutbox.delivered_at.is_not(None)
            )
        )
        return len(list(rows))


def measure(
    node: Node, client: BlockingExchangeClient, policy: DeliveryPolicy, name: str, args: Any
) -> dict[str, Any]:
    """Issue ``args.alerts`` alerts at random times (``args.every`` s apart on average,
    whatever the deliveries do) and time each until every healthy partner has it."""
    rng = random.Random(7)
    at, schedule = 0.0, []
    for _ in range(args.alerts):
        at += rng.uniform(0, 2 * args.every)
        schedule.append(at)
    stop = threading.Event()
    runner = threading.Thread(
        target=Deliverer(node, client, policy=policy).run, args=(stop,), daemon=True
    )
    runner.start()
    issued: dict[str, float] = {}
    samples: list[float] = []
    started = time.monotonic()
    try:
        while (n := len(samples) + len(issued)) < len(schedule) or issued:
            now = time.monotonic()
            if n < len(schedule) and now - started >= schedule[n]:
                alert_id = f"MAR-{name}-{n}"
                issue(node, alert_id)
                issued[alert_id] = time.monotonic()
            waiting = undelivered(node, issued) if issued else set()
            now = time.monotonic()
            for alert_id in set(issued) - waiting:
                samples.append(now - issued.pop(alert_id))
            if any(now - t > 60 for t in issued.values()):
                break
            time.sleep(0.005)
    finally:
        stop.set()
        runner.join(policy.timeout + 10)
    samples.sort()

    def pct(p: float) -> float:
        return samples[min(len(samples) - 1, round(p / 100 * (len(samples) - 1)))]

    return {
        "alerts": len(samples),
        "late": len(issued),
        "hung_partner_got": hung_partner_got(node),
        "p50_s": round(pct(50), 3) if samples else None,
        "p95_s": round(pct(95), 3) if samples else None,
        "max_s": round(samples[-1], 3) if samples else None,
    }


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    healthy = HEALTHY[: args.healthy]
    with hung_partner() as hung_port:
        ports = build(root, healthy, hung_port)
        servers = serve(root, healthy, ports)
        try:
            base = DeliveryPolicy(
                interval=0.05,
                timeout=args.timeout,
                lease=args.timeout * 2,
                base_delay=min(2.0, args.retry),
                max_delay=args.retry,
            )
            sequential = replace(base, lanes=1, breaker_failures=10**9)
            settings = Settings(home=root / ISSUER.lower(), node=ISSUER)
            with open_node(settings) as node:
                identity = load_identity(settings.keys_dir)
                tls = TlsFiles.for_home(settings.home)
                with BlockingExchangeClient(identity, tls) as client:
                    before = measure(node, client, sequential, "seq", args)
                    after = measure(node, client, base, "lanes", args)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(10)
                except subprocess.TimeoutExpired:
                    server.kill()
    ratio = (
        round(before["p95_s"] / after["p95_s"], 1) if before["p95_s"] and after["p95_s"] else None
    )
    return {
        "healthy_partners": list(healthy),
        "hung_partner": HUNG,
        "timeout_s": args.timeout,
        "retry_s": args.retry,
        "sequential": before,
        "lanes": after,
        "p95_sequential_over_lanes": ratio,
        "target_p95_s": TARGET_P95_S,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=40)
    parser.add_argument("--every", type=float, default=0.5, help="mean seconds between alerts")
    parser.add_argument("--healthy", type=int, default=2, choices=range(1, len(HEALTHY) + 1))
    parser.add_argument("--timeout", type=float, default=10.0, help="send timeout (s)")
    parser.add_argument("--retry", type=float, default=2.0, help="longest retry delay (s)")
    parser.add_argument("--quick", action="store_true", help="20 alerts, 5 s timeout")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.alerts, args.timeout = 20, 5.0
    with tempfile.TemporaryDirectory(prefix="passerelle-delivery-") as folder:
        try:
            result = run(args, Path(folder))
        except RuntimeError as exc:
            print(f"a node could not start: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"alert delivery to {len(result['healthy_partners'])} healthy partners with "
            f"{HUNG} hung (timeout {args.timeout:g} s, retried every <= {args.retry:g} s)"
        )
        for name in ("sequential", "lanes"):
            r = result[name]
            print(
                f"  {name:<10} p50 {r['p50_s']} s  p95 {r['p95_s']} s  max {r['max_s']} s  "
                f"({r['alerts']} alerts, {r['late']} late)"
            )
        met = (result["lanes"]["p95_s"] or 1e9) <= TARGET_P95_S
        print(
            f"  p95 sequential / lanes: {result['p95_sequential_over_lanes']}; "
            f"target p95 <= {TARGET_P95_S} s: {'met' if met else 'NOT met'}"
        )
    failed = any(
        result[m]["late"] or result[m]["hung_partner_got"] for m in ("sequential", "lanes")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
