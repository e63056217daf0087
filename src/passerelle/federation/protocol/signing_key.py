"""The node's signing key as its files hold it *now*, for processes that run for months.

A listener or an API process that loaded ``HOME/keys`` once would keep signing
with the old key after ``passerelle node rotate-key --complete`` (or the
automatic switch of a serving node) until someone restarted it. A
:class:`SigningKeyFile` looks at the key files' identity (inode, size, mtime)
before each use and reads them again when they changed, so every process of the
node signs with the new key from its next message. A half-written or unreadable
file keeps the key in use (logged once per change), never a signing failure;
a key of another state is refused the same way.

:class:`FixedSigningKey` is the same face over a key held in memory (tests,
one-shot commands).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol

from passerelle.exc import ConfigurationError
from passerelle.federation.protocol.identity import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    NodeIdentity,
    load_identity,
)

__all__ = ["FixedSigningKey", "SigningKey", "SigningKeyFile", "signing_key"]

log = logging.getLogger("passerelle.federation")

_Stamp = tuple[tuple[int, int, int], ...]


class SigningKey(Protocol):
    """Where a process gets the identity it signs with."""

    def current(self) -> NodeIdentity:
        """The identity to sign the next message with."""
        ...


class FixedSigningKey:
    """A signing identity that never changes."""

    def __init__(self, identity: NodeIdentity) -> None:
        self._identity = identity

    def current(self) -> NodeIdentity:
        return self._identity


class SigningKeyFile:
    """The identity in ``keys_dir``, read again whenever its files change."""

    def __init__(self, keys_dir: Path) -> None:
        self.keys_dir = keys_dir
        self._lock = threading.Lock()
        self._stamp = self._files_stamp()
        self._identity = load_identity(keys_dir)
        self.state = self._identity.state

    def _files_stamp(self) -> _Stamp:
        stamps = []
        for name in (PRIVATE_KEY_FILE, PUBLIC_KEY_FILE):
            try:
                info = (self.keys_dir / name).stat()
            except OSError:
                stamps.append((0, 0, 0))
                continue
            stamps.append((info.st_ino, info.st_size, info.st_mtime_ns))
        return tuple(stamps)

    def current(self) -> NodeIdentity:
        stamp = self._files_stamp()
        if stamp == self._stamp:
            return self._identity
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._reload()
            return self._identity

    def _reload(self) -> None:
        try:
            identity = load_identity(self.keys_dir)
        except ConfigurationError as exc:
            log.warning(
                "federation.signing_key_unreadable: keeping key %s: %s", self._identity.key_id, exc
            )
            return
        if identity.state != self.state:
            log.warning(
                "federation.signing_key_refused: %s holds a key of %s, this node is %s",
                self.keys_dir,
                identity.state,
                self.state,
            )
            return
        if identity.key_id != self._identity.key_id:
            log.info(
                "federation.signing_key_changed: %s now signs with %s (was %s)",
                self.state,
                identity.key_id,
                self._identity.key_id,
            )
        self._identity = identity


def signing_key(key: NodeIdentity | SigningKey) -> SigningKey:
    """``key`` as a :class:`SigningKey` (a bare identity never changes)."""
    return FixedSigningKey(key) if isinstance(key, NodeIdentity) else key
