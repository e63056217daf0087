"""Twenty-one partners: a document query fanned out to a whole Council, and alert delivery.

What it measures
    The twenty-two members of the Council of Arab Interior Ministers, set up by
    ``federation_demo.Council`` with the ``passerelle`` commands an operator types
    (CA, node init, db upgrade, 462 peer add, sltd load; run through the command
    line in this process), each running ``passerelle federation serve`` (listener
    and outbox deliverer, every ``--deliver-interval`` s) as its own process on
    loopback, with its own SQLite home; no officers' API (listeners only: the
    bench asks and issues in this process). Every member holds one stolen
    passport of its own.

    Queries: MAR (its identity and TLS files, one ``ExchangeClient``, keep-alive
    connections) calls ``fan_out("query.document", ...)`` with ``--deadline-ms``:
    every ``fan_out`` call is timed (signing, 21 mutual-TLS POSTs in parallel, on
    each partner the certificate, signature, replay, agreement checks, the SLTD
    look-up, the answer floor, the audited and signed reply; back at MAR each
    reply verified). A fifth of the queries ask for a passport a partner reported
    stolen (a hit). Then one member's listener is hung (``SIGSTOP``: it accepts
    TCP connections and never answers) and ``--down-queries`` more are asked.

    Alerts: MAR issues ``--alerts`` alerts (``AlertRegistry.issue``, in this
    process, on MAR's database), ``--every`` s apart on average; MAR's own
    ``federation serve`` delivers them (one lane per partner, circuit breaker).
    One sample per alert and healthy partner: from the issue's commit to the
    ``delivered_at`` of that partner's message (its verified reply came back).
    Measured with every member alive, then with the hung one.

The peers, measured in the same run
    * queries, all alive: the same ``fan_out`` to MAR's first 5 partners (the size
      ``federation_fanout.py`` measures), interleaved query by query with the
      21-partner fan-out: the ratio is 21 partners / 5 partners;
    * queries, one hung: the same 21-partner fan-out with every member alive;
    * alerts, one hung: the same delivery with every member alive.
    * through the hub (``--route hub``: the federation is set up with the hub ``UNO``
      and every partner routed through it, ``hub serve`` as its own process): the
      same 21-partner question through the hub (``HubFanOut.fan_out``: one sealed
      part per partner, one ``hub.relay``), interleaved query by query with the
      direct fan-out to the same partners (every member still listens directly):
      the ratio is hub / direct; then, one hung, both again.

Targets (issue 16), reported, not enforced
    document query p95 <= 250 ms through the hub with every member alive (with
    ``--route direct``, reported for direct links); with one hung, p95 within
    deadline + 20 ms (the max is shown);
    alert delivery p95 <= 1.5 s to the healthy partners with one hung. Exit 1 when
    a correctness check fails (a live partner that did not answer, a planted
    passport missed, the hung one answering, an alert not delivered in 60 s), 2
    when the federation cannot be set up or started.

Run (never run by pytest)
    PYTHONPATH=src .venv/bin/python bench/federation_council.py [--queries 200]
        [--down-queries 40] [--alerts 20] [--deadline-ms 800] [--members 22]
        [--route direct] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from passerelle.cli.in_process import run_in_process
from passerelle.federation import load_identity
from passerelle.federation.hub.asking import HubFanOut
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.protocol.sealing import load_sealing_keys
from passerelle.federation.protocol.tls import TlsFiles, client_ssl_context
from passerelle.federation.transport.client import BlockingExchangeClient, ExchangeClient
from passerelle.federation_demo import StepFailed
from passerelle.federation_demo.council import Council
from passerelle.federation_demo.council_cast import MEMBERS, stolen_number
from passerelle.federation_demo.hub_route import HUB
from passerelle.node import Node, open_node
from passerelle.settings import Settings
from passerelle.store.alerts import parse_alert
from passerelle.store.audit import Actor
from passerelle.store.tables import ExchangeOutbox
from passerelle.wiring import alert_registry

ASKER = "MAR"
HIT_SHARE = 0.2
WARMUP = 10
TARGET_HUB_P95_MS = 250.0
TARGET_OVER_DEADLINE_MS = 20.0
TARGET_ALERT_P95_S = 1.5
OPERATOR = Actor(name="bench.operator", kind="user", role="admin")


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


def figures(samples: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "max": max(samples, default=float("nan")),
    }


# --------------------------------------------------------------------------- queries


def document_bodies(partners: Sequence[str], count: int, rng: random.Random) -> list[Any]:
    """``count`` document query bodies: a fifth ask for a partner's stolen passport."""
    bodies = []
    for i in range(count):
        if rng.random() < HIT_SHARE:
            state = rng.choice(partners)
            number = stolen_number(state)
        else:
            state, number = rng.choice(partners), f"N{i:08d}"
        bodies.append(
            {
                "issuing_state": state,
                "document_number": number,
                "purpose": "border control: entry check (bench)",
            }
        )
    return bodies


async def ask(
    client: ExchangeClient, body: Any, peers: Sequence[Any], deadline: float
) -> tuple[float, dict[str, str]]:
    started = time.perf_counter()
    outcomes = await client.fan_out("query.document", body, peers=peers, deadline=deadline)
    took = (time.perf_counter() - started) * 1000
    return took, {
        o.peer: (str((o.body or {}).get("result")) if o.status == "answered" else o.status)
        for o in outcomes
    }


class HubAsker:
    """The same question through the hub (``HubFanOut``), blocking: asked between two
    direct questions, never at the same time as one."""

    def __init__(self, home: Path, settings: Settings) -> None:
        identity = load_identity(settings.keys_dir)
        self.client = BlockingExchangeClient(identity, TlsFiles.for_home(home))
        self.fan = HubFanOut(
            self.client, identity, lambda: load_sealing_keys(settings.keys_dir, ASKER)
        )
        with open_node(settings) as node:
            self.hub = PeerDirectory(node.database, node.audit, clock=node.clock).get(HUB)

    def ask(self, body: Any, peers: Sequence[Any], deadline: float) -> tuple[float, dict[str, str]]:
        started = time.perf_counter()
        outcomes = self.fan.fan_out(
            self.hub, "query.document", body, peers=peers, deadline=deadline
        )
        took = (time.perf_counter() - started) * 1000
        return took, {
            o.peer: (str((o.body or {}).get("result")) if o.status == "answered" else o.status)
            for o in outcomes
        }

    def close(self) -> None:
        self.client.close()


async def measure_queries(
    home: Path, bodies: list[Any], down: list[Any], deadline: float, hang: Any, *, hub: bool
) -> dict[str, Any]:
    """All alive: 21 partners and 5 partners interleaved (with the hub: 21 partners directly
    and through the hub); then one hung: 21 partners (and through the hub)."""
    if hub:
        return await _measure_hub_queries(home, bodies, down, deadline, hang)
    settings = Settings(home=home, node=ASKER)
    with open_node(settings) as node:
        peers = PeerDirectory(node.database, node.audit, clock=node.clock).asked_for("document")
    identity = load_identity(settings.keys_dir)
    context = client_ssl_context(TlsFiles.for_home(home))
    result: dict[str, Any] = {"partners": len(peers)}
    all_ms: list[float] = []
    five_ms: list[float] = []
    hung_ms: list[float] = []
    failures: list[str] = []
    async with ExchangeClient(identity, context) as client:
        for body in bodies[:WARMUP]:
            await ask(client, body, peers, 30.0)
        for i, body in enumerate(bodies):
            order = (peers, peers[:5]) if i % 2 == 0 else (peers[:5], peers)
            for chosen in order:
                took, answers = await ask(client, body, chosen, deadline)
                (all_ms if chosen is peers else five_ms).append(took)
                failures += _query_failures(body, answers, chosen, hung=None)
        hung = hang()
        for body in down:
            took, answers = await ask(client, body, peers, deadline)
            hung_ms.append(took)
            failures += _query_failures(body, answers, peers, hung=hung)
    result |= {
        "all_alive_21": figures(all_ms),
        "all_alive_5": figures(five_ms),
        "one_hung_21": figures(hung_ms),
        "hung": hung,
        "failures": sorted(set(failures)),
    }
    return result


async def _measure_hub_queries(
    home: Path, bodies: list[Any], down: list[Any], deadline: float, hang: Any
) -> dict[str, Any]:
    settings = Settings(home=home, node=ASKER)
    with open_node(settings) as node:
        peers = [
            p
            for p in PeerDirectory(node.database, node.audit, clock=node.clock).asked_for(
                "document"
            )
            if p.via == HUB
        ]
    identity = load_identity(settings.keys_dir)
    context = client_ssl_context(TlsFiles.for_home(home))
    samples: dict[str, list[float]] = {"direct": [], "hub": [], "direct_hung": [], "hub_hung": []}
    failures: list[str] = []
    through_hub = HubAsker(home, settings)
    try:
        async with ExchangeClient(identity, context) as client:
            for body in bodies[:WARMUP]:
                await ask(client, body, peers, 30.0)
                through_hub.ask(body, peers, 30.0)
            hung: str | None = None
            for phase, queries in (("", bodies), ("_hung", down)):
                if phase:
                    hung = hang()
                for i, body in enumerate(queries):
                    for route in ("direct", "hub") if i % 2 == 0 else ("hub", "direct"):
                        if route == "hub":
                            took, answers = through_hub.ask(body, peers, deadline)
                        else:
                            took, answers = await ask(client, body, peers, deadline)
                        samples[route + phase].append(took)
                        missed = _query_failures(body, answers, peers, hung=hung)
                        failures += [f"{route}: {f}" for f in missed]
    finally:
        through_hub.close()
    return {
        "partners": len(peers),
        "all_alive_21": figures(samples["direct"]),
        "hub_all_alive_21": figures(samples["hub"]),
        "one_hung_21": figures(samples["direct_hung"]),
        "hub_one_hung_21": figures(samples["hub_hung"]),
        "hung": hung,
        "failures": sorted(set(failures)),
    }


def _query_failures(
    body: Any, answers: dict[str, str], peers: Sequence[Any], *, hung: str | None
) -> list[str]:
    failures = []
    for peer in peers:
        got = answers.get(peer.state)
        planted = body["issuing_state"] == peer.state and body["document_number"].startswith("S")
        if peer.state == hung:
            if got != "timeout":
                failures.append(f"the hung member {hung} answered {got}")
        elif got != ("hit" if planted else "no_hit"):
            failures.append(f"{peer.state} answered {got} ({'planted' if planted else 'clean'})")
    return failures


# --------------------------------------------------------------------------- alerts


def issue(node: Node, alert_id: str) -> datetime:
    record = {
        "id": alert_id,
        "category": "wanted",
        "subject": {"kind": "person", "names": ["Nadia Amrani"], "birth_date": "1991-07-30"},
        "issuing_authority": "DGSN Rabat",
        "action": "Hold the traveller.",
    }
    with node.database.write() as session:
        alert_registry(node).issue(session, parse_alert(record), actor=OPERATOR, now=node.clock())
    return datetime.now(UTC)


def delivered(node: Node, keys: dict[str, tuple[str, datetime]], hung: str | None) -> list[float]:
    """Seconds from issue to delivery of every message of ``keys`` to a healthy partner;
    empty while one is still waiting."""
    with node.database.read() as session:
        rows = session.execute(
            select(
                ExchangeOutbox.idempotency_key, ExchangeOutbox.peer, ExchangeOutbox.delivered_at
            ).where(ExchangeOutbox.idempotency_key.in_(keys))
        ).all()
    samples = []
    for key, peer, at in rows:
        if peer == hung:
            continue
        if at is None:
            return []
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        samples.append((at - keys[key][1]).total_seconds())
    return samples


def measure_alerts(home: Path, count: int, every: float, name: str, hung: str | None) -> Any:
    rng = random.Random(11)
    samples: list[float] = []
    late = 0
    with open_node(Settings(home=home, node=ASKER)) as node:
        for n in range(count):
            alert_id = f"MAR-{name}-{n:03d}"
            keys = {f"alert:{alert_id}:1": (alert_id, issue(node, alert_id))}
            give_up = time.monotonic() + 60
            while not (got := delivered(node, keys, hung)) and time.monotonic() < give_up:
                time.sleep(0.01)
            late += not got
            samples += got
            time.sleep(rng.uniform(0, 2 * every))
    return figures(samples) | {"late_alerts": late}


# --------------------------------------------------------------------------- the run


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    members = MEMBERS[: args.members]
    rng = random.Random(args.seed)
    log: dict[str, Any] = {"members": len(members), "route": args.route}
    started = time.monotonic()
    with Council(
        root,
        members,
        route=args.route,
        run=run_in_process,
        serial=True,
        deliver_interval=args.deliver_interval,
    ) as council:
        council.set_up()
        log["setup_s"] = time.monotonic() - started
        council.listener_only = frozenset(members)  # the bench asks and issues itself
        started = time.monotonic()
        council.start()
        log["start_s"] = time.monotonic() - started
        time.sleep(2)
        log["listener_rss_mib"] = figures(
            [(council.nodes[m].federation.rss_bytes() or 0) / 2**20 for m in members]
        )
        hung = council.roles.hung
        partners = [m for m in members if m != ASKER]
        bodies = document_bodies(partners, args.queries, rng)
        down = document_bodies(partners, args.down_queries, rng)
        log["alerts_all_alive"] = measure_alerts(
            council.nodes[ASKER].home, args.alerts, args.every, "up", None
        )

        def hang() -> str:
            council.nodes[hung].federation.pause()
            return hung

        log["queries"] = asyncio.run(
            measure_queries(
                council.nodes[ASKER].home,
                bodies,
                down,
                args.deadline_ms / 1000,
                hang,
                hub=args.route == "hub",
            )
        )
        log["queries"]["hung"] = hung
        log["alerts_one_hung"] = measure_alerts(
            council.nodes[ASKER].home, args.alerts, args.every, "hung", hung
        )
    return log


def report(result: dict[str, Any], deadline_ms: int) -> list[str]:
    q = result["queries"]
    if "hub_all_alive_21" in q:
        return _hub_report(result, deadline_ms)
    a21, a5, h21 = q["all_alive_21"], q["all_alive_5"], q["one_hung_21"]
    up, down = result["alerts_all_alive"], result["alerts_one_hung"]
    limit = deadline_ms + TARGET_OVER_DEADLINE_MS
    rss = result["listener_rss_mib"]
    head = f"{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}"

    def row(label: str, f: dict[str, float], fmt: str) -> str:
        return f"  {label:<34}{f['n']:6}" + "".join(
            format(f[k], fmt).rjust(9) for k in ("p50", "p95", "max")
        )

    return [
        f"federation council: {result['members']} members, {result['route']} links, "
        f"listeners only ({rss['p50']:.0f} MiB RSS each at p50, max {rss['max']:.0f}); "
        f"set-up {result['setup_s']:.1f} s, start {result['start_s']:.1f} s; "
        f"{os.cpu_count()} CPUs",
        f"document query from {ASKER}, deadline {deadline_ms} ms (ms)".ljust(36) + head,
        row(f"{q['partners']} partners, all alive", a21, ".1f"),
        row("5 partners, all alive (peer)", a5, ".1f"),
        f"  ratio {q['partners']}/5 partners: p50 {a21['p50'] / a5['p50']:.2f}x, p95 "
        f"{a21['p95'] / a5['p95']:.2f}x; p95 <= {TARGET_HUB_P95_MS:.0f} ms (the hub's target, "
        f"here direct): {'met' if a21['p95'] <= TARGET_HUB_P95_MS else 'MISSED'}",
        row(f"{q['partners']} partners, {q['hung']} hung", h21, ".1f"),
        f"  p95 <= {limit} ms: {'met' if h21['p95'] <= limit else 'MISSED'} (max "
        f"{'within' if h21['max'] <= limit else 'over'}); p95 hung / all alive "
        f"{h21['p95'] / a21['p95']:.2f}x",
        f"alert delivery from {ASKER} to each healthy partner (s)".ljust(36) + head,
        row("all alive (peer)", up, ".2f"),
        row(f"{q['hung']} hung", down, ".2f"),
        f"  p95 <= {TARGET_ALERT_P95_S} s: "
        f"{'met' if down['p95'] <= TARGET_ALERT_P95_S else 'MISSED'}; p95 hung / all alive "
        f"{down['p95'] / up['p95']:.2f}x",
    ]


def _row(label: str, f: dict[str, float], fmt: str) -> str:
    return f"  {label:<34}{f['n']:6}" + "".join(
        format(f[k], fmt).rjust(9) for k in ("p50", "p95", "max")
    )


def _hub_report(result: dict[str, Any], deadline_ms: int) -> list[str]:
    q = result["queries"]
    direct, hub = q["all_alive_21"], q["hub_all_alive_21"]
    direct_hung, hub_hung = q["one_hung_21"], q["hub_one_hung_21"]
    up, down = result["alerts_all_alive"], result["alerts_one_hung"]
    limit = deadline_ms + TARGET_OVER_DEADLINE_MS
    rss = result["listener_rss_mib"]
    head = f"{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}"
    n = q["partners"]
    return [
        f"federation council: {result['members']} members through the hub {HUB} (and "
        f"directly), listeners only ({rss['p50']:.0f} MiB RSS each at p50); set-up "
        f"{result['setup_s']:.1f} s, start {result['start_s']:.1f} s; {os.cpu_count()} CPUs",
        f"document query from {ASKER}, deadline {deadline_ms} ms (ms)".ljust(36) + head,
        _row(f"{n} partners through the hub", hub, ".1f"),
        _row(f"{n} partners directly (peer)", direct, ".1f"),
        f"  ratio hub/direct: p50 {hub['p50'] / direct['p50']:.2f}x, p95 "
        f"{hub['p95'] / direct['p95']:.2f}x; hub p95 <= {TARGET_HUB_P95_MS:.0f} ms: "
        f"{'met' if hub['p95'] <= TARGET_HUB_P95_MS else 'MISSED'}",
        _row(f"through the hub, {q['hung']} hung", hub_hung, ".1f"),
        _row(f"directly, {q['hung']} hung (peer)", direct_hung, ".1f"),
        f"  hub p95 <= {limit} ms: {'met' if hub_hung['p95'] <= limit else 'MISSED'} (max "
        f"{'within' if hub_hung['max'] <= limit else 'over'}); direct p95 "
        f"{'met' if direct_hung['p95'] <= limit else 'MISSED'}",
        f"alert delivery from {ASKER} through the hub to each healthy partner (s)".ljust(36)
        + head,
        _row("all alive (peer)", up, ".2f"),
        _row(f"{q['hung']} hung", down, ".2f"),
        f"  p95 <= {TARGET_ALERT_P95_S} s: "
        f"{'met' if down['p95'] <= TARGET_ALERT_P95_S else 'MISSED'}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=len(MEMBERS), choices=range(4, 23))
    parser.add_argument("--route", default="direct", choices=("direct", "hub"))
    parser.add_argument("--queries", type=int, default=200, help="queries per size, all alive")
    parser.add_argument("--down-queries", type=int, default=40, help="queries, one hung")
    parser.add_argument("--deadline-ms", type=int, default=800)
    parser.add_argument("--alerts", type=int, default=20, help="alerts per phase")
    parser.add_argument("--every", type=float, default=0.5, help="mean seconds between alerts")
    parser.add_argument("--deliver-interval", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="60 queries, 10 down, 8 alerts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.queries, args.down_queries, args.alerts = 60, 10, 8
    with tempfile.TemporaryDirectory(prefix="passerelle-council-") as folder:
        try:
            result = run(args, Path(folder))
        except StepFailed as exc:
            print(f"federation_council: {exc}", file=sys.stderr)
            return 2
    failures = list(result["queries"]["failures"])
    for phase in ("alerts_all_alive", "alerts_one_hung"):
        if result[phase]["late_alerts"]:
            failures.append(f"{phase}: {result[phase]['late_alerts']} alert(s) not delivered")
    result["failures"] = failures
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("\n".join(report(result, args.deadline_ms)))
        for failure in failures:
            print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
