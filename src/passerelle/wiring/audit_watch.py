"""The auditor's view of the chain, verified incrementally: what changed since it was last seen.

Walking a chain of hundreds of thousands of records on every load of ``/audit``
took seconds (14.7 s at 303,555 records, issue 15). A :class:`ChainWatch`
instead starts from the furthest point already verified:

* the point this process verified last (its record must still hold, with the
  hash it had), else
* the latest checkpoint of the node's file that the chain still holds (the
  chain up to it was verified when it was signed),

and walks only the records after it, then checks the sealed head and holds the
chain against that latest checkpoint (a cut behind it is named). It reads in
``Database.read_only()``: a snapshot that holds no writer back. Records older
than the starting point are not walked again here: ``passerelle audit verify``
walks the whole chain (an edit of an old record without the key is named there).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session

from passerelle.exc import ConfigurationError
from passerelle.node import Node
from passerelle.store.audit import ChainVerdict
from passerelle.store.audit_anchoring import (
    SourcedCheckpoint,
    check_against_checkpoints,
    latest_attested,
)
from passerelle.store.audit_checkpoints import Checkpoint, CheckpointFile
from passerelle.wiring.audit_anchoring import trusted_checkpoint_keys

__all__ = ["ChainWatch", "WatchedChain"]


@dataclass(frozen=True, slots=True)
class WatchedChain:
    """The chain as the auditor's page shows it."""

    chain: ChainVerdict
    verified_from: int
    """Records up to this one were verified before (0: the whole chain was walked now)."""
    checkpoint: Checkpoint | None
    """The latest trusted checkpoint of the node's file (None: none yet)."""
    findings: tuple[str, ...] = ()
    """A cut or rewrite that checkpoint shows (empty: none)."""
    untrusted: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.chain.intact and not self.findings


class ChainWatch:
    """Verifies the node's chain incrementally for ``/audit``; one per process (thread-safe)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self._file = CheckpointFile(node.settings.effective_audit_checkpoint_file)
        self._lock = threading.Lock()
        self._verified: tuple[int, str] | None = None
        self._file_seen: tuple[float, int] | None = None
        self._latest: Checkpoint | None = None
        self._untrusted: tuple[str, ...] = ()

    def _latest_checkpoint(self) -> tuple[Checkpoint | None, tuple[str, ...]]:
        """The file's checkpoint attesting the highest record (read again when it changed)."""
        try:
            stat = self._file.path.stat()
            seen: tuple[float, int] | None = (stat.st_mtime, stat.st_size)
        except FileNotFoundError:
            seen = None
        except OSError as exc:
            raise ConfigurationError(f"cannot read {self._file.path}: {exc}") from exc
        if seen != self._file_seen or seen is None:
            reading = self._file.read()
            latest = max(reading.checkpoints, key=lambda c: (c.seq, c.at), default=None)
            self._latest, self._untrusted, self._file_seen = latest, reading.problems, seen
        return self._latest, self._untrusted

    def verify(self, session: Session) -> WatchedChain:
        """Verify what was added since the furthest point already verified, in ``session``
        (a ``read_only()`` snapshot)."""
        with self._lock:
            latest, unreadable = self._latest_checkpoint()
            keys = trusted_checkpoint_keys(self.node.settings)
            found = [SourcedCheckpoint(latest, "local file")] if latest is not None else []
            anchors = check_against_checkpoints(session, found, node=self.node.state, keys=keys)
            start = self._verified
            if start is None and anchors.trusted:
                attested = latest_attested(session, found, node=self.node.state, keys=keys)
                start = (attested.seq, attested.hash) if attested is not None else None
            chain = self.node.audit.verify(session, since=start)
            if chain.intact:
                self._verified = (chain.last_seq, chain.last_hash)
            else:
                self._verified = None
            return WatchedChain(
                chain,
                start[0] if start is not None else 0,
                anchors.latest.checkpoint if anchors.latest is not None else None,
                anchors.findings,
                (*unreadable, *anchors.untrusted),
            )
