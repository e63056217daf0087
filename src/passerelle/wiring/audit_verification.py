"""Proving the audit trail intact: the whole chain walked and held against its checkpoints.

One verification for every face: ``passerelle audit verify`` and the auditor's page run
:func:`verify_chain`; the page's run is itself recorded (``audit.verify``, with what it
found), a command run on the server is the operator's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from passerelle.access import Permission
from passerelle.node import Node
from passerelle.services.common import permitted
from passerelle.store.audit import Actor, ChainVerdict
from passerelle.store.audit_anchoring import AnchorCheck, check_against_checkpoints
from passerelle.wiring.audit_anchoring import (
    GatheredCheckpoints,
    gather_checkpoints,
    trusted_checkpoint_keys,
)

__all__ = ["AUDIT_VERIFY", "ChainCheck", "verify_chain", "verify_chain_for"]

AUDIT_VERIFY = "audit.verify"
"""The action recorded when an auditor verifies the chain from the pages."""


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The chain walked (``verdict``) and held against the checkpoints found (``anchors``)."""

    verdict: ChainVerdict
    anchors: AnchorCheck
    gathered: GatheredCheckpoints

    @property
    def intact(self) -> bool:
        """No record, head or checkpoint shows tampering."""
        return self.verdict.intact and self.anchors.holds

    @property
    def untrusted(self) -> tuple[str, ...]:
        """Checkpoints that could not be read or did not verify (not held against the chain)."""
        return (*self.gathered.problems, *self.anchors.untrusted)


def verify_chain(node: Node, *, files: Sequence[Path] = (), partners: bool = False) -> ChainCheck:
    """Walk the whole chain and its sealed head in a read-only snapshot, and hold it against
    the node's checkpoint file, ``files`` and (``partners``) every enabled partner's copies."""
    gathered = gather_checkpoints(node, files=files, partners=partners)
    keys = trusted_checkpoint_keys(node.settings)
    with node.database.read_only() as session:
        verdict = node.audit.verify(session)
        anchors = check_against_checkpoints(session, gathered.found, node=node.state, keys=keys)
    return ChainCheck(verdict, anchors, gathered)


def verify_chain_for(actor: Actor, node: Node) -> ChainCheck:
    """:func:`verify_chain` run by an auditor (the node's own checkpoint file), recorded
    ``audit.verify`` with the outcome: intact, or the first broken record and the cuts."""
    permitted(actor, Permission.VIEW_AUDIT)
    check = verify_chain(node)
    verdict = check.verdict
    with node.database.write() as session:
        node.audit.record(
            session,
            actor=actor,
            action=AUDIT_VERIFY,
            at=node.clock(),
            query={"checkpoints": list(check.gathered.sources)},
            result={
                "intact": check.intact,
                "records": verdict.records,
                "first_broken": verdict.first_broken,
                "cuts": len(check.anchors.findings),
                "untrusted_checkpoints": len(check.untrusted),
            },
        )
    return check
