"""The audit key is read, never made up by a verifier; a key that seals none of the
records is told apart from an edited first record where the chain allows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from passerelle.store import AuditTrail, Database
from passerelle.store.audit import AuditKeyMissing, create_key, load_key
from passerelle.store.tables import AuditRecord
from tests.conftest import Clock
from tests.store.test_audit import write_records


def test_loading_a_missing_key_names_it_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit.key"
    with pytest.raises(AuditKeyMissing, match=f"the audit key is missing: {path}"):
        load_key(path)
    assert not path.exists()


def test_creating_a_key_refuses_to_replace_one(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    key = create_key(path)
    with pytest.raises(Exception, match="cannot create audit key"):
        create_key(path)
    assert load_key(path) == key


def test_another_key_is_named_as_not_matching(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 3)
    with database.read() as session:
        verdict = AuditTrail(b"y" * 32).verify(session)
    assert (verdict.intact, verdict.key_mismatch, verdict.first_broken) == (False, True, 1)
    assert verdict.reason is not None
    assert verdict.reason.startswith("the key does not match the records")


def test_one_record_cannot_tell_a_wrong_key_from_an_edit_and_says_so(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 1)
    with database.write() as session:
        session.execute(update(AuditRecord).where(AuditRecord.seq == 1).values(actor="x"))
    with database.read() as session:
        verdict = audit.verify(session)
    assert verdict.reason is not None
    assert "cannot tell the two apart" in verdict.reason
