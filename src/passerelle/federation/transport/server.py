"""The partner-facing listener: ``POST /federation/v1/messages``, over mutual TLS only.

It runs on its own port (``passerelle federation serve``), apart from the
officers' API, and takes one thing: a signed envelope in wire form
(``envelope``). For each request the :class:`Receiver`

1. reads the state from the verified TLS client certificate (``listener``)
   and finds that state among the enabled partners,
2. verifies the envelope (:func:`~passerelle.federation.protocol.envelope.verify_envelope`
   with the partners' keys, this node as recipient, the TLS state as sender,
   the database replay guard),
3. finds the handler for its kind and, for ``query.<kind>``, checks the
   partner's ``inbound_kinds``,
4. calls the handler and answers ``200`` with a *signed* reply envelope
   (kind ``exchange.reply``, to the asker, ``in_reply_to`` the request id).

A ``hub.deliver`` from a partner registered as a hub carries another member's
message sealed to this node: it is opened and verified as that member's own
(``federation.hub.relayed``), answered as if it had come directly, and the signed
reply goes back sealed to the member (refusal ``bad_seal``, 401, when the part does
not open).

Every refusal is answered ``{"code": ..., "detail": ...}`` and audited
(action ``exchange.refused``, actor ``peer:<state>``, the code, the sender and
message id when they were read):

===============================  ======  =========================================
code                             status  why
===============================  ======  =========================================
``no_client_certificate``        401     no TLS client certificate
``unknown_peer``                 403     certificate or sender not an enabled partner
``malformed``                    400     not an envelope of this format
``unsigned``                     401     no signature
``bad_signature``                401     altered or forged
``bad_seal``                     401     a part relayed by a hub does not open here
``peer_mismatch``                403     signed by another state than the TLS peer
``wrong_recipient``              421     addressed to another node
``stale``                        401     timestamp outside ±max_skew
``replay``                       409     message id seen before
``unknown_kind``                 404     no handler for the kind
``not_allowed``                  403     the agreement does not cover it
``outside_agreement:kind``       403     a ``query.<kind>`` not in ``inbound_kinds``
``outside_agreement:category``   403     an alert category not in ``alert_categories``
``outside_agreement:namespace``  403     an alert id in another state's namespace
``invalid``                      422     the handler found the body unusable
``rate_limited``                 429     no certificate, and its address is over the limit
                                         (``admission``: counted, one summary record per
                                         interval, never one record per request)
``internal``                     500     the handler failed (logged, ``exchange.failed``)
===============================  ======  =========================================
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from passerelle.exc import InvalidInput, PasserelleError
from passerelle.federation.hub.relayed import RelayedParts
from passerelle.federation.hub.wire import DELIVER_KIND
from passerelle.federation.peers.directory import PeerDirectory, PeerView
from passerelle.federation.protocol.envelope import (
    CONTENT_TYPE,
    MAX_ENVELOPE_BYTES,
    Envelope,
    new_envelope,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.protocol.errors import ExchangeRefused, UnknownPeer
from passerelle.federation.protocol.identity import NodeIdentity, PeerKey, PeerKeys
from passerelle.federation.protocol.replay import DEFAULT_MAX_SKEW, ReplayGuard
from passerelle.federation.protocol.revocation import RevocationCheck
from passerelle.federation.protocol.sealing import SealingKey
from passerelle.federation.protocol.signing_key import SigningKey, signing_key
from passerelle.federation.protocol.tls import TlsFiles, peer_state
from passerelle.federation.transport.admission import (
    RefusalSummary,
    UnauthenticatedGate,
    UnauthenticatedLimit,
)
from passerelle.federation.transport.inbound import (
    AGREEMENT_REFUSALS,
    REPLY_KIND,
    Handler,
    HandlerTable,
    InboundMessage,
    KindOutsideAgreement,
    UnknownKind,
    peer_actor,
)
from passerelle.federation.transport.listener import client_certificate
from passerelle.federation.transport.replay_store import StoredReplayGuard
from passerelle.node import Node
from passerelle.store.audit import Actor

__all__ = ["MESSAGES_PATH", "REFUSAL_STATUS", "Answer", "Receiver", "federation_app"]

log = logging.getLogger("passerelle.federation")

MESSAGES_PATH = "/federation/v1/messages"
REFUSAL_STATUS: Mapping[str, int] = {
    "no_client_certificate": 401,
    "unknown_peer": 403,
    "malformed": 400,
    "unsigned": 401,
    "bad_signature": 401,
    "peer_mismatch": 403,
    "wrong_recipient": 421,
    "stale": 401,
    "replay": 409,
    "revoked": 403,
    "revocation_unknown": 503,
    "bad_seal": 401,
    "unknown_kind": 404,
    "not_allowed": 403,
    **dict.fromkeys(AGREEMENT_REFUSALS, 403),
    "invalid": 422,
    "rate_limited": 429,
    "internal": 500,
}
"""The HTTP status of each refusal code (400 for any other)."""

_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the listener answers one request: a status, bytes and their media type."""

    status: int
    body: bytes
    media_type: str

    @classmethod
    def error(cls, code: str, detail: str) -> Answer:
        body = json.dumps({"code": code, "detail": detail}, ensure_ascii=False).encode("utf-8")
        return cls(REFUSAL_STATUS.get(code, 400), body, _JSON)


@dataclass(frozen=True, slots=True)
class _Context:
    """What was learnt about a request before it was refused (for the audit record)."""

    tls_state: str | None = None
    envelope: Envelope | None = None


class Receiver:
    """Verifies, dispatches and answers partners' messages (the listener's core, no HTTP)."""

    def __init__(
        self,
        node: Node,
        identity: NodeIdentity | SigningKey,
        *,
        handlers: HandlerTable,
        directory: PeerDirectory | None = None,
        replay_guard: ReplayGuard | None = None,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
        revocation: RevocationCheck | None = None,
        sealing: Sequence[SealingKey] | None = None,
    ) -> None:
        self.node = node
        settings = node.settings
        self.revocation = (
            revocation
            or TlsFiles.for_home(
                settings.home,
                crl_file=settings.federation_crl_file,
                crl_required=settings.federation_crl_required,
            ).revocation()
        )
        self._signing_key = signing_key(identity)
        self.directory = directory or PeerDirectory(node.database, node.audit, clock=node.clock)
        self.replay_guard = replay_guard or StoredReplayGuard(node.database, max_skew=max_skew)
        self.handlers = handlers
        self.max_skew = max_skew
        self.relayed = RelayedParts(
            self._signing_key.current().state,
            self.directory,
            self.replay_guard,
            max_skew=max_skew,
            revoked_keys=self.revocation.revoked_key_ids,
            sealing=sealing,
            keys_dir=node.settings.keys_dir,
        )

    @property
    def identity(self) -> NodeIdentity:
        """The identity replies are signed with now (see :class:`SigningKeyFile`)."""
        return self._signing_key.current()

    def receive(self, wire: bytes, client_cert_der: bytes | None) -> Answer:
        """Answer one request: the signed reply, or a refusal (audited)."""
        context = _Context()
        try:
            state = peer_state(client_cert_der)
            context = _Context(tls_state=state)
            assert client_cert_der is not None  # peer_state refused a connection without one
            self.revocation.check_certificate(client_cert_der)
            peer = self.directory.find(state)
            if peer is None or not peer.enabled:
                raise UnknownPeer(
                    f"the TLS client certificate names {state}, not an enabled partner"
                )
            received_at = self.node.clock()
            envelope = verify_envelope(
                wire,
                recipient=self.identity.state,
                peers=_KnownPeerKeys(peer, self.directory),
                replay_guard=self.replay_guard,
                now=received_at,
                max_skew=self.max_skew,
                transport_peer=state,
                revoked_keys=self.revocation.revoked_key_ids(),
            )
            context = _Context(tls_state=state, envelope=envelope)
            if envelope.kind == DELIVER_KIND:  # a part a hub relayed: the sender's own message
                inner, sender = self.relayed.open(envelope, peer, received_at)
                context = _Context(tls_state=state, envelope=inner)
                handler = self._handler_for(inner, sender)
                result = handler(InboundMessage(self.node, sender, inner, received_at))
                sealed = self.relayed.sealed_reply(self._signed_reply(inner, result), sender)
                return self._reply(envelope, sealed)
            handler = self._handler_for(envelope, peer)
            result = handler(InboundMessage(self.node, peer, envelope, received_at))
            return self._reply(envelope, result)
        except ExchangeRefused as refusal:
            self._audit_refusal(context, refusal.code, refusal.reason, refusal)
            return Answer.error(refusal.code, refusal.reason)
        except InvalidInput as exc:
            detail = f"{exc.field}: {exc.reason}"
            self._audit_refusal(context, "invalid", detail, None)
            return Answer.error("invalid", detail)
        except Exception:
            log.exception(
                "exchange.failed",
                extra={"sender": context.tls_state, "message_id": _message_id(context)},
            )
            self._audit(context, "exchange.failed", "internal", "the handler failed", None)
            return Answer.error("internal", "the message could not be handled; see the logs")

    def _handler_for(self, envelope: Envelope, peer: PeerView) -> Handler:
        context = {"sender": envelope.sender, "message_id": envelope.message_id}
        handler = self.handlers.get(envelope.kind)
        if handler is None:
            raise UnknownKind(f"this node takes no {envelope.kind!r} messages", **context)
        prefix, _, query_kind = envelope.kind.partition(".")
        if prefix == "query" and not peer.may_ask(query_kind):
            raise KindOutsideAgreement(
                f"the agreement with {peer.state} does not allow {query_kind!r} queries",
                **context,
            )
        return handler

    def _reply(self, request: Envelope, result: object) -> Answer:
        return Answer(200, self._signed_reply(request, result), CONTENT_TYPE)

    def _signed_reply(self, request: Envelope, result: object) -> bytes:
        if not isinstance(result, dict):
            raise TypeError(f"the {request.kind} handler returned {type(result).__name__}")
        reply = new_envelope(
            self.identity.state,
            request.sender,
            REPLY_KIND,
            {"in_reply_to": request.message_id, "kind": request.kind, "result": result},
            at=self.node.clock(),
        )
        try:
            return sign_envelope(reply, self.identity).to_wire()
        except InvalidInput as exc:  # the handler's fault, not the asker's
            raise TypeError(f"the {request.kind} handler returned {exc.reason}") from exc

    def _audit_refusal(
        self, context: _Context, code: str, reason: str, refusal: ExchangeRefused | None
    ) -> None:
        log.info(
            "exchange.refused",
            extra={
                "code": code,
                "tls_state": context.tls_state,
                "message_id": _message_id(context),
            },
        )
        self._audit(context, "exchange.refused", code, reason, refusal)

    def _audit(
        self,
        context: _Context,
        action: str,
        code: str,
        reason: str,
        refusal: ExchangeRefused | None,
    ) -> None:
        sender = context.envelope.sender if context.envelope else None
        sender = sender or (refusal.sender if refusal else None)
        actor: Actor = peer_actor(context.tls_state or sender or "unknown")
        query = {
            "tls_state": context.tls_state,
            "sender": sender,
            "message_id": _message_id(context) or (refusal.message_id if refusal else None),
            "kind": context.envelope.kind if context.envelope else None,
        }
        try:
            with self.node.database.write() as session:
                self.node.audit.record(
                    session,
                    actor=actor,
                    action=action,
                    at=self.node.clock(),
                    query={k: v for k, v in query.items() if v is not None},
                    result={"code": code, "reason": reason},
                )
        except PasserelleError:
            log.exception("exchange.audit_failed", extra={"code": code})

    def audit_refusal_summary(self, summary: RefusalSummary) -> None:
        """One audit record for the requests without a certificate refused unaudited
        (``admission``): how many, from where, over which period."""
        log.warning("exchange.rate_limited", extra={"refused": summary.refused})
        try:
            with self.node.database.write() as session:
                self.node.audit.record(
                    session,
                    actor=peer_actor("unknown"),
                    action="exchange.refused",
                    at=self.node.clock(),
                    query={"sources": summary.sources, "source_count": summary.source_count},
                    result={
                        "code": "rate_limited",
                        "reason": "requests without a client certificate over the rate limit",
                        "refused": summary.refused,
                        "since": summary.since.isoformat(),
                        "until": summary.until.isoformat(),
                    },
                )
        except Exception:  # a closed node (shutdown): the log line above still holds the count
            log.exception("exchange.audit_failed", extra={"code": "rate_limited"})


class _KnownPeerKeys:
    """The partners' keys for one request: the TLS peer's as just read, any other's from the
    directory (one database read per request instead of two; the same keys either way)."""

    def __init__(self, peer: PeerView, directory: PeerKeys) -> None:
        self._peer, self._directory = peer, directory

    def keys_for(self, state: str) -> Sequence[PeerKey]:
        if state == self._peer.state:
            return self._peer.keys if self._peer.enabled else ()
        return self._directory.keys_for(state)


def _message_id(context: _Context) -> str | None:
    return context.envelope.message_id if context.envelope else None


async def _read_limited(request: Request, limit: int) -> bytes:
    """The request body, cut at ``limit + 1`` bytes (enough for the size check to refuse)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            break
    return b"".join(chunks)[: limit + 1]


def federation_app(
    node: Node,
    identity: NodeIdentity | SigningKey,
    *,
    handlers: HandlerTable,
    directory: PeerDirectory | None = None,
    replay_guard: ReplayGuard | None = None,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
    max_bytes: int = MAX_ENVELOPE_BYTES,
    unauthenticated: UnauthenticatedLimit | None = None,
    sealing: Sequence[SealingKey] | None = None,
) -> Starlette:
    """The partner-facing ASGI app (serve it with ``listener.federation_uvicorn_config``).

    ``handlers`` is the table the composition root built
    (``passerelle.wiring.federation_handlers``): the kinds this node serves.
    ``unauthenticated``: how often a client without a certificate is heard and
    audited per source address (``admission``; its defaults unless given).
    ``sealing``: this node's sealing keys for parts a hub relays (``federation.hub``;
    read from ``HOME/keys`` when the first one arrives, unless given).
    """
    signing_state = signing_key(identity).current().state
    if signing_state != node.state:
        raise InvalidInput(
            "node",
            f"the signing identity is {signing_state} but PASSERELLE_NODE is {node.state}",
        )
    receiver = Receiver(
        node,
        identity,
        directory=directory,
        replay_guard=replay_guard,
        handlers=handlers,
        max_skew=max_skew,
        sealing=sealing,
    )

    gate = UnauthenticatedGate(
        unauthenticated or UnauthenticatedLimit(),
        on_summary=receiver.audit_refusal_summary,
        wall_clock=node.clock,
    )

    async def messages(request: Request) -> Response:
        der = client_certificate(request.scope)
        if der is None and not gate.admit(request.client.host if request.client else "unknown"):
            answer = Answer.error("rate_limited", "too many requests without a client certificate")
            headers = {"retry-after": str(gate.retry_after_s())}
            return Response(answer.body, answer.status, headers, media_type=answer.media_type)
        wire = await _read_limited(request, max_bytes) if der else b""
        answer = await run_in_threadpool(receiver.receive, wire, der)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type)

    app = Starlette(routes=[Route(MESSAGES_PATH, messages, methods=["POST"])])
    app.state.receiver = receiver
    app.state.unauthenticated_gate = gate
    return app
