"""What a partner's verified message becomes on this node: the handler registry.

The federation listener (``server``) verifies a message (mutual TLS, signature,
recipient, skew, replay, agreement), then calls the handler registered for its
kind with an :class:`InboundMessage` and signs what the handler returns as the
reply. Feature modules register their handlers when imported::

    from passerelle.federation.transport.inbound import InboundMessage, register

    def answer_document_query(message: InboundMessage) -> dict[str, Any]:
        ...
        return {"outcome": "no_hit"}

    register("query.document", answer_document_query)

A handler runs in a worker thread and opens its own transactions
(``message.node.database.write()``), audits what it does (actor
:func:`peer_actor`), and returns a plain JSON object. To refuse, it raises
:class:`NotAllowed` (the agreement does not cover the request, 403), another
:class:`~passerelle.federation.protocol.errors.ExchangeRefused`, or
:class:`~passerelle.exc.InvalidInput` (a bad body, 422 ``invalid``); the
listener answers and audits the refusal. ``query.<kind>`` messages reach the
handler only if the partner's ``inbound_kinds`` holds ``<kind>``.

Replies have the kind :data:`REPLY_KIND` and the body
``{"in_reply_to": <request id>, "kind": <request kind>, "result": {...}}``
(an envelope kind needs a dot, hence not ``reply``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import Envelope
from passerelle.federation.protocol.errors import ExchangeRefused
from passerelle.node import Node
from passerelle.store.audit import Actor

__all__ = [
    "HANDLERS",
    "HANDLER_MODULES",
    "REPLY_KIND",
    "Handler",
    "InboundMessage",
    "NotAllowed",
    "UnknownKind",
    "load_handlers",
    "peer_actor",
    "register",
]

REPLY_KIND = "exchange.reply"

HANDLER_MODULES = (
    "passerelle.federation.queries.handlers",
    "passerelle.federation.sharing.legal_basis",
    "passerelle.federation.alerts.outgoing",
    "passerelle.federation.alerts.incoming",
    "passerelle.federation.followups.handlers",
)
"""The modules that register handlers; :func:`load_handlers` imports those present."""


class NotAllowed(ExchangeRefused):
    """The partner's agreement does not cover this kind of message (HTTP 403)."""

    code = "not_allowed"


class UnknownKind(ExchangeRefused):
    """No handler on this node takes this kind of message (HTTP 404)."""

    code = "unknown_kind"


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A verified message from a registered, enabled partner, as a handler receives it."""

    node: Node
    peer: PeerView
    envelope: Envelope
    received_at: datetime


Handler = Callable[[InboundMessage], dict[str, Any]]
"""Answers one kind of message; what it returns is the signed reply's ``result``."""

HANDLERS: dict[str, Handler] = {}
"""The handlers this node serves, by message kind."""


def register(kind: str, handler: Handler, *, replace: bool = False) -> Handler:
    """Serve ``kind`` with ``handler``; a second, different handler needs ``replace=True``.

    Returns the handler, so it reads as a decorator too:
    ``register("alert.issue", receive_alert)``.
    """
    if kind == REPLY_KIND or "." not in kind:
        raise ValueError(f"{kind!r} cannot be handled: give a dotted kind such as 'alert.issue'")
    held = HANDLERS.get(kind)
    if held is not None and held is not handler and not replace:
        raise ValueError(f"{kind!r} already has a handler ({held.__qualname__})")
    HANDLERS[kind] = handler
    return handler


def load_handlers(modules: Iterable[str] = HANDLER_MODULES) -> dict[str, Handler]:
    """Import the modules that register handlers (those that exist); the registry after."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return dict(HANDLERS)


def peer_actor(state: str) -> Actor:
    """The audit actor for a partner node (``peer:MAR``)."""
    return Actor(name=f"peer:{state}", kind="peer", role="partner")
