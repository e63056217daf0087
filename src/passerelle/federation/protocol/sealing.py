"""Sealing a message to one node, so that a hub relaying it cannot read it (X25519, RFC 7748).

Each node holds, next to its Ed25519 signing key, an X25519 *sealing* key
(``HOME/keys/node-x25519.pem``, PKCS#8, mode 0600; made by ``keys init`` or ``node init``,
its fingerprint recorded: ``passerelle.keyring``). Partners register its
public half as a *sealing key line*, bound to the node's identity by the node's
Ed25519 signature over ``passerelle sealing key v1\\n<STATE>\\n<raw 32 bytes>``::

    x25519 MAR <base64 public key> <base64 Ed25519 signature>

so a hub that hands out a member's lines cannot slip in its own key: the line
verifies only under a signing key the partner registered out of band.

A sealed part (:func:`seal`) is ``version (1) | recipient key id (8) |
ephemeral public key (32) | nonce (12) | ChaCha20-Poly1305 ciphertext``: an
ephemeral-static ECDH between a fresh key and the recipient's sealing key,
HKDF-SHA256 (info: the version, the recipient's state, both public keys) to a
256-bit key, the recipient's state as associated data. Only the holder of the
recipient's private key opens it (:func:`open_sealed`); a changed byte, another
recipient or another key fails with :class:`BadSeal`. The key id names which
of the recipient's sealing keys was used: after :func:`rotate_sealing_key` a node
opens with the new key and the previous one (``node-x25519.previous.pem``), so
partners may register the new line at their pace.

What it does not hide: who sends to whom, the message kind the hub routes on,
sizes and times (the hub's routing metadata).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation.protocol.errors import BadSeal
from passerelle.federation.protocol.identity import NodeIdentity, PeerKey, parse_state
from passerelle.store.private_files import private_folder

__all__ = [
    "PREVIOUS_SEALING_KEY_FILE",
    "SEALING_KEY_FILE",
    "SealingKey",
    "SealingKeyLine",
    "create_sealing_key",
    "load_sealing_key",
    "load_sealing_keys",
    "open_sealed",
    "parse_sealing_line",
    "read_sealing_line",
    "rotate_sealing_key",
    "seal",
]

SEALING_KEY_FILE = "node-x25519.pem"
PREVIOUS_SEALING_KEY_FILE = "node-x25519.previous.pem"
_ALGORITHM = "x25519"
_VERSION = 1
_KEY_ID_BYTES = 8
_HEADER = 1 + _KEY_ID_BYTES + 32 + 12
_BINDING = b"passerelle sealing key v1\n"


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key_id(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()[:_KEY_ID_BYTES]


def _binding(state: str, raw: bytes) -> bytes:
    return _BINDING + state.encode("ascii") + b"\n" + raw


@dataclass(frozen=True, slots=True)
class SealingKeyLine:
    """A partner's public sealing key, as registered (verified against its signing key)."""

    state: str
    public_key: X25519PublicKey = field(compare=False)
    raw: bytes
    signature: bytes

    @property
    def key_id(self) -> str:
        return _key_id(self.raw).hex()

    @property
    def text(self) -> str:
        """``x25519 STATE BASE64KEY BASE64SIGNATURE``."""
        key = base64.b64encode(self.raw).decode("ascii")
        return f"{_ALGORITHM} {self.state} {key} {base64.b64encode(self.signature).decode()}"


@dataclass(frozen=True, slots=True)
class SealingKey:
    """This node's sealing key pair."""

    state: str
    private_key: X25519PrivateKey = field(repr=False, compare=False)

    @property
    def raw(self) -> bytes:
        return _raw(self.private_key.public_key())

    def line(self, identity: NodeIdentity) -> SealingKeyLine:
        """The line partners register, signed by this node's signing key."""
        if identity.state != self.state:
            raise InvalidInput("state", f"the signing key is {identity.state}, not {self.state}")
        raw = self.raw
        signature = identity.sign(_binding(self.state, raw))
        return SealingKeyLine(self.state, self.private_key.public_key(), raw, signature)


def _b64(value: str, name: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(name, "is not valid base64") from exc
    if base64.b64encode(raw).decode("ascii") != value:
        raise InvalidInput(name, "is not in canonical base64")
    return raw


def _fields(text: str) -> tuple[str, bytes, bytes]:
    parts = text.split()
    if len(parts) != 4 or parts[0].lower() != _ALGORITHM:
        raise InvalidInput(
            "sealing_key", "expected 'x25519 STATE BASE64KEY BASE64SIGNATURE' (4 fields)"
        )
    state = parse_state(parts[1], field="sealing_key")
    raw, signature = _b64(parts[2], "sealing_key"), _b64(parts[3], "sealing_key")
    if len(raw) != 32 or len(signature) != 64:
        raise InvalidInput("sealing_key", "the key must hold 32 bytes and the signature 64")
    return state, raw, signature


def parse_sealing_line(text: str, signing_keys: Sequence[PeerKey]) -> SealingKeyLine:
    """The sealing key line ``text``, checked to be signed by one of ``signing_keys``
    (the partner's registered Ed25519 keys); :class:`InvalidInput` naming ``sealing_key``.
    This is the check made when a partner's line is registered."""
    state, raw, signature = _fields(text)
    binding = _binding(state, raw)
    for key in signing_keys:
        if key.state != state:
            continue
        try:
            key.public_key.verify(signature, binding)
        except InvalidSignature:
            continue
        return SealingKeyLine(state, X25519PublicKey.from_public_bytes(raw), raw, signature)
    raise InvalidInput(
        "sealing_key", f"is not signed by a signing key registered for {state}: refused"
    )


def read_sealing_line(text: str) -> SealingKeyLine:
    """A line checked when it was registered (:func:`parse_sealing_line`), as stored: the
    signing key that signed it may have been retired since, the binding holds."""
    state, raw, signature = _fields(text)
    return SealingKeyLine(state, X25519PublicKey.from_public_bytes(raw), raw, signature)


def _derive(shared: bytes, recipient: str, ephemeral: bytes, static: bytes) -> bytes:
    info = b"passerelle-seal-v1|" + recipient.encode("ascii") + b"|" + ephemeral + static
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal(plaintext: bytes, to: SealingKeyLine) -> bytes:
    """``plaintext`` sealed to the holder of ``to``'s private key (see the module docstring)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    key = _derive(ephemeral.exchange(to.public_key), to.state, ephemeral_raw, to.raw)
    nonce = os.urandom(12)
    sealed = ChaCha20Poly1305(key).encrypt(nonce, plaintext, to.state.encode("ascii"))
    return bytes([_VERSION]) + _key_id(to.raw) + ephemeral_raw + nonce + sealed


def open_sealed(sealed: bytes, keys: Sequence[SealingKey]) -> bytes:
    """The plaintext of a part sealed to one of ``keys`` (this node's); :class:`BadSeal` when
    it was altered, sealed to another node or key, or is not a sealed part."""
    if len(sealed) < _HEADER + 16 or sealed[0] != _VERSION:
        raise BadSeal("the sealed part is not a version-1 sealed part")
    key_id, ephemeral_raw = sealed[1 : 1 + _KEY_ID_BYTES], sealed[1 + _KEY_ID_BYTES : _HEADER - 12]
    nonce, body = sealed[_HEADER - 12 : _HEADER], sealed[_HEADER:]
    mine = next((k for k in keys if _key_id(k.raw) == key_id), None)
    if mine is None:
        raise BadSeal("the part is sealed to a key this node does not hold")
    try:
        shared = mine.private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_raw))
        key = _derive(shared, mine.state, ephemeral_raw, mine.raw)
        return ChaCha20Poly1305(key).decrypt(nonce, body, mine.state.encode("ascii"))
    except (InvalidTag, ValueError) as exc:
        raise BadSeal("the sealed part does not open: altered or not for this node") from exc


def load_sealing_keys(keys_dir: Path, state: str) -> tuple[SealingKey, ...]:
    """The keys this node opens parts with: the current one (provisioned: never made here)
    and, after :func:`rotate_sealing_key`, the previous one, until the next rotation."""
    current = load_sealing_key(keys_dir, state)
    if not (keys_dir / PREVIOUS_SEALING_KEY_FILE).exists():
        return (current,)
    return current, _load_key(keys_dir / PREVIOUS_SEALING_KEY_FILE, current.state)


def rotate_sealing_key(keys_dir: Path, state: str) -> SealingKey:
    """A new current sealing key; the current one becomes the previous one (opening what
    partners still seal to it until they register the new line), the one before is gone."""
    current = keys_dir / SEALING_KEY_FILE
    load_sealing_key(keys_dir, state)  # the node has one to rotate
    try:
        os.replace(current, keys_dir / PREVIOUS_SEALING_KEY_FILE)
    except OSError as exc:
        raise ConfigurationError(f"cannot rotate the sealing key {current}: {exc}") from exc
    create_sealing_key(keys_dir)
    return load_sealing_key(keys_dir, state)


def _load_key(path: Path, state: str) -> SealingKey:
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigurationError(f"{path} is readable by other users: run chmod 600 {path}")
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise ConfigurationError(f"cannot read the sealing key {path}: {exc}") from exc
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ConfigurationError(f"{path} is not a PEM private key: {exc}") from exc
    if not isinstance(key, X25519PrivateKey):
        raise ConfigurationError(f"{path} holds a {type(key).__name__}, not X25519")
    return SealingKey(state, key)


def create_sealing_key(keys_dir: Path) -> bool:
    """Make this node's sealing key in ``keys_dir`` (mode 0600); False when one is there
    already (never replaced: ``rotate_sealing_key`` rotates). Only key provisioning
    (``keys init``, ``node init``: ``passerelle.keyring``) and the rotation make one."""
    path = keys_dir / SEALING_KEY_FILE
    try:
        if path.exists():
            return False
        private_folder(keys_dir)
        pem = X25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    except FileExistsError:
        return False  # another process made it first
    except OSError as exc:
        raise ConfigurationError(f"cannot write the sealing key {path}: {exc}") from exc
    return True


def load_sealing_key(keys_dir: Path, state: str) -> SealingKey:
    """This node's sealing key from ``keys_dir``; :class:`ConfigurationError` naming the
    file and the command that makes it when this host has none (none is made here)."""
    path = keys_dir / SEALING_KEY_FILE
    code = parse_state(state)
    if not path.exists():
        raise ConfigurationError(
            f"this host lacks the node's sealing key ({path}): for a new node run "
            "`passerelle keys init`; for another host of a node, copy the node's key folder "
            f"from its first host into {keys_dir} (PASSERELLE_KEYS_DIR)"
        )
    return _load_key(path, code)
