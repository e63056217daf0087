"""Federation between national nodes: identities, mutual TLS and signed messages.

Trust model. Each node is a state: its identity is its state code and an
Ed25519 key pair, and partners register its public key (exchanged and
confirmed out of band, by key id) before they accept anything from it. Every
message is signed by the sending node over its exact bytes and names its
sender, recipient, a UUID4 message id and a timestamp; a node refuses a
message that is malformed, unsigned, from an unregistered sender or key,
wrongly signed, addressed to another node, outside the allowed clock skew
(±120 s by default), or seen before. Underneath, nodes talk HTTPS with mutual
TLS, trusting only the federation CA: the TLS client certificate names the
sending state (``O=MAR``), and a message must be signed by the state whose
certificate carried it. TLS authenticates the channel; the signature
authenticates the message itself, so it can be stored, forwarded from an
outbox and audited, and a leaked TLS key alone cannot forge a message (nor a
leaked signing key alone open a channel).

The package is a tree: ``protocol/`` (identities, envelopes, PKI, TLS, replay,
refusal codes), ``transport/`` (listener, client, outbox and delivery, the handler
table's types) and one sub-package per feature, each with its values, handlers and
store access together: ``queries/`` (hit/no-hit), ``followups/``, ``alerts/``,
``peers/`` and ``sharing/`` (the legal-basis filter). This module re-exports the
protocol.
"""

from passerelle.federation.protocol.envelope import (
    CONTENT_TYPE,
    MAX_ENVELOPE_BYTES,
    Envelope,
    JsonObject,
    JsonValue,
    SignedEnvelope,
    canonical_json,
    new_envelope,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.protocol.errors import (
    BadSignature,
    ExchangeRefused,
    MalformedMessage,
    NoClientCertificate,
    PeerMismatch,
    ReplayedMessage,
    StaleMessage,
    UnknownPeer,
    UnsignedMessage,
    WrongRecipient,
)
from passerelle.federation.protocol.identity import (
    IdentityExists,
    IdentityMissing,
    NodeIdentity,
    PeerKey,
    PeerKeyRing,
    PeerKeys,
    key_id_of,
    load_identity,
    parse_public_key,
    parse_state,
    save_identity,
)
from passerelle.federation.protocol.pki import (
    FederationCA,
    issue_node_certificate,
    make_node_csr,
    new_federation_ca,
    new_tls_key,
    sign_node_csr,
    state_of_certificate,
)
from passerelle.federation.protocol.replay import DEFAULT_MAX_SKEW, MemoryReplayGuard, ReplayGuard
from passerelle.federation.protocol.tls import (
    TlsFiles,
    UvicornSslOptions,
    client_ssl_context,
    load_certificate,
    load_federation_ca,
    peer_state,
    save_federation_ca,
    save_node_tls,
    server_ssl_context,
    uvicorn_ssl_options,
)

__all__ = [
    "CONTENT_TYPE",
    "DEFAULT_MAX_SKEW",
    "MAX_ENVELOPE_BYTES",
    "BadSignature",
    "Envelope",
    "ExchangeRefused",
    "FederationCA",
    "IdentityExists",
    "IdentityMissing",
    "JsonObject",
    "JsonValue",
    "MalformedMessage",
    "MemoryReplayGuard",
    "NoClientCertificate",
    "NodeIdentity",
    "PeerKey",
    "PeerKeyRing",
    "PeerKeys",
    "PeerMismatch",
    "ReplayGuard",
    "ReplayedMessage",
    "SignedEnvelope",
    "StaleMessage",
    "TlsFiles",
    "UnknownPeer",
    "UnsignedMessage",
    "UvicornSslOptions",
    "WrongRecipient",
    "canonical_json",
    "client_ssl_context",
    "issue_node_certificate",
    "key_id_of",
    "load_certificate",
    "load_federation_ca",
    "load_identity",
    "make_node_csr",
    "new_envelope",
    "new_federation_ca",
    "new_tls_key",
    "parse_public_key",
    "parse_state",
    "peer_state",
    "save_federation_ca",
    "save_identity",
    "save_node_tls",
    "server_ssl_context",
    "sign_envelope",
    "sign_node_csr",
    "state_of_certificate",
    "uvicorn_ssl_options",
    "verify_envelope",
]
