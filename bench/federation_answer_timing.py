"""How long a partner's no-hit takes when it keeps a record back, against a plain no-hit.

What it measures
    One node (BEL, SQLite in a temporary home, migrated) holds a stolen-document
    alert it keeps home (``shareable: false``). Its own ``query.document``
    handler (``federation_handlers(PartnerServices(...))``, as the listener calls
    it, after verification) is asked ``--pairs`` pairs of queries from MAR: one
    for a document nobody holds (plain no-hit: one audit record) and one for the
    kept-back document (a no-hit too, plus the ``exchange.share_refused`` record),
    in alternating order within each pair. Each call is timed with
    ``time.perf_counter``. Reported per setting: p50 of each, the p50 of the
    per-pair difference (kept back − plain) and the share of pairs where the
    kept-back answer was the slower: 50 % is a coin toss, what an observer
    should see.

    Two settings in the same run: ``floor 0`` (the answers as fast as the store
    gives them, as before issue 16) and ``floor N ms`` (the node's default
    ``answer_floor_s``, or ``--floor-ms``). The transport (TLS, signing) adds the
    same work to both and is left out: it only adds noise over the difference.

Run: ``python bench/federation_answer_timing.py [--pairs 200] [--floor-ms 50] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from passerelle.federation import new_envelope
from passerelle.federation.peers.directory import Agreement, PeerView
from passerelle.federation.queries.handlers import ANSWER_FLOOR_S, PartnerServices
from passerelle.federation.transport.inbound import InboundMessage
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store.alerts import AlertDraft, AlertRegistry, DocumentSubject
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.wiring import federation_handlers, partner_services

KEPT_HOME, NOBODYS = "UM9990001", "ZZ0000000"
ADMIN = Actor(name="bench.admin", kind="user", role="admin")


def loaded_node(home: Path) -> Node:
    settings = Settings(home=home, node="BEL")
    database = Database(settings.effective_database_url)
    database.upgrade()
    node = Node(settings=settings, database=database, audit=AuditTrail(secrets.token_bytes(32)))
    with database.write() as session:
        AlertRegistry(node.audit).issue(
            session,
            AlertDraft(
                category="stolen_document",
                subject=DocumentSubject("BEL", KEPT_HOME),
                issuing_authority="Police fédérale",
                action="Seize the document.",
                shareable=False,
            ),
            actor=ADMIN,
            now=datetime.now(UTC),
        )
    return node


def mar(now: datetime) -> PeerView:
    return PeerView(
        state="MAR",
        name="Morocco",
        url="https://mar.example",
        keys=(),
        agreement=Agreement.of(inbound_kinds=["document"], alert_categories=["stolen_document"]),
        enabled=True,
        added_at=now,
        added_by="bench",
        updated_at=now,
    )


def measure(node: Node, floor_s: float, pairs: int) -> dict[str, float]:
    base = partner_services(node)
    services = PartnerServices(base.screener, base.galleries, answer_floor_s=floor_s)
    handler = federation_handlers(services)["query.document"]
    peer = mar(datetime.now(UTC))

    def timed(number: str) -> float:
        body = {"issuing_state": "BEL", "document_number": number}
        now = datetime.now(UTC)
        envelope = new_envelope("MAR", "BEL", "query.document", body, at=now)
        started = time.perf_counter()
        answer = handler(InboundMessage(node, peer, envelope, now))
        elapsed = time.perf_counter() - started
        assert answer["result"] == "no_hit", answer
        return elapsed

    for _ in range(10):  # warm-up
        timed(NOBODYS)
        timed(KEPT_HOME)
    plain: list[float] = []
    kept: list[float] = []
    for i in range(pairs):
        if i % 2:
            kept.append(timed(KEPT_HOME))
            plain.append(timed(NOBODYS))
        else:
            plain.append(timed(NOBODYS))
            kept.append(timed(KEPT_HOME))
    differences = [k - p for k, p in zip(kept, plain, strict=True)]
    return {
        "plain_p50_ms": statistics.median(plain) * 1000,
        "kept_p50_ms": statistics.median(kept) * 1000,
        "difference_p50_ms": statistics.median(differences) * 1000,
        "kept_slower_share": sum(d > 0 for d in differences) / len(differences),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--floor-ms", type=float, default=ANSWER_FLOOR_S * 1000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        node = loaded_node(Path(home))
        try:
            rows = {
                f"floor_{f:g}_ms": measure(node, f / 1000, args.pairs) for f in (0.0, args.floor_ms)
            }
        finally:
            node.close()
    if args.json:
        print(json.dumps({"pairs": args.pairs, "settings": rows}, indent=2))
        return
    print(f"{args.pairs} pairs (plain no-hit, no-hit keeping a record back), SQLite")
    heads = ("plain p50", "kept p50", "diff p50")
    print(f"{'setting':<16}" + "".join(f"{h:>11}" for h in heads) + f"{'kept slower':>13}")
    for name, row in rows.items():
        print(
            f"{name:<16}"
            f"{row['plain_p50_ms']:>9.2f}ms{row['kept_p50_ms']:>9.2f}ms"
            f"{row['difference_p50_ms']:>9.3f}ms{row['kept_slower_share']:>12.0%}"
        )


if __name__ == "__main__":
    main()
