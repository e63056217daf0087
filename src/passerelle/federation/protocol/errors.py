"""Why a node refuses a message or a peer: one class per reason, each with a machine code.

::

    PasserelleError
    └── ExchangeRefused(reason)              code             suggested HTTP status
        ├── MalformedMessage                 "malformed"      400
        ├── UnsignedMessage                  "unsigned"       401
        ├── BadSignature                     "bad_signature"  401
        ├── UnknownPeer                      "unknown_peer"   403
        ├── NoClientCertificate              "no_client_certificate"  401
        ├── PeerMismatch                     "peer_mismatch"  403
        ├── WrongRecipient                   "wrong_recipient"  421
        ├── StaleMessage                     "stale"          401
        ├── ReplayedMessage                  "replay"         409
        ├── Revoked                          "revoked"        403
        ├── RevocationUnknown                "revocation_unknown"  503
        └── BadSeal                          "bad_seal"       401

The code is stable (API answers and audit records carry it); the message is
for an operator and never holds the message body. ``sender`` and
``message_id`` are filled in when they were read before the refusal, so the
audit record can name them.
"""

from __future__ import annotations

from typing import ClassVar

from passerelle.exc import PasserelleError

__all__ = [
    "BadSeal",
    "BadSignature",
    "ExchangeRefused",
    "MalformedMessage",
    "NoClientCertificate",
    "PeerMismatch",
    "ReplayedMessage",
    "RevocationUnknown",
    "Revoked",
    "StaleMessage",
    "UnknownPeer",
    "UnsignedMessage",
    "WrongRecipient",
]


class ExchangeRefused(PasserelleError):
    """A message or a peer this node refuses; ``code`` says which rule, ``reason`` why."""

    code: ClassVar[str] = "refused"

    def __init__(
        self, reason: str, *, sender: str | None = None, message_id: str | None = None
    ) -> None:
        super().__init__(f"{self.code}: {reason}")
        self.reason = reason
        self.sender = sender
        self.message_id = message_id

    def as_audit(self) -> dict[str, str | None]:
        """What an audit record of the refusal holds: code, reason, sender, message id."""
        return {
            "code": self.code,
            "reason": self.reason,
            "sender": self.sender,
            "message_id": self.message_id,
        }


class MalformedMessage(ExchangeRefused):
    """The bytes received are not an envelope of this format (the reason names the field)."""

    code = "malformed"


class UnsignedMessage(ExchangeRefused):
    """The envelope carries no signature."""

    code = "unsigned"


class BadSignature(ExchangeRefused):
    """The signature does not verify with the sender's registered key: altered or forged."""

    code = "bad_signature"


class UnknownPeer(ExchangeRefused):
    """The sender, or the key id it claims, is not registered on this node."""

    code = "unknown_peer"


class NoClientCertificate(ExchangeRefused):
    """The TLS connection carries no verified client certificate naming a state."""

    code = "no_client_certificate"


class PeerMismatch(ExchangeRefused):
    """The envelope's sender is not the state the TLS client certificate names."""

    code = "peer_mismatch"


class WrongRecipient(ExchangeRefused):
    """The envelope is addressed to another node."""

    code = "wrong_recipient"


class StaleMessage(ExchangeRefused):
    """The envelope's timestamp is further from this node's clock than the allowed skew."""

    code = "stale"


class ReplayedMessage(ExchangeRefused):
    """This sender's message id was already received within the replay window."""

    code = "replay"


class Revoked(ExchangeRefused):
    """The peer's TLS certificate, or the key that signed the message, is on the federation CRL."""

    code = "revoked"


class RevocationUnknown(ExchangeRefused):
    """This node cannot say whether the peer is revoked (its CRL is required but missing, or
    unreadable): it refuses until its operator installs one; the sender retries."""

    code = "revocation_unknown"


class BadSeal(ExchangeRefused):
    """A part relayed by a hub does not open: altered, or sealed to another node or key."""

    code = "bad_seal"
