"""Templates at rest: encrypted with the node's biometric key (AES-256-GCM).

Each sealed template carries its own random 96-bit nonce; the identity it
belongs to is bound as associated data, so a sealed template moved to another
identity's row no longer opens. The key lives in a file outside the database
(like the audit key), made by ``passerelle keys init`` and read by ``Node.template_vault``
(``passerelle.keyring``): never made up by the command that first seals a template.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from passerelle.exc import ConfigurationError, InvalidInput

__all__ = ["TemplateVault"]

_VERSION = b"\x01"
_NONCE_BYTES = 12


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
