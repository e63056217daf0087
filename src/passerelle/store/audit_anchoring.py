"""Holding the audit chain against its checkpoints: a cut, an emptied or rewritten chain named.

The chain and its sealed head show what was changed by someone without the
audit key. What they cannot show, signed checkpoints kept outside the database
(``audit_checkpoints``: the node's file, partners' copies) do:

=====================================  ===============================================
the checkpoint attests record N, and   ``audit verify`` says
=====================================  ===============================================
the chain ends before N                "the chain ends at record 120 but checkpoint of
                                       <time> (signed by MAR key 3c1e5a09, <where>)
                                       attests record 150: records 121–150 were
                                       removed" (an emptied chain likewise)
record N has another hash              record N is not the one attested: the chain was
                                       rewritten up to it
the head's counter is below the        an older head was put back
checkpoint's
the signature does not verify, or an   the checkpoint is not trusted, and why (it is
unknown key signed it                  not held against the chain)
=====================================  ===============================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.store.audit_checkpoints import Checkpoint, signature_problem
from passerelle.store.tables import AuditHead, AuditRecord

__all__ = ["AnchorCheck", "SourcedCheckpoint", "check_against_checkpoints", "latest_attested"]

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class SourcedCheckpoint:
    """A checkpoint and where it was found ("local file ...", "partner BEL", "file ...")."""

    checkpoint: Checkpoint
    source: str

    @property
    def described(self) -> str:
        return f"{self.checkpoint.described[:-1]}, {self.source})"


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    """The chain held against the checkpoints found."""

    trusted: int
    """How many checkpoints (distinct) verified and were held against the chain."""
    latest: SourcedCheckpoint | None
    """The trusted checkpoint attesting the highest record."""
    findings: tuple[str, ...]
    """Cuts, rewrites and heads put back that the checkpoints show (empty: none)."""
    untrusted: tuple[str, ...]
    """Checkpoints not held against the chain, and why (bad signature, unknown key...)."""

    @property
    def holds(self) -> bool:
        return not self.findings


def _hashes_at(session: Session, seqs: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(seqs), _CHUNK):
        chunk = seqs[start : start + _CHUNK]
        rows = session.execute(
            select(AuditRecord.seq, AuditRecord.hash).where(AuditRecord.seq.in_(chunk))
        )
        for seq, digest in rows:
            found[seq] = digest
    return found


def _removed(first: int, last: int) -> str:
    """ "records 121–150 were removed", or "record 150 was removed"."""
    return f"record {last} was removed" if first == last else f"records {first}–{last} were removed"


def _trusted(
    found: Iterable[SourcedCheckpoint], *, node: str, keys: Mapping[str, Ed25519PublicKey]
) -> tuple[list[SourcedCheckpoint], list[str]]:
    trusted: dict[tuple[int, str, str], SourcedCheckpoint] = {}
    untrusted: list[str] = []
    for item in found:
        checkpoint = item.checkpoint
        if checkpoint.node != node:
            untrusted.append(f"{item.described}: it is of node {checkpoint.node}, not {node}")
            continue
        problem = signature_problem(checkpoint, keys)
        if problem:
            untrusted.append(f"{item.described}: {problem}")
            continue
        trusted.setdefault((checkpoint.seq, checkpoint.hash, checkpoint.signature), item)
    return list(trusted.values()), untrusted


def check_against_checkpoints(
    session: Session,
    found: Iterable[SourcedCheckpoint],
    *,
    node: str,
    keys: Mapping[str, Ed25519PublicKey],
) -> AnchorCheck:
    """Hold the chain in ``session`` against the checkpoints ``found`` of ``node`` whose
    signatures verify with ``keys`` (by key id); name what they show was removed."""
    trusted, untrusted = _trusted(found, node=node, keys=keys)
    if not trusted:
        return AnchorCheck(0, None, (), tuple(untrusted))
    end = session.scalar(select(func.max(AuditRecord.seq))) or 0
    head = session.get(AuditHead, 1)
    counter = head.counter if head is not None else 0
    hashes = _hashes_at(
        session, sorted({i.checkpoint.seq for i in trusted if 0 < i.checkpoint.seq <= end})
    )
    latest = max(trusted, key=lambda i: (i.checkpoint.seq, i.checkpoint.counter, i.checkpoint.at))
    findings: list[str] = []
    beyond = [i for i in trusted if i.checkpoint.seq > end]
    if beyond:
        cut = max(beyond, key=lambda i: i.checkpoint.seq)
        attested = cut.checkpoint.seq
        if end == 0:
            findings.append(
                f"the chain is empty but the {cut.described} attests record {attested}: "
                f"{_removed(1, attested)} (the chain was emptied)"
            )
        else:
            findings.append(
                f"the chain ends at record {end} but the {cut.described} attests record "
                f"{attested}: {_removed(end + 1, attested)}"
            )
    rewritten = [
        i
        for i in trusted
        if 0 < i.checkpoint.seq <= end and hashes.get(i.checkpoint.seq) != i.checkpoint.hash
    ]
    if rewritten:
        first = min(rewritten, key=lambda i: i.checkpoint.seq)
        findings.append(
            f"record {first.checkpoint.seq} is not the one the {first.described} attests: "
            f"the chain was rewritten up to record {first.checkpoint.seq}"
        )
    ahead = max(trusted, key=lambda i: i.checkpoint.counter)
    if not beyond and ahead.checkpoint.counter > counter:
        findings.append(
            f"the chain head's counter is {counter} but the {ahead.described} attests "
            f"counter {ahead.checkpoint.counter}: an older head was put back"
        )
    return AnchorCheck(len(trusted), latest, tuple(findings), tuple(untrusted))


def latest_attested(
    session: Session,
    found: Iterable[SourcedCheckpoint],
    *,
    node: str,
    keys: Mapping[str, Ed25519PublicKey],
) -> Checkpoint | None:
    """The trusted checkpoint attesting the highest record that the chain still holds with
    the attested hash: where an incremental verification may start."""
    trusted, _ = _trusted(found, node=node, keys=keys)
    ordered = sorted(trusted, key=lambda i: i.checkpoint.seq, reverse=True)
    for item in ordered:
        checkpoint = item.checkpoint
        if checkpoint.seq == 0:
            return checkpoint
        if _hashes_at(session, [checkpoint.seq]).get(checkpoint.seq) == checkpoint.hash:
            return checkpoint
        break  # the latest does not hold: no shortcut; verify the whole chain
    return None
