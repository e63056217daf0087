"""What the audit-anchoring tests do to a node's trail: write records, save the sealed head as
an insider would, cut the chain from a record on and put a head back."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from passerelle.node import Node
from passerelle.store import Actor, Database
from passerelle.store.tables import AuditHead, AuditPayload, AuditRecord

SEARCHER = Actor("analyst.idrissi", "user", "analyst")


def audited_searches(node: Node, count: int, actor: Actor = SEARCHER) -> None:
    """``count`` audited SLTD searches, one transaction each (``query`` = ``{"n": n}``)."""
    for n in range(count):
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=actor,
                action="sltd.search",
                purpose="border check",
                at=node.clock(),
                query={"n": n},
            )


def saved_head(database: Database) -> dict[str, object]:
    """The chain head's row as an insider copies it."""
    with database.read() as session:
        head = session.scalars(select(AuditHead)).one()
        return {"seq": head.seq, "hash": head.hash, "counter": head.counter, "seal": head.seal}


def remove_from(database: Database, seq: int, head: dict[str, object]) -> None:
    """Delete the records from ``seq`` on (with their payloads) and put ``head`` back."""
    with database.write() as session:
        session.execute(delete(AuditPayload).where(AuditPayload.seq >= seq))
        session.execute(delete(AuditRecord).where(AuditRecord.seq >= seq))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(**head))
