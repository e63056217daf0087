"""Requests a node's federation listener must refuse: tampered, replayed, unsigned, unknown peer.

Each probe is a real request over mutual TLS to ``POST /federation/v1/messages``,
made with the TLS files and signing key of a node (BEL, or FRA: a node
whose certificate comes from the same CA but which no partner registered).
No command makes such requests, so the demo builds them with the exchange's
own functions (``federation.protocol.envelope``) and changes the wire by hand:

==============  ==========================================================  ===================
probe           the wire                                                    refusal expected
==============  ==========================================================  ===================
tampered        a signed query with one byte of its payload flipped         ``bad_signature``
replayed        a signed query sent twice (the first one is answered)       ``replay``
unsigned        a signed query with its ``signature`` field taken out       ``unsigned``
unknown peer    a query signed by FRA, over FRA's certificate               ``unknown_peer``
==============  ==========================================================  ===================
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

import httpx

from passerelle.federation.protocol.envelope import CONTENT_TYPE, new_envelope, sign_envelope
from passerelle.federation.protocol.identity import NodeIdentity
from passerelle.federation.protocol.tls import TlsFiles, client_ssl_context
from passerelle.federation.transport.server import MESSAGES_PATH

__all__ = ["ListenerProbe", "ProbeAnswer", "signed_query", "tampered", "unsigned"]


@dataclass(frozen=True, slots=True)
class ProbeAnswer:
    """What the listener answered: the HTTP status and the refusal code (None when accepted)."""

    status: int
    code: str | None
    detail: str = ""

    def __str__(self) -> str:
        if self.code is None:
            return f"accepted ({self.status})"
        return f"refused {self.status} {self.code}"


def signed_query(sender: NodeIdentity, recipient: str, *, at: datetime) -> bytes:
    """A ``query.document`` from ``sender`` to ``recipient``, signed, in wire form."""
    body = {"issuing_state": "BEL", "document_number": "EM0000001", "purpose": "refusal probe"}
    envelope = new_envelope(sender.state, recipient, "query.document", body, at=at)
    return sign_envelope(envelope, sender).to_wire()


def tampered(wire: bytes) -> bytes:
    """``wire`` with one byte of its signed payload flipped (re-encoded, still well formed)."""
    wrapper = json.loads(wire)
    payload = bytearray(base64.b64decode(wrapper["payload"]))
    payload[len(payload) // 2] ^= 0x01
    wrapper["payload"] = base64.b64encode(bytes(payload)).decode("ascii")
    return json.dumps(wrapper, separators=(",", ":"), sort_keys=True).encode("utf-8")


def unsigned(wire: bytes) -> bytes:
    """``wire`` without its ``signature`` field."""
    wrapper = json.loads(wire)
    del wrapper["signature"]
    return json.dumps(wrapper, separators=(",", ":"), sort_keys=True).encode("utf-8")


class ListenerProbe:
    """Posts wires to a listener (``url`` like ``https://127.0.0.1:8443``) as the node whose
    TLS files are ``tls``."""

    def __init__(self, url: str, tls: TlsFiles, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/") + MESSAGES_PATH
        self._http = httpx.Client(verify=client_ssl_context(tls), trust_env=False, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ListenerProbe:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def post(self, wire: bytes) -> ProbeAnswer:
        """Send ``wire``; the status and, for a refusal, its ``code`` and ``detail``."""
        response = self._http.post(self.url, content=wire, headers={"content-type": CONTENT_TYPE})
        if response.status_code == 200:
            return ProbeAnswer(200, None)
        try:
            refusal = response.json()
            return ProbeAnswer(response.status_code, str(refusal["code"]), str(refusal["detail"]))
        except (ValueError, KeyError, TypeError):
            return ProbeAnswer(response.status_code, "unreadable", response.text[:200])
