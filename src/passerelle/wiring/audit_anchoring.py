"""The audit chain's anchors, wired: who signs checkpoints, where they go, when, and where
``audit verify`` finds them.

Signing key. A checkpoint is signed with the node's federation identity
(``KEYS_DIR/node-ed25519.pem``) when it has one: partners already hold its
public key and check each checkpoint they keep against it. A node without an
identity signs with a dedicated Ed25519 key, ``KEYS_DIR/audit-checkpoint/``
(same files and format), made by ``passerelle keys init`` with the node's other
keys, its fingerprint recorded (``passerelle.keyring``); nothing else makes it.
Both keys, when present, are the keys a verifier trusts for this node's
checkpoints.

A :class:`Checkpointer` takes a checkpoint when asked (``passerelle audit
checkpoint``), when the node starts serving, and then whenever
``PASSERELLE_AUDIT_CHECKPOINT_RECORDS`` records were added or
``PASSERELLE_AUDIT_CHECKPOINT_MINUTES`` passed with records added. It first
verifies the chain since its last checkpoint (the whole chain the first time)
and refuses to sign a chain that does not hold, or that a checkpoint of the file
shows cut; it appends the checkpoint to the file
(``PASSERELLE_AUDIT_CHECKPOINT_FILE``) and queues it for every enabled partner.

Several hosts serving one node take the checkpoints in turn, not together: a
serving host checkpoints only while it holds the node-wide lock
``audit.checkpoints`` (``passerelle.store.host_locks``); the first to take it keeps
it until it stops, then the next host's checkpointer takes over (its first
checkpoint verifies the chain from its own file's last checkpoint, or whole).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.exc import SQLAlchemyError

from passerelle.exc import ConfigurationError, InvalidInput, PasserelleError
from passerelle.federation.anchors.checkpoints import (
    HeldCheckpoints,
    fetch_held_checkpoints,
    queue_checkpoint,
)
from passerelle.federation.peers.directory import PeerDirectory
from passerelle.federation.protocol.identity import (
    PUBLIC_KEY_FILE,
    IdentityMissing,
    NodeIdentity,
    load_identity,
    parse_public_key,
)
from passerelle.federation.transport.client import BlockingExchangeClient
from passerelle.keyring import CHECKPOINT_KEY_FILE, KeyMissing
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.store.audit import ChainVerdict
from passerelle.store.audit_anchoring import (
    SourcedCheckpoint,
    check_against_checkpoints,
    latest_attested,
)
from passerelle.store.audit_checkpoints import (
    Checkpoint,
    CheckpointFile,
    read_checkpoint_lines,
    sign_checkpoint,
)
from passerelle.store.host_locks import HostLock
from passerelle.store.tables import AuditHead
from passerelle.wiring.federation import node_tls_files

__all__ = [
    "CHECKPOINT_KEY_FOLDER",
    "CheckpointTaken",
    "Checkpointer",
    "GatheredCheckpoints",
    "checkpoint_signer",
    "gather_checkpoints",
    "trusted_checkpoint_keys",
]

log = logging.getLogger("passerelle.audit")

CHECKPOINT_KEY_FOLDER = "audit-checkpoint"
"""The folder in ``KEYS_DIR`` of the dedicated checkpoint key of a node with no identity."""


def checkpoint_signer(settings: Settings) -> NodeIdentity:
    """The key that signs this node's checkpoints: its identity, else its dedicated key;
    :class:`~passerelle.keyring.KeyMissing` when it has neither (none is made here:
    ``passerelle keys init`` provisions the dedicated key)."""
    for folder in (settings.keys_dir, settings.keys_dir / CHECKPOINT_KEY_FOLDER):
        try:
            return load_identity(folder)
        except IdentityMissing:
            continue
    raise KeyMissing("checkpoint", settings.keys_dir / CHECKPOINT_KEY_FILE, settings)


def trusted_checkpoint_keys(settings: Settings) -> dict[str, Ed25519PublicKey]:
    """This node's public keys a checkpoint may be signed with, by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    for folder in (settings.keys_dir, settings.keys_dir / CHECKPOINT_KEY_FOLDER):
        path = folder / PUBLIC_KEY_FILE
        try:
            key = parse_public_key(path.read_text(encoding="ascii"))
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError, InvalidInput) as exc:
            raise ConfigurationError(f"cannot read checkpoint key {path}: {exc}") from exc
        keys[key.key_id] = key.public_key
    return keys


@dataclass(frozen=True, slots=True)
class GatheredCheckpoints:
    """The checkpoints found for ``audit verify``, and what could not be read or asked."""

    found: tuple[SourcedCheckpoint, ...]
    problems: tuple[str, ...]
    sources: tuple[str, ...]


def gather_checkpoints(
    node: Node, *, files: Sequence[Path] = (), partners: bool = False
) -> GatheredCheckpoints:
    """This node's checkpoints from its own file, ``files`` (exported by partners) and,
    when ``partners``, from every enabled partner (needs the federation identity and TLS)."""
    found: list[SourcedCheckpoint] = []
    problems: list[str] = []
    sources: list[str] = []
    local = CheckpointFile(node.settings.effective_audit_checkpoint_file)
    reading = local.read()
    sources.append(f"local file {local.path} ({len(reading.checkpoints)})")
    found += [SourcedCheckpoint(c, f"local file {local.path}") for c in reading.checkpoints]
    problems += reading.problems
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput("checkpoints", f"cannot read {path}: {exc}") from exc
        read = read_checkpoint_lines(text, source=str(path))
        sources.append(f"file {path} ({len(read.checkpoints)})")
        found += [SourcedCheckpoint(c, f"file {path}") for c in read.checkpoints]
        problems += read.problems
    if partners:
        held, asked = _ask_partners(node)
        sources += asked
        for answer in held:
            source = f"partner {answer.partner}"
            found += [SourcedCheckpoint(c, source) for c in answer.checkpoints]
            problems += answer.problems
    return GatheredCheckpoints(tuple(found), tuple(problems), tuple(sources))


def _ask_partners(node: Node) -> tuple[list[HeldCheckpoints], list[str]]:
    settings = node.settings
    try:
        identity = load_identity(settings.keys_dir)
        files = node_tls_files(settings)
        files.require()
    except ConfigurationError as exc:
        return [], [f"partners not asked: {exc}"]
    peers = PeerDirectory(node.database, node.audit, clock=node.clock).list(enabled_only=True)
    with BlockingExchangeClient(identity, files, clock=node.clock) as client:
        held = fetch_held_checkpoints(client, peers)
    return held, [
        f"partner {h.partner}: not asked ({h.error})"
        if h.error
        else f"partner {h.partner} ({len(h.checkpoints)})"
        for h in held
    ]


@dataclass(frozen=True, slots=True)
class CheckpointTaken:
    """What one checkpoint run did: the checkpoint (None when refused) and to how many partners."""

    checkpoint: Checkpoint | None
    partners: int
    refused: str | None = None
    verified_records: int = 0


class Checkpointer:
    """Takes the node's checkpoints: verified, signed, appended to the file, sent to partners."""

    def __init__(self, node: Node, signer: NodeIdentity) -> None:
        self.node = node
        self.signer = signer
        self.file = CheckpointFile(node.settings.effective_audit_checkpoint_file)
        self.every_records = node.settings.audit_checkpoint_records
        self.every = timedelta(minutes=node.settings.audit_checkpoint_minutes)
        self._keys = trusted_checkpoint_keys(node.settings)
        self._keys[signer.key_id] = signer.public_key
        self._last: Checkpoint | None = None
        self._lock = threading.Lock()
        self.turn = HostLock(node.database, "audit.checkpoints")
        """The node-wide lock: the one host that holds it takes the serving checkpoints."""

    def last(self) -> Checkpoint | None:
        """The latest checkpoint of the file that the chain still holds (None: none)."""
        if self._last is None:
            found = [SourcedCheckpoint(c, "local file") for c in self.file.read().checkpoints]
            with self.node.database.read_only() as session:
                self._last = latest_attested(session, found, node=self.node.state, keys=self._keys)
        return self._last

    def due(self) -> bool:
        """Whether enough records were added, or enough time passed with records added."""
        last = self.last()
        with self.node.database.read_only() as session:
            head = session.get(AuditHead, 1)
        seq = head.seq if head is not None else 0
        if last is None:
            return True
        added = seq - last.seq
        return added >= self.every_records or (
            added > 0 and self.node.clock() - last.at >= self.every
        )

    def take(self) -> CheckpointTaken:
        """Verify the chain since the last checkpoint, then sign, append and send one."""
        with self._lock:
            last = self.last()
            since = (last.seq, last.hash) if last is not None else None
            found = [SourcedCheckpoint(c, "local file") for c in self.file.read().checkpoints]
            with self.node.database.read_only() as session:
                verdict: ChainVerdict = self.node.audit.verify(session, since=since)
                anchors = check_against_checkpoints(
                    session, found, node=self.node.state, keys=self._keys
                )
            if not verdict.intact:
                reason = f"record {verdict.first_broken}: {verdict.reason}"
                log.error("audit.checkpoint_refused: the chain does not hold: %s", reason)
                return CheckpointTaken(None, 0, f"the chain does not hold at {reason}")
            if anchors.findings:  # signing now would attest the cut
                log.error("audit.checkpoint_refused: %s", anchors.findings[0])
                return CheckpointTaken(None, 0, anchors.findings[0])
            now = self.node.clock()
            checkpoint = sign_checkpoint(
                self.signer,
                node=self.node.state,
                seq=verdict.last_seq,
                hash=verdict.last_hash,
                counter=verdict.counter,
                at=now,
            )
            self.file.append(checkpoint)
            self._last = checkpoint
            partners = self._send(checkpoint)
            return CheckpointTaken(checkpoint, partners, verified_records=verdict.records)

    def _send(self, checkpoint: Checkpoint) -> int:
        directory = PeerDirectory(self.node.database, self.node.audit, clock=self.node.clock)
        states: Iterable[str] = [p.state for p in directory.list(enabled_only=True)]
        with self.node.database.write() as session:
            return queue_checkpoint(session, checkpoint, partners=states, now=self.node.clock())

    @classmethod
    @contextmanager
    def serving(cls, node: Node, *, interval: float = 30.0) -> Iterator[Checkpointer]:
        """Checkpoints in a thread while the block runs (the node serving): one at once
        unless the last still covers the chain, then whenever one is due."""
        checkpointer = cls(node, checkpoint_signer(node.settings))
        stop = threading.Event()
        thread = threading.Thread(
            target=checkpointer.run,
            args=(stop,),
            kwargs={"interval": interval},
            name="passerelle-checkpoints",
            daemon=True,
        )
        thread.start()
        try:
            yield checkpointer
        finally:
            stop.set()
            thread.join(30)
            checkpointer.turn.release()

    def tick(self) -> CheckpointTaken | None:
        """One serving step: a checkpoint when this host holds the node's turn and one is
        due (None: another host holds the turn, or none is due)."""
        if not self.turn.try_hold() or not self.due():
            return None
        return self.take()

    def run(self, stop: threading.Event, *, interval: float = 30.0) -> None:
        """Take a checkpoint now, then whenever one is due, until ``stop`` is set; only while
        this host holds the node's turn."""
        while True:
            try:
                taken = self.tick()
                if taken is not None and taken.checkpoint is not None:
                    log.info(
                        "audit.checkpoint: record %d, %d partner(s)",
                        taken.checkpoint.seq,
                        taken.partners,
                    )
            except (PasserelleError, SQLAlchemyError, OSError) as exc:  # tried again later
                log.error("audit.checkpoint_failed: %s", exc)
            if stop.wait(interval):
                return
