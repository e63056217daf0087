"""An insider with the database alone cannot shorten or empty the chain unnoticed.

The tamperings the security test found undetected (issue 15, item 1): delete the
last records, or all of them, and copy the new last hash (or the genesis) into
``audit_head``. The head is sealed with the audit key over (sequence, last hash,
counter), so a head rewritten without the key is named.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from passerelle.store import AuditTrail, Database
from passerelle.store.audit import GENESIS, AuditHeadTampered
from passerelle.store.tables import AuditHead, AuditPayload, AuditRecord
from tests.conftest import Clock
from tests.store.test_audit import write_records


def _hash_of(database: Database, seq: int) -> str:
    with database.read() as session:
        record = session.get(AuditRecord, seq)
        assert record is not None
        return record.hash


def _cut_from(database: Database, first_removed: int, *, seq: int, hash: str) -> None:
    """Delete records from ``first_removed`` on and point the head at (``seq``, ``hash``)."""
    with database.write() as session:
        session.execute(delete(AuditPayload).where(AuditPayload.seq >= first_removed))
        session.execute(delete(AuditRecord).where(AuditRecord.seq >= first_removed))
        session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=hash))


def test_a_tail_cut_with_the_head_rewritten_is_named(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 6)
    _cut_from(database, 5, seq=4, hash=_hash_of(database, 4))
    with database.read() as session:
        verdict = audit.verify(session)
    assert not verdict.intact
    assert verdict.reason is not None
    assert "head" in verdict.reason
    assert "without the audit key" in verdict.reason


def test_an_emptied_chain_with_the_head_reset_is_named(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 4)
    _cut_from(database, 1, seq=0, hash=GENESIS)
    with database.read() as session:
        verdict = audit.verify(session)
    assert (verdict.intact, verdict.records) == (False, 0)
    assert verdict.reason is not None
    assert "without the audit key" in verdict.reason


def test_nothing_is_appended_to_a_head_the_key_did_not_seal(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 3)
    _cut_from(database, 3, seq=2, hash=_hash_of(database, 2))

    with pytest.raises(AuditHeadTampered, match="cannot be appended to: the chain head"):
        write_records(database, audit, clock, 1)  # it would seal the cut

    with database.read() as session:
        verdict = audit.verify(session)
    assert (verdict.intact, verdict.records) == (False, 2)
