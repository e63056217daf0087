"""The node's *next* signing key, kept beside the current one while it rotates.

``passerelle node rotate-key`` writes a fresh Ed25519 key to
``HOME/keys/node-ed25519.next.pem`` (mode 0600) and announces its public part to
the partners (``federation.peers.key_announce``), signed with the current key.
The time it is to take over (announced to partners) is kept beside it in
``node-ed25519.next.takes-over`` (:func:`record_takes_over`, :func:`announced_takeover`):
a serving node switches by itself once that time has come and every partner
holds the key (``federation.peers.key_switch``).
``--complete`` makes it the node's key: the current public key line moves to
``node-ed25519.previous.pub`` (what partners may still hold), the next key
becomes ``node-ed25519.pem`` and its line ``node-ed25519.pub``. Until then the
current key keeps signing, so a partner never sees a key it has not been told of.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation.protocol.identity import (
    NodeIdentity,
    load_identity,
    save_identity,
)

__all__ = [
    "NEXT_KEY_FILE",
    "PREVIOUS_PUBLIC_FILE",
    "TAKES_OVER_FILE",
    "announced_takeover",
    "complete_rotation",
    "load_next_key",
    "prepare_next_key",
    "record_takes_over",
]

NEXT_KEY_FILE = "node-ed25519.next.pem"
PREVIOUS_PUBLIC_FILE = "node-ed25519.previous.pub"
TAKES_OVER_FILE = "node-ed25519.next.takes-over"


def record_takes_over(keys_dir: Path, when: datetime) -> None:
    """Keep the announced take-over time of the next key (ISO 8601, UTC) beside it."""
    path = keys_dir / TAKES_OVER_FILE
    try:
        path.write_text(when.astimezone(UTC).isoformat() + "\n", "ascii")
    except OSError as exc:
        raise ConfigurationError(f"cannot write {path}: {exc}") from exc


def announced_takeover(keys_dir: Path) -> datetime | None:
    """When the prepared next key is to take over; None when no next key is prepared or no
    time was recorded (a rotation begun before the time was kept: switched by hand)."""
    if not (keys_dir / NEXT_KEY_FILE).exists():
        return None
    path = keys_dir / TAKES_OVER_FILE
    try:
        when = datetime.fromisoformat(path.read_text("ascii").strip())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"{path} does not hold an ISO 8601 time: {exc}") from exc
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def load_next_key(keys_dir: Path) -> NodeIdentity | None:
    """The next key prepared in ``keys_dir`` (same state as the current one), or None."""
    path = keys_dir / NEXT_KEY_FILE
    if not path.exists():
        return None
    current = load_identity(keys_dir)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}") from exc
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ConfigurationError(f"{path} is not a PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{path} holds a {type(key).__name__}, not Ed25519")
    return NodeIdentity(state=current.state, private_key=key)


def prepare_next_key(keys_dir: Path) -> NodeIdentity:
    """The next key: the one already prepared, or a fresh one written beside the current."""
    held = load_next_key(keys_dir)
    if held is not None:
        return held
    current = load_identity(keys_dir)
    following = NodeIdentity.generate(current.state)
    pem = following.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = keys_dir / NEXT_KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    except OSError as exc:
        raise ConfigurationError(f"cannot write the next key {path}: {exc}") from exc
    return following


def complete_rotation(keys_dir: Path) -> tuple[NodeIdentity, NodeIdentity]:
    """Make the prepared next key the node's key; (the previous identity, the new one).

    :class:`InvalidInput` (field ``next_key``) when no next key was prepared.
    """
    following = load_next_key(keys_dir)
    if following is None:
        raise InvalidInput("next_key", "none prepared: run `passerelle node rotate-key` first")
    previous = load_identity(keys_dir)
    try:
        (keys_dir / PREVIOUS_PUBLIC_FILE).write_text(previous.peer_key.text + "\n", "ascii")
        save_identity(following, keys_dir, force=True)
        (keys_dir / NEXT_KEY_FILE).unlink()
        (keys_dir / TAKES_OVER_FILE).unlink(missing_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot complete the rotation in {keys_dir}: {exc}") from exc
    return previous, following
