"""Signed checkpoints outside the database name what the database alone cannot show.

An insider who saved a sealed head (or the untouched head of a new chain) can put
it back after removing the records written since; one who holds the audit key
can rewrite the chain and seal a new head. A checkpoint signed with the node's
Ed25519 key and kept outside the database names both, on each backend.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from passerelle.federation.protocol.identity import NodeIdentity
from passerelle.store import AuditTrail, Database
from passerelle.store.audit import GENESIS
from passerelle.store.audit_anchoring import (
    AnchorCheck,
    SourcedCheckpoint,
    check_against_checkpoints,
    latest_attested,
)
from passerelle.store.audit_checkpoints import Checkpoint, CheckpointFile, sign_checkpoint
from tests.conftest import Clock
from tests.store.tampering import remove_from, saved_head
from tests.store.test_audit import write_records

MAR = NodeIdentity.generate("MAR")
KEYS = {MAR.key_id: MAR.public_key}


def _checkpoint(database: Database, audit: AuditTrail, clock: Clock) -> Checkpoint:
    with database.read() as session:
        verdict = audit.verify(session)
    assert verdict.intact
    return sign_checkpoint(
        MAR,
        node="MAR",
        seq=verdict.last_seq,
        hash=verdict.last_hash,
        counter=verdict.counter,
        at=clock(),
    )


def _check(database: Database, *checkpoints: Checkpoint) -> AnchorCheck:
    found = [SourcedCheckpoint(c, "local file") for c in checkpoints]
    with database.read() as session:
        return check_against_checkpoints(session, found, node="MAR", keys=KEYS)


def test_records_removed_with_an_older_sealed_head_put_back_are_named(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 4)
    older = saved_head(database)  # the insider keeps a copy of the sealed head
    write_records(database, audit, clock, 4)
    checkpoint = _checkpoint(database, audit, clock)
    remove_from(database, 5, older)

    with database.read() as session:
        assert audit.verify(session).intact  # the database alone cannot tell
    check = _check(database, checkpoint)

    assert not check.holds
    assert check.findings == (
        f"the chain ends at record 4 but the {checkpoint.described[:-1]}, local file) "
        "attests record 8: records 5–8 were removed",
    )


def test_an_emptied_chain_with_a_new_chains_head_put_back_is_named(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 3)
    checkpoint = _checkpoint(database, audit, clock)
    remove_from(database, 1, {"seq": 0, "hash": GENESIS, "counter": 0, "seal": None})

    with database.read() as session:
        assert audit.verify(session).intact  # looks like a node that never wrote a record
    (finding,) = _check(database, checkpoint).findings

    assert finding.startswith("the chain is empty but the checkpoint of")
    assert finding.endswith("attests record 3: records 1–3 were removed (the chain was emptied)")


def test_a_chain_rewritten_with_the_key_is_named_by_an_earlier_checkpoint(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 5)
    checkpoint = _checkpoint(database, audit, clock)
    remove_from(database, 1, {"seq": 0, "hash": GENESIS, "counter": 0, "seal": None})
    write_records(database, audit, clock, 7)  # a new chain, sealed with the real key

    with database.read() as session:
        assert audit.verify(session).intact
    (finding,) = _check(database, checkpoint).findings

    assert "record 5 is not the one the checkpoint of" in finding
    assert finding.endswith("the chain was rewritten up to record 5")


def test_a_checkpoint_with_a_bad_signature_is_named_and_not_trusted(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    write_records(database, audit, clock, 3)
    forged = replace(_checkpoint(database, audit, clock), seq=9)
    stranger = sign_checkpoint(
        NodeIdentity.generate("MAR"), node="MAR", seq=9, hash="a" * 64, counter=9, at=clock()
    )

    check = _check(database, forged, stranger)

    assert (check.trusted, check.findings) == (0, ())
    assert "its signature does not verify with MAR key" in check.untrusted[0]
    assert "which is not one of MAR's keys here" in check.untrusted[1]


def test_an_untouched_chain_holds_against_its_checkpoints(
    database: Database, audit: AuditTrail, clock: Clock, tmp_path: Path
) -> None:
    file = CheckpointFile(tmp_path / "checkpoints.jsonl")
    write_records(database, audit, clock, 3)
    file.append(_checkpoint(database, audit, clock))
    write_records(database, audit, clock, 2)
    file.append(_checkpoint(database, audit, clock))
    write_records(database, audit, clock, 1)

    read = file.read()
    check = _check(database, *read.checkpoints)
    found = [SourcedCheckpoint(c, "local file") for c in read.checkpoints]
    with database.read() as session:
        start = latest_attested(session, found, node="MAR", keys=KEYS)
        assert start is not None
        since = audit.verify(session, since=(start.seq, start.hash))

    assert (check.holds, check.trusted, read.problems) == (True, 2, ())
    assert (tmp_path / "checkpoints.jsonl").stat().st_mode & 0o777 == 0o600
    assert (since.intact, since.records, since.last_seq) == (True, 1, 6)
