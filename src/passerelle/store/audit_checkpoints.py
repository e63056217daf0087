"""Checkpoints of the audit chain: (node, sequence, hash, counter, time), signed with Ed25519.

A checkpoint says "on <time>, <node>'s audit chain ended at record <seq> whose
hash was <hash>, and its head had been written <counter> times", signed with
one of the node's Ed25519 keys (RFC 8032). Kept outside the database, in an
append-only file (:class:`CheckpointFile`) and at partner nodes, it is what
``audit verify`` holds the chain against: records removed after a checkpoint
was taken cannot be hidden by rewriting the database, even with the audit
key, as long as the checkpoint survives somewhere. One JSON object per line::

    {"format": "passerelle.audit.checkpoint/1", "node": "MAR", "seq": 150,
     "hash": "9f...", "counter": 150, "at": "2026-12-07T05:30:00.000000+00:00",
     "key_id": "3c1e...", "signature": "<base64 of 64 bytes>"}

The signature covers every other field (canonical JSON: sorted keys, no
blanks). It is checked against the keys the *verifier* trusts for the node
(never a key the line itself carries).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.store.audit import canonical
from passerelle.store.private_files import private_folder

__all__ = [
    "CHECKPOINT_FORMAT",
    "Checkpoint",
    "CheckpointFile",
    "CheckpointReading",
    "CheckpointSigner",
    "parse_checkpoint",
    "sign_checkpoint",
    "signature_problem",
]

CHECKPOINT_FORMAT = "passerelle.audit.checkpoint/1"
_HEX = frozenset("0123456789abcdef")


class CheckpointSigner(Protocol):
    """Signs checkpoints: the node's identity, or its dedicated checkpoint key."""

    @property
    def key_id(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One signed checkpoint of a node's audit chain."""

    node: str
    seq: int
    hash: str
    counter: int
    at: datetime
    key_id: str
    signature: str

    def signed_fields(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "node": self.node,
            "seq": self.seq,
            "hash": self.hash,
            "counter": self.counter,
            "at": self.at.isoformat(timespec="microseconds"),
            "key_id": self.key_id,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.signed_fields(), "signature": self.signature}

    def line(self) -> str:
        """The checkpoint as one line of a checkpoint file (without the newline)."""
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))

    @property
    def described(self) -> str:
        """How messages name it: "checkpoint of <time> (signed by MAR key 3c1e5a09)"."""
        return (
            f"checkpoint of {self.at.isoformat(timespec='seconds')} "
            f"(signed by {self.node} key {self.key_id[:8]})"
        )


def sign_checkpoint(
    signer: CheckpointSigner, *, node: str, seq: int, hash: str, counter: int, at: datetime
) -> Checkpoint:
    """A checkpoint of ``node``'s chain at record ``seq`` (``hash``), signed by ``signer``."""
    unsigned = Checkpoint(node, seq, hash, counter, at, signer.key_id, "")
    signature = signer.sign(canonical(unsigned.signed_fields()))
    return Checkpoint(
        node, seq, hash, counter, at, signer.key_id, base64.b64encode(signature).decode("ascii")
    )


def _field(data: Mapping[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InvalidInput(name, f"is required ({kind.__name__})")
    return value


def parse_checkpoint(data: Any) -> Checkpoint:
    """A checkpoint from its JSON object; :class:`InvalidInput` naming the field at fault.

    Only the form is checked here, not the signature (:func:`signature_problem`).
    """
    if not isinstance(data, Mapping):
        raise InvalidInput("checkpoint", "must be a JSON object")
    if data.get("format") != CHECKPOINT_FORMAT:
        raise InvalidInput("format", f"must be {CHECKPOINT_FORMAT!r}")
    seq, counter = _field(data, "seq", int), _field(data, "counter", int)
    if seq < 0 or counter < 0:
        raise InvalidInput("seq", "seq and counter must not be negative")
    digest = _field(data, "hash", str)
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise InvalidInput("hash", "must be 64 lower-case hexadecimal digits")
    try:
        at = datetime.fromisoformat(_field(data, "at", str))
    except ValueError:
        raise InvalidInput("at", "is not an ISO 8601 time") from None
    if at.tzinfo is None:
        raise InvalidInput("at", "must carry a UTC offset")
    node, key_id = _field(data, "node", str), _field(data, "key_id", str)
    if not 1 <= len(node) <= 8 or not 1 <= len(key_id) <= 64:
        raise InvalidInput("node", "node (1 to 8) and key_id (1 to 64) are too long or empty")
    signature = _field(data, "signature", str)
    if len(signature) > 100:
        raise InvalidInput("signature", "is longer than an Ed25519 signature")
    return Checkpoint(node, seq, digest, counter, at, key_id, signature)


def signature_problem(
    checkpoint: Checkpoint, trusted: Mapping[str, Ed25519PublicKey]
) -> str | None:
    """Why ``checkpoint``'s signature cannot be trusted with the ``trusted`` keys (by key
    id), or None when it verifies."""
    key = trusted.get(checkpoint.key_id)
    if key is None:
        return (
            f"it is signed by key {checkpoint.key_id[:8]}, which is not one of "
            f"{checkpoint.node}'s keys here"
        )
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        key.verify(signature, canonical(checkpoint.signed_fields()))
    except (binascii.Error, ValueError, InvalidSignature):
        return (
            f"its signature does not verify with {checkpoint.node} key {checkpoint.key_id[:8]}: "
            "the checkpoint was altered or forged"
        )
    return None


@dataclass(frozen=True, slots=True)
class CheckpointReading:
    """What a checkpoint file holds: the checkpoints it could read, and its unreadable lines."""

    checkpoints: tuple[Checkpoint, ...]
    problems: tuple[str, ...]


class CheckpointFile:
    """The node's append-only checkpoint file (``PASSERELLE_AUDIT_CHECKPOINT_FILE``).

    Each append opens the file ``O_APPEND`` (created 0600, its folder 0700), writes
    one line and ``fsync``\\ s it before returning: a checkpoint reported taken is on disk.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, checkpoint: Checkpoint) -> None:
        data = (checkpoint.line() + "\n").encode("utf-8")
        try:
            private_folder(self.path.parent)
            descriptor = os.open(
                self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600
            )
            try:
                os.write(descriptor, data)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot append to checkpoint file {self.path}: {exc}"
            ) from exc

    def read(self) -> CheckpointReading:
        """Every checkpoint in the file (none when it does not exist yet), in file order."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return CheckpointReading((), ())
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"cannot read checkpoint file {self.path}: {exc}") from exc
        return read_checkpoint_lines(text, source=str(self.path))


def read_checkpoint_lines(text: str, *, source: str) -> CheckpointReading:
    """Checkpoints from JSON lines; each bad line is a problem naming ``source``, the line
    and the field."""
    found: list[Checkpoint] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(parse_checkpoint(json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"{source} line {number}: not JSON ({exc.msg})")
        except InvalidInput as exc:
            problems.append(f"{source} line {number}: {exc.field}: {exc.reason}")
    return CheckpointReading(tuple(found), tuple(problems))
