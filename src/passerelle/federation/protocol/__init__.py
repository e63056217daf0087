"""The federation protocol, pure of I/O but files: node identities, signed envelopes, the
federation CA and mutual-TLS material, replay windows, and the refusal codes.

Modules: ``identity`` (node keys, peer key rings), ``envelope`` (canonical payload,
signing, verification), ``replay`` (message ids seen), ``pki`` (federation CA, node
certificates), ``tls`` (files, SSL contexts, the peer's state), ``errors`` (refusals).
"""
