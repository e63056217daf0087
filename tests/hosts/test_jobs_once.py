"""Jobs that must run once run once, however many hosts of the node run them.

The serving checkpointer takes the node's checkpoints on the one host that holds
the node-wide turn, until that host lets it go; two retention runs started at once
on two hosts delete each row once, the second after the first.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from passerelle.node import Node
from passerelle.store.audit import Actor
from passerelle.store.retention import RetentionPolicy, RetentionReport, apply_retention
from passerelle.store.tables import Crossing
from passerelle.wiring.audit_anchoring import Checkpointer, checkpoint_signer

SYSTEM = Actor("retention", "system", "admin")


def _write_records(node: Node, count: int) -> None:
    for _ in range(count):
        with node.database.write() as session:
            node.audit.record(session, actor=SYSTEM, action="test.write", at=node.clock())


def test_only_the_host_holding_the_turn_checkpoints_until_it_lets_it_go(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    _write_records(a, 3)
    at_a, at_b = (Checkpointer(node, checkpoint_signer(node.settings)) for node in (a, b))
    try:
        first = at_a.tick()
        assert first is not None
        assert first.checkpoint is not None
        _write_records(b, 3)
        assert at_b.due()  # its own file holds no checkpoint yet
        assert at_b.tick() is None  # but host A holds the turn
        at_a.turn.release()  # host A stops serving
        taken = at_b.tick()
        assert taken is not None
        assert taken.checkpoint is not None
        assert taken.checkpoint.seq > first.checkpoint.seq
        assert at_a.tick() is None  # host B keeps the turn now
    finally:
        at_a.turn.release()
        at_b.turn.release()


def test_two_hosts_applying_retention_at_once_delete_each_row_once(
    hosts: tuple[Node, Node],
) -> None:
    a, b = hosts
    old = a.clock() - timedelta(days=400)
    with a.database.write() as session:
        session.add_all(
            Crossing(
                issuing_state="MAR",
                document_number=f"UM{n:07d}",
                nationality="MAR",
                crossing_point="TNG-MED",
                direction="entry",
                at=old,
                officer="officer.benali",
                recorded_at=old,
            )
            for n in range(200)
        )
    policy = RetentionPolicy(crossings_days=30)
    start = threading.Barrier(2)
    reports: list[RetentionReport] = []

    def apply(node: Node) -> None:
        start.wait()
        with node.database.write() as session:
            reports.append(
                apply_retention(session, node.audit, policy, actor=SYSTEM, now=node.clock())
            )

    threads = [threading.Thread(target=apply, args=(node,)) for node in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(r.crossings for r in reports) == [0, 200]
    with a.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Crossing)) == 0
        verdict = a.audit.verify(session)
    assert verdict.intact, verdict.reason
