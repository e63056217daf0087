"""The outcome of a look-up is committed to the audit trail on both backends, whatever it is.

A read that ends in "not found" rolls its own transaction back; the record of the
look-up is written after it, in a transaction of its own, and the chain verifies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from passerelle.access import Forbidden, Permission
from passerelle.exc import NotFound
from passerelle.node import Node
from passerelle.services.lookups import audited_lookup, record_refusal
from passerelle.services.records import RecordReading
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.conftest import Clock, with_biometric_key

ANALYST = Actor("analyst.idrissi", "user", "analyst")
OFFICER = Actor("officer.benali", "user", "officer")


@pytest.fixture
def node(database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path) -> Node:
    settings = Settings(home=tmp_path / "home", database_url=database.url)
    return Node(settings=with_biometric_key(settings), database=database, audit=audit, clock=clock)


def recorded(node: Node) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    with node.database.read() as session:
        rows = session.execute(
            select(AuditRecord.actor, AuditRecord.action, AuditPayload.query, AuditPayload.result)
            .join(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .order_by(AuditRecord.seq)
        ).all()
    return [(a, b, q, r) for a, b, q, r in rows]


def intact(node: Node) -> bool:
    with node.database.read() as session:
        return node.audit.verify(session).intact


def reading(node: Node) -> RecordReading:
    return RecordReading(node, inspector=None)  # type: ignore[arg-type]  # cases only


def test_a_case_that_is_not_there_is_recorded_not_found_and_the_chain_holds(node: Node) -> None:
    with pytest.raises(NotFound):
        reading(node).case(ANALYST, "case work", "CASE-2026-0404")
    assert recorded(node) == [
        (
            "analyst.idrissi",
            "case.read",
            {"case": "CASE-2026-0404"},
            {"outcome": "not_found", "field": "case_id"},
        )
    ]
    assert intact(node)


def test_what_a_failed_read_recorded_rolls_back_and_only_its_outcome_stays(node: Node) -> None:
    def read_that_fails() -> None:
        with (
            audited_lookup(
                node,
                ANALYST,
                "case.read",
                permissions=(Permission.REVIEW_HITS,),
                purpose="case work",
                query={"case": "CASE-2026-0001"},
            ) as lookup,
            node.database.write() as session,
        ):
            lookup.found(session, {"notes": 3})  # written, then undone with the read
            raise NotFound("id", "gone while reading")

    with pytest.raises(NotFound):
        read_that_fails()
    assert [(action, result) for _, action, _, result in recorded(node)] == [
        ("case.read", {"outcome": "not_found", "field": "id"})
    ]
    assert intact(node)


def test_a_refusal_is_recorded_by_the_service_and_at_the_door(node: Node) -> None:
    with pytest.raises(Forbidden):
        reading(node).cases_listed(OFFICER, "curious", status="open")
    record_refusal(
        node, OFFICER, Permission.REVIEW_HITS, method="GET", path="/api/v1/cases/CASE-2026-0001"
    )
    assert recorded(node) == [
        (
            "officer.benali",
            "access.refused",
            {"action": "case.list", "status": "open", "limit": 200, "permission": "review_hits"},
            {"outcome": "refused", "role": "officer"},
        ),
        (
            "officer.benali",
            "access.refused",
            {"method": "GET", "path": "/api/v1/cases/CASE-2026-0001", "permission": "review_hits"},
            {"outcome": "refused", "role": "officer"},
        ),
    ]
    assert intact(node)


def test_a_list_of_no_case_is_recorded_listed(node: Node) -> None:
    assert reading(node).cases_listed(ANALYST, "case work") == []
    assert recorded(node) == [
        (
            "analyst.idrissi",
            "case.list",
            {"status": None, "limit": 200},
            {"outcome": "listed", "count": 0, "ids": []},
        )
    ]
    assert intact(node)
