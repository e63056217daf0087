"""Templates at rest: encrypted with the node's biometric key (AES-256-GCM).

Each sealed template carries its own random 96-bit nonce; the identity it
belongs to is bound as associated data, so a sealed template moved to another
identity's row no longer opens. The key lives in a file outside the database
(like the audit key), created on first use with owner-only permissions.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.store.private_files import create_private_file

__all__ = ["TemplateVault", "load_or_create_vault_key"]

_VERSION = b"\x01"
_NONCE_BYTES = 12


def load_or_create_vault_key(path: Path) -> bytes:
    """The 32-byte key in ``path``, created (mode 0600) when the file does not exist."""
    if path.exists():
        key = path.read_bytes()
        if len(key) != 32:
            raise ConfigurationError(f"biometric key {path} must hold 32 bytes, not {len(key)}")
        return key
    key = secrets.token_bytes(32)
    create_private_file(path, key)  # 0600 in a 0700 folder, whatever the umask
    return key


class TemplateVault:
    """Seals and opens template bytes with AES-256-GCM."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ConfigurationError("the biometric key must be 32 bytes (AES-256)")
        self._aead = AESGCM(key)

    def seal(self, template: bytes, identity: str) -> bytes:
        """``template`` encrypted and bound to ``identity``: version, nonce, ciphertext+tag."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, template, identity.encode())

    def open(self, sealed: bytes, identity: str) -> bytes:
        """The template bytes; a clear refusal when they were altered, moved or sealed
        with another key."""
        if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _VERSION:
            raise InvalidInput("template", "is not a sealed template of this format")
        nonce, ciphertext = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, ciphertext, identity.encode())
        except InvalidTag:
            raise InvalidInput(
                "template",
                f"does not open for {identity!r}: altered, moved from another identity, "
                "or sealed with another key",
            ) from None
