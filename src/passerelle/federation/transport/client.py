"""Sending to partners: one signed message and its verified reply, or a fan-out with a deadline.

:class:`ExchangeClient` posts signed envelopes over mutual TLS (the node's
certificate, the federation CA only, no proxies from the environment) to
``{peer.url}/federation/v1/messages`` and trusts a reply only once it verifies:
signed with a key registered for that partner, from the state its TLS
certificate names, to this node, within the skew, of kind ``exchange.reply``,
answering the very message sent. What can go wrong::

    PasserelleError
    ├── PeerUnreachable(peer, reason)        no answer: connection, TLS, HTTP
    │   └── PeerTimeout                      no answer within the time given
    ├── PeerRefused(peer, code, detail)      the partner answered a refusal
    └── BadReply(peer, code, reason)         an answer this node does not trust

:meth:`ExchangeClient.fan_out` asks many partners at once and returns, by the
deadline, one :class:`PeerOutcome` per partner (``answered``, ``refused``,
``unreachable``, ``timeout``, ``invalid``); a slow partner never delays the
others. :class:`BlockingExchangeClient` offers the same to threads (the border
inspection), on an event loop of its own that keeps connections open.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

import httpx

from passerelle.exc import InvalidInput, PasserelleError
from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import (
    CONTENT_TYPE,
    MAX_ENVELOPE_BYTES,
    Envelope,
    JsonValue,
    new_envelope,
    sign_envelope,
    verify_envelope,
)
from passerelle.federation.protocol.errors import ExchangeRefused
from passerelle.federation.protocol.identity import NodeIdentity, PeerKeyRing
from passerelle.federation.protocol.pki import state_of_certificate
from passerelle.federation.protocol.replay import DEFAULT_MAX_SKEW, MemoryReplayGuard
from passerelle.federation.protocol.signing_key import SigningKey, signing_key
from passerelle.federation.protocol.tls import TlsFiles, client_ssl_context
from passerelle.federation.transport.inbound import REPLY_KIND
from passerelle.federation.transport.progress import Progress
from passerelle.node import utc_now

__all__ = [
    "BadReply",
    "BlockingExchangeClient",
    "ExchangeClient",
    "OutcomeStatus",
    "PeerOutcome",
    "PeerRefused",
    "PeerTimeout",
    "PeerUnreachable",
    "Progress",
    "Reply",
]

T = TypeVar("T")
OutcomeStatus = Literal["answered", "refused", "unreachable", "timeout", "invalid"]


class PeerUnreachable(PasserelleError):
    """No answer from the partner: connection refused, TLS handshake failed, broken HTTP."""

    def __init__(self, peer: str, reason: str) -> None:
        super().__init__(f"{peer}: {reason}")
        self.peer, self.reason = peer, reason


class PeerTimeout(PeerUnreachable):
    """The partner did not answer within the time given."""


class PeerRefused(PasserelleError):
    """The partner answered with a refusal (``code`` as in ``server``, e.g. ``not_allowed``)."""

    def __init__(self, peer: str, code: str, detail: str, *, status: int) -> None:
        super().__init__(f"{peer} refused: {code}: {detail}")
        self.peer, self.code, self.detail, self.status = peer, code, detail, status


class BadReply(PasserelleError):
    """The partner's answer does not verify or does not answer the message sent."""

    def __init__(self, peer: str, code: str, reason: str) -> None:
        super().__init__(f"{peer} reply: {code}: {reason}")
        self.peer, self.code, self.reason = peer, code, reason


@dataclass(frozen=True, slots=True)
class Reply:
    """A partner's verified answer to one message."""

    peer: str
    message_id: str
    in_reply_to: str
    sent_at: datetime
    body: dict[str, JsonValue]


@dataclass(frozen=True, slots=True)
class PeerOutcome:
    """What became of one partner's part of a fan-out."""

    peer: str
    status: OutcomeStatus
    elapsed: float
    reply: Reply | None = None
    code: str | None = None
    detail: str | None = None
    message_id: str | None = None
    """The id of the message sent to this partner (None when none was made)."""
    sent: bool | None = None
    """Whether the message left: True once the request was written whole, False when
    nothing was written (the connection or TLS handshake failed or hung), None when part
    of it may have left."""
    via: str | None = None
    """The hub the message went through (``federation.hub``); None when sent directly."""

    @property
    def body(self) -> dict[str, JsonValue] | None:
        """The reply's body when ``answered``."""
        return self.reply.body if self.reply is not None else None


def _check_sendable(peer: PeerView, kind: str) -> None:
    if not peer.enabled:
        raise InvalidInput("peer", f"{peer.state} is disabled")
    prefix, _, query_kind = kind.partition(".")
    if prefix == "query" and not peer.is_asked(query_kind):
        raise InvalidInput(
            "kind", f"the agreement with {peer.state} does not cover {query_kind!r} queries"
        )


def _server_state(response: httpx.Response) -> str | None:
    """The state the partner's TLS certificate names, when the connection tells."""
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    if not isinstance(ssl_object, ssl.SSLObject | ssl.SSLSocket):
        return None
    der = ssl_object.getpeercert(binary_form=True)
    if not der:
        return None
    from cryptography import x509

    return state_of_certificate(x509.load_der_x509_certificate(der))


def _http_client(context: ssl.SSLContext) -> httpx.AsyncClient:
    return httpx.AsyncClient(verify=context, trust_env=False, follow_redirects=False)


def _refusal(peer: str, status: int, data: bytes) -> PeerRefused:
    try:
        answer = json.loads(data)
        code, detail = str(answer["code"]), str(answer["detail"])
    except (ValueError, KeyError, TypeError):
        code, detail = f"http_{status}", data[:200].decode("utf-8", "replace")
    return PeerRefused(peer, code, detail, status=status)


class ExchangeClient:
    """Signs, sends and verifies node-to-node messages (async; one per node, reused)."""

    def __init__(
        self,
        identity: NodeIdentity | SigningKey,
        tls: TlsFiles | ssl.SSLContext,
        *,
        clock: Callable[[], datetime] = utc_now,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
    ) -> None:
        self._signing_key = signing_key(identity)
        self.clock = clock
        self.max_skew = max_skew
        self._tls_files = tls if isinstance(tls, TlsFiles) else None
        self._revocation = self._tls_files.revocation() if self._tls_files else None
        self._crl_in_use = self._revocation.current() if self._revocation else None
        context = tls if isinstance(tls, ssl.SSLContext) else client_ssl_context(tls)
        self._http = _http_client(context)
        self._retired: list[httpx.AsyncClient] = []
        self._replies = MemoryReplayGuard(max_skew=max_skew)
        self._stragglers: set[asyncio.Task[PeerOutcome]] = set()

    @property
    def identity(self) -> NodeIdentity:
        """The identity the next message is signed with (the key files' current one when the
        client was given a :class:`SigningKeyFile`: a key rotation applies without a restart)."""
        return self._signing_key.current()

    async def __aenter__(self) -> ExchangeClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for client in (*self._retired, self._http):
            await client.aclose()

    def _follow_crl(self) -> None:
        """Connect with the federation CRL installed now: a CRL installed while this client
        runs applies from the next message (connections in flight finish on the old one)."""
        if self._revocation is None or self._tls_files is None:
            return
        current = self._revocation.current()
        if current is not self._crl_in_use:
            self._retired.append(self._http)
            self._http = _http_client(client_ssl_context(self._tls_files))
            self._crl_in_use = current

    async def send(
        self, peer: PeerView, kind: str, body: Mapping[str, JsonValue], *, timeout: float
    ) -> Reply:
        """Send one message to ``peer`` and return its verified reply, within ``timeout`` s."""
        _check_sendable(peer, kind)
        envelope = new_envelope(self.identity.state, peer.state, kind, body, at=self.clock())
        return await self._deliver(peer, envelope, timeout=timeout, progress=Progress())

    async def _deliver(
        self, peer: PeerView, envelope: Envelope, *, timeout: float, progress: Progress
    ) -> Reply:
        """Post ``envelope`` (already checked sendable) and verify the reply."""
        kind = envelope.kind
        wire = sign_envelope(envelope, self.identity).to_wire()
        self._follow_crl()
        try:
            async with asyncio.timeout(timeout):
                status, data, tls_state = await self._post(peer, wire, timeout, progress)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise PeerTimeout(peer.state, f"no answer within {timeout:.3g} s") from exc
        except httpx.HTTPError as exc:
            raise PeerUnreachable(peer.state, f"{type(exc).__name__}: {exc}") from exc
        if tls_state is not None and tls_state != peer.state:
            raise PeerUnreachable(
                peer.state, f"the TLS server at {peer.url} is {tls_state}, not {peer.state}"
            )
        if status != 200:
            raise _refusal(peer.state, status, data)
        return self._verify_reply(peer, data, envelope.message_id, kind)

    async def _post(
        self, peer: PeerView, wire: bytes, timeout: float, progress: Progress
    ) -> tuple[int, bytes, str | None]:
        headers = {"content-type": CONTENT_TYPE, "accept": CONTENT_TYPE}
        request = self._http.build_request(
            "POST",
            peer.messages_url,
            content=wire,
            headers=headers,
            timeout=timeout,
            extensions={"trace": progress.trace},
        )
        response = await self._http.send(request, stream=True)
        try:
            tls_state = _server_state(response)
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_ENVELOPE_BYTES:
                    break
            return response.status_code, b"".join(chunks), tls_state
        finally:
            await response.aclose()

    def _verify_reply(self, peer: PeerView, data: bytes, sent_id: str, kind: str) -> Reply:
        try:
            reply = verify_envelope(
                data,
                recipient=self.identity.state,
                peers=PeerKeyRing(peer.keys),
                replay_guard=self._replies,
                now=self.clock(),
                max_skew=self.max_skew,
                transport_peer=peer.state,
                revoked_keys=self._revocation.revoked_key_ids() if self._revocation else (),
            )
        except ExchangeRefused as exc:
            raise BadReply(peer.state, exc.code, exc.reason) from exc
        body = reply.body
        if reply.kind != REPLY_KIND or body.get("in_reply_to") != sent_id:
            raise BadReply(peer.state, "malformed", f"is not a reply to message {sent_id}")
        result = body.get("result")
        if body.get("kind") != kind or not isinstance(result, dict):
            raise BadReply(peer.state, "malformed", f"does not answer a {kind} message")
        return Reply(peer.state, reply.message_id, sent_id, reply.sent_at, result)

    async def fan_out(
        self,
        kind: str,
        body: Mapping[str, JsonValue],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        """Send ``kind`` to every peer at once; each one's outcome within ``deadline`` seconds.

        Refuses (:class:`InvalidInput`) before sending anything when a peer is
        disabled or not asked ``kind`` by the agreement. Outcomes come in the
        order of ``peers``; a peer still silent at the deadline is ``timeout``
        and its request is abandoned.
        """
        bodies = {peer.state: body for peer in peers}
        return await self.send_each(kind, bodies, peers=peers, deadline=deadline)

    async def send_each(
        self,
        kind: str,
        bodies: Mapping[str, Mapping[str, JsonValue]],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        """:meth:`fan_out` with a body of its own for each peer (``bodies`` by state): a hub
        forwards each member its own sealed part."""
        if deadline <= 0:
            raise InvalidInput("deadline", f"must be positive, not {deadline}")
        targets = list({peer.state: peer for peer in peers}.values())
        for peer in targets:
            _check_sendable(peer, kind)
        started = time.monotonic()
        at = self.clock()
        envelopes = [
            new_envelope(self.identity.state, peer.state, kind, bodies[peer.state], at=at)
            for peer in targets
        ]
        progress = [Progress() for _ in targets]
        tasks = [
            asyncio.create_task(self._outcome(peer, envelope, deadline, started, step))
            for peer, envelope, step in zip(targets, envelopes, progress, strict=True)
        ]
        if tasks:
            await asyncio.wait(tasks, timeout=deadline)
        outcomes = []
        for peer, envelope, step, task in zip(targets, envelopes, progress, tasks, strict=True):
            if task.done() and not task.cancelled():
                outcomes.append(task.result())
                continue
            task.cancel()
            self._stragglers.add(task)
            task.add_done_callback(self._stragglers.discard)
            outcomes.append(
                PeerOutcome(
                    peer.state,
                    "timeout",
                    time.monotonic() - started,
                    detail=f"no answer within {deadline:.3g} s",
                    message_id=envelope.message_id,
                    sent=step.sent,
                )
            )
        return outcomes

    async def _outcome(
        self,
        peer: PeerView,
        envelope: Envelope,
        timeout: float,
        started: float,
        progress: Progress,
    ) -> PeerOutcome:
        def outcome(status: OutcomeStatus, **values: Any) -> PeerOutcome:
            elapsed = time.monotonic() - started
            return PeerOutcome(
                peer.state,
                status,
                elapsed,
                message_id=envelope.message_id,
                sent=progress.sent,
                **values,
            )

        try:
            reply = await self._deliver(peer, envelope, timeout=timeout, progress=progress)
        except PeerTimeout as exc:
            return outcome("timeout", detail=exc.reason)
        except PeerUnreachable as exc:
            return outcome("unreachable", detail=exc.reason)
        except PeerRefused as exc:
            return outcome("refused", code=exc.code, detail=exc.detail)
        except BadReply as exc:
            return outcome("invalid", code=exc.code, detail=exc.reason)
        return outcome("answered", reply=reply)


class BlockingExchangeClient:
    """:class:`ExchangeClient` for threads: its own event loop thread, calls that block."""

    def __init__(
        self,
        identity: NodeIdentity | SigningKey,
        tls: TlsFiles | ssl.SSLContext,
        *,
        clock: Callable[[], datetime] = utc_now,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
    ) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="passerelle-exchange", daemon=True
        )
        self._thread.start()

        async def make() -> ExchangeClient:
            return ExchangeClient(identity, tls, clock=clock, max_skew=max_skew)

        self._client = self._run(make(), timeout=30)

    def _run(self, coroutine: Coroutine[Any, Any, T], *, timeout: float) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def send(
        self, peer: PeerView, kind: str, body: Mapping[str, JsonValue], *, timeout: float
    ) -> Reply:
        """:meth:`ExchangeClient.send`, blocking this thread."""
        return self._run(self._client.send(peer, kind, body, timeout=timeout), timeout=timeout + 5)

    def fan_out(
        self,
        kind: str,
        body: Mapping[str, JsonValue],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        """:meth:`ExchangeClient.fan_out`, blocking this thread until the deadline at most."""
        coroutine = self._client.fan_out(kind, body, peers=peers, deadline=deadline)
        return self._run(coroutine, timeout=deadline + 5)

    def send_each(
        self,
        kind: str,
        bodies: Mapping[str, Mapping[str, JsonValue]],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]:
        """:meth:`ExchangeClient.send_each`, blocking this thread until the deadline at most."""
        coroutine = self._client.send_each(kind, bodies, peers=peers, deadline=deadline)
        return self._run(coroutine, timeout=deadline + 5)

    def close(self) -> None:
        """Close the connections and stop the loop thread."""
        if not self._thread.is_alive():
            return
        try:
            self._run(self._client.aclose(), timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()

    def __enter__(self) -> BlockingExchangeClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
