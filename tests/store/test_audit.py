"""The audit chain proves itself intact, and names the first record anyone tampered with."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from passerelle.exc import InvalidInput
from passerelle.store import Actor, AuditTrail, Database
from passerelle.store.tables import AuditPayload, AuditRecord
from tests.conftest import Clock


def write_records(database: Database, audit: AuditTrail, clock: Clock, count: int) -> None:
    actor = Actor("analyst.idrissi", "user", "analyst")
    for n in range(count):
        clock.advance(seconds=1)
        with database.write() as session:
            audit.record(
                session,
                actor=actor,
                action="sltd.search",
                purpose="border check at Tanger Med",
                at=clock(),
                query={"issuing_state": "MAR", "document_number_hash": f"h{n}"},
                result={"hit": n % 3 == 0},
            )


def verify(database: Database, audit: AuditTrail) -> tuple[bool, int | None, str | None]:
    with database.read() as session:
        verdict = audit.verify(session)
    return verdict.intact, verdict.first_broken, verdict.reason


def test_untouched_chain_is_intact(database: Database, audit: AuditTrail, clock: Clock) -> None:
    write_records(database, audit, clock, 5)
    with database.read() as session:
        verdict = audit.verify(session)
    assert (verdict.intact, verdict.records) == (True, 5)


def test_edited_record_is_named(database: Database, audit: AuditTrail, clock: Clock) -> None:
    write_records(database, audit, clock, 5)
    with database.write() as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 3).values(actor="someone"))
    assert verify(database, audit) == (
        False,
        3,
        "its content does not match its seal: the record was edited",
    )


def test_edited_payload_is_named(database: Database, audit: AuditTrail, clock: Clock) -> None:
    write_records(database, audit, clock, 4)
    with database.write() as session:
        session.execute(
            update(AuditPayload).where(AuditPayload.seq == 2).values(result={"hit": True})
        )
    intact, first, reason = verify(database, audit)
    assert (intact, first) == (False, 2)
    assert reason is not None
    assert "payload" in reason


def test_deleted_record_is_named(database: Database, audit: AuditTrail, clock: Clock) -> None:
    write_records(database, audit, clock, 5)
    with database.write() as session:
        session.execute(delete(AuditPayload).where(AuditPayload.seq == 2))
        session.execute(delete(AuditRecord).where(AuditRecord.seq == 2))
    intact, first, reason = verify(database, audit)
    assert (intact, first) == (False, 3)
    assert reason is not None
    assert "removed or reordered" in reason


def test_deleted_last_record_is_caught_by_the_head(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 4)
    with database.write() as session:
        session.execute(delete(AuditPayload).where(AuditPayload.seq == 4))
        session.execute(delete(AuditRecord).where(AuditRecord.seq == 4))
    intact, first, reason = verify(database, audit)
    assert (intact, first) == (False, 4)
    assert reason is not None
    assert "removed from the end" in reason


def test_reordered_records_are_named(database: Database, audit: AuditTrail, clock: Clock) -> None:
    write_records(database, audit, clock, 5)
    with database.write() as session:
        two = session.scalars(select(AuditRecord).where(AuditRecord.seq == 2)).one()
        four = session.scalars(select(AuditRecord).where(AuditRecord.seq == 4)).one()
        swapped = {
            name: (getattr(four, name), getattr(two, name))
            for name in ("at", "purpose", "payload_hash", "prev_hash", "hash")
        }
        for name, (for_two, for_four) in swapped.items():
            setattr(two, name, for_two)
            setattr(four, name, for_four)
    intact, first, _ = verify(database, audit)
    assert (intact, first) == (False, 2)


def test_chain_rebuilt_without_the_key_is_refused(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 3)
    forger = AuditTrail(b"x" * 32)
    with database.read() as session:
        assert forger.verify(session).first_broken == 1


@pytest.mark.parametrize("action", ["sltd.search", "watchlist.disclose"])
def test_search_or_disclosure_without_purpose_is_refused(
    database: Database, audit: AuditTrail, clock: Clock, action: str
) -> None:
    with pytest.raises(InvalidInput) as caught, database.write() as session:
        audit.record(session, actor=Actor("x"), action=action, at=clock(), purpose=" ")
    assert caught.value.field == "purpose"
    with database.read() as session:
        assert audit.verify(session).records == 0


def test_a_disclosure_to_a_peer_records_who_received_what_by_reference(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    analyst = Actor("analyst.idrissi", "user", "analyst")
    with database.write() as session:
        seq = audit.record(
            session,
            actor=analyst,
            action="watchlist.disclose",
            at=clock(),
            purpose="follow-up of hit DZA-2026-0042 (trafficking investigation)",
            query={"to": "DZA", "hit_reference": "DZA-2026-0042"},
            result={"ids": ["MAR-W-0001"]},
        )
    with database.read() as session:
        record = session.get(AuditRecord, seq)
        payload = session.get(AuditPayload, seq)
        assert audit.verify(session).intact
    assert record is not None
    assert payload is not None
    assert (record.actor, record.role, record.action) == (
        "analyst.idrissi",
        "analyst",
        "watchlist.disclose",
    )
    assert record.purpose is not None
    assert "DZA-2026-0042" in record.purpose
    assert payload.query == {"to": "DZA", "hit_reference": "DZA-2026-0042"}
    assert payload.result == {"ids": ["MAR-W-0001"]}
