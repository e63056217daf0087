"""A node's signing identity: its state code and an Ed25519 key pair (RFC 8032).

The private key stays in the node's home (``HOME/keys/node-ed25519.pem``,
PKCS#8 PEM, mode 0600); the public key beside it (``node-ed25519.pub``) is one
line in the *public key text form* a partner registers::

    ed25519 MAR 7QhS3Xq4o0M8mXJ7R2jv3c8hT9y0m1k2Yw6QfHh9Jk4=

that is the algorithm, the state code and the raw 32-byte public key in
standard base64. The *key id* is the first 16 bytes of SHA-256 over those raw
32 bytes, in hex: short enough to read over the phone when a partner confirms
the key out of band, and what a signed envelope names to say which of the
sender's keys signed it (a state may hold two while it rotates).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from passerelle.documents.states import is_known_state
from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.store.private_files import private_folder

__all__ = [
    "PRIVATE_KEY_FILE",
    "PUBLIC_KEY_FILE",
    "IdentityExists",
    "IdentityMissing",
    "NodeIdentity",
    "PeerKey",
    "PeerKeyRing",
    "PeerKeys",
    "key_id_of",
    "load_identity",
    "parse_public_key",
    "parse_state",
    "save_identity",
]

PRIVATE_KEY_FILE = "node-ed25519.pem"
PUBLIC_KEY_FILE = "node-ed25519.pub"
_ALGORITHM = "ed25519"
_KEY_ID_BYTES = 16


class IdentityExists(InvalidInput):
    """The node already has an identity; replacing it needs ``force``."""


class IdentityMissing(ConfigurationError):
    """The node has no identity yet (``passerelle node init``)."""


def parse_state(value: str, *, field: str = "state") -> str:
    """The state code in ``value``, upper-cased; :class:`InvalidInput` naming ``field`` if unknown.

    >>> parse_state(" mar ")
    'MAR'
    """
    code = value.strip().upper()
    if not code or not code.isascii() or not code.isalpha() or not is_known_state(code):
        raise InvalidInput(field, f"{value!r} is not an ISO 3166-1 alpha-3 or ICAO state code")
    return code


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """The key id: SHA-256 of the raw 32-byte public key, first 16 bytes in hex."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:_KEY_ID_BYTES].hex()


@dataclass(frozen=True, slots=True)
class PeerKey:
    """A state's public signing key, as a partner registers it."""

    state: str
    public_key: Ed25519PublicKey = field(compare=False)
    key_id: str

    @classmethod
    def of(cls, state: str, public_key: Ed25519PublicKey) -> PeerKey:
        return cls(state=parse_state(state), public_key=public_key, key_id=key_id_of(public_key))

    @property
    def text(self) -> str:
        """The public key text form: ``ed25519 STATE BASE64``."""
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return f"{_ALGORITHM} {self.state} {base64.b64encode(raw).decode('ascii')}"


def parse_public_key(text: str) -> PeerKey:
    """Read the public key text form ``ed25519 STATE BASE64`` (from ``node show``).

    Errors are :class:`InvalidInput` naming ``public_key``, ``algorithm`` or ``state``.
    """
    parts = text.split()
    if len(parts) != 3:
        raise InvalidInput(
            "public_key", f"expected 'ed25519 STATE BASE64' (3 fields), got {len(parts)} field(s)"
        )
    algorithm, state, encoded = parts
    if algorithm.lower() != _ALGORITHM:
        raise InvalidInput("algorithm", f"{algorithm!r} is not supported (only 'ed25519')")
    code = parse_state(state)
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("public_key", "is not valid base64") from exc
    if len(raw) != 32:
        raise InvalidInput("public_key", f"must hold 32 bytes, not {len(raw)}")
    if base64.b64encode(raw).decode("ascii") != encoded:
        raise InvalidInput("public_key", "is not in canonical base64")
    return PeerKey.of(code, Ed25519PublicKey.from_public_bytes(raw))


@dataclass(frozen=True, slots=True)
class NodeIdentity:
    """This node: its state code and its Ed25519 signing key."""

    state: str
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)

    @classmethod
    def generate(cls, state: str) -> NodeIdentity:
        """A new identity for ``state`` with a fresh key pair."""
        return cls(state=parse_state(state), private_key=Ed25519PrivateKey.generate())

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    @property
    def peer_key(self) -> PeerKey:
        """What partners register for this node."""
        return PeerKey.of(self.state, self.public_key)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data``."""
        return self.private_key.sign(data)


def _write_new(path: Path, data: bytes, *, mode: int, replace: bool) -> None:
    """Write ``data`` to a file created with ``mode``; atomically replacing when allowed."""
    target = path.with_name(f".{path.name}.new") if replace else path
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    if replace:
        target.unlink(missing_ok=True)
    descriptor = os.open(target, flags, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    if replace:
        os.replace(target, path)


def save_identity(identity: NodeIdentity, keys_dir: Path, *, force: bool = False) -> Path:
    """Write the identity into ``keys_dir``; return the private key's path.

    Refuses (:class:`IdentityExists`) when either file is already there, unless
    ``force``: partners then hold a key that no longer verifies this node.
    """
    private_path, public_path = keys_dir / PRIVATE_KEY_FILE, keys_dir / PUBLIC_KEY_FILE
    existing = [p for p in (private_path, public_path) if p.exists()]
    if existing and not force:
        raise IdentityExists(
            "identity", f"{existing[0]} exists: this node already has a signing key (use --force)"
        )
    pem = identity.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        private_folder(keys_dir)  # 0700 whatever the umask
        _write_new(private_path, pem, mode=0o600, replace=force)
        public_text = identity.peer_key.text + "\n"
        _write_new(public_path, public_text.encode("ascii"), mode=0o644, replace=force)
    except OSError as exc:
        raise ConfigurationError(f"cannot write the node identity in {keys_dir}: {exc}") from exc
    return private_path


def load_identity(keys_dir: Path) -> NodeIdentity:
    """The identity saved in ``keys_dir``, checked: owner-only private key matching its .pub."""
    private_path, public_path = keys_dir / PRIVATE_KEY_FILE, keys_dir / PUBLIC_KEY_FILE
    if not private_path.exists():
        raise IdentityMissing(
            f"no node identity in {keys_dir}: run `passerelle node init --state CODE`"
        )
    try:
        mode = private_path.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigurationError(
                f"{private_path} is readable by other users (mode {stat.S_IMODE(mode):04o}): "
                f"run chmod 600 {private_path}"
            )
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        public = parse_public_key(public_path.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the node identity in {keys_dir}: {exc}") from exc
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ConfigurationError(f"{private_path} is not a PEM private key: {exc}") from exc
    except InvalidInput as exc:
        raise ConfigurationError(f"{public_path}: {exc.field}: {exc.reason}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{private_path} holds a {type(key).__name__}, not Ed25519")
    identity = NodeIdentity(state=public.state, private_key=key)
    if identity.key_id != public.key_id:
        raise ConfigurationError(
            f"{public_path} does not match {private_path} (key ids {public.key_id} "
            f"and {identity.key_id})"
        )
    return identity


class PeerKeys(Protocol):
    """The registry of partners' signing keys: a state code to its current key(s)."""

    def keys_for(self, state: str) -> Sequence[PeerKey]:
        """The keys registered for ``state``; empty when the state is not a partner."""
        ...


class PeerKeyRing:
    """An in-memory :class:`PeerKeys`, for tests, demos and a registry loaded at start."""

    def __init__(self, keys: Iterable[PeerKey] = ()) -> None:
        self._keys: dict[str, list[PeerKey]] = {}
        for key in keys:
            self.add(key)

    def add(self, key: PeerKey) -> None:
        """Register ``key`` for its state (a second key is kept beside the first)."""
        held = self._keys.setdefault(key.state, [])
        if all(k.key_id != key.key_id for k in held):
            held.append(key)

    def keys_for(self, state: str) -> Sequence[PeerKey]:
        return tuple(self._keys.get(state, ()))
