"""What a partner's verified message becomes on this node: the handler table.

The federation listener (``server``) verifies a message (mutual TLS, signature,
recipient, skew, replay, agreement), then calls the handler its table holds for
the message's kind with an :class:`InboundMessage` and signs what the handler
returns as the reply. Each feature offers its handlers as a mapping (for example
``federation.queries.handlers.query_handlers(services)``), and the node's
composition root (``passerelle.wiring.federation_handlers``) joins them with
:func:`handler_table`, which refuses a kind twice or a kind without a dot::

    def answer_document_query(message: InboundMessage) -> dict[str, Any]:
        ...
        return {"outcome": "no_hit"}

    table = handler_table({"query.document": answer_document_query}, other_feature)

A handler runs in a worker thread and opens its own transactions
(``message.node.database.write()``), audits what it does (actor
:func:`peer_actor`), and returns a plain JSON object. To refuse, it raises
:class:`NotAllowed` (the agreement does not cover the request, 403; one of its
``outside_agreement:*`` subclasses says which term), another
:class:`~passerelle.federation.protocol.errors.ExchangeRefused`, or
:class:`~passerelle.exc.InvalidInput` (a bad body, 422 ``invalid``); the
listener answers and audits the refusal. ``query.<kind>`` messages reach the
handler only if the partner's ``inbound_kinds`` holds ``<kind>``.

Replies have the kind :data:`REPLY_KIND` and the body
``{"in_reply_to": <request id>, "kind": <request kind>, "result": {...}}``
(an envelope kind needs a dot, hence not ``reply``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from passerelle.federation.peers.values import PeerView
from passerelle.federation.protocol.envelope import Envelope
from passerelle.federation.protocol.errors import ExchangeRefused
from passerelle.node import Node
from passerelle.store.audit import Actor

__all__ = [
    "AGREEMENT_REFUSALS",
    "REPLY_KIND",
    "CategoryOutsideAgreement",
    "Handler",
    "HandlerTable",
    "InboundMessage",
    "KindOutsideAgreement",
    "NamespaceOutsideAgreement",
    "NotAllowed",
    "UnknownKind",
    "handler_table",
    "peer_actor",
]

REPLY_KIND = "exchange.reply"


class NotAllowed(ExchangeRefused):
    """The partner's agreement does not cover this kind of message (HTTP 403)."""

    code = "not_allowed"


class KindOutsideAgreement(NotAllowed):
    """A ``query.<kind>`` the partner's ``inbound_kinds`` do not hold."""

    code = "outside_agreement:kind"


class CategoryOutsideAgreement(NotAllowed):
    """An alert of a category the partner's ``alert_categories`` do not hold."""

    code = "outside_agreement:category"


class NamespaceOutsideAgreement(NotAllowed):
    """An alert id in another state's namespace than the issuing partner's (this node's own,
    or a third state's): ``federation.alerts.agreement``."""

    code = "outside_agreement:namespace"


AGREEMENT_REFUSALS = frozenset(
    cls.code for cls in (KindOutsideAgreement, CategoryOutsideAgreement, NamespaceOutsideAgreement)
)
"""The codes of messages the agreement does not cover (HTTP 403; never retried)."""


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

HandlerTable = Mapping[str, Handler]
"""The handlers a listener serves, by message kind (read-only once built)."""


def handler_table(*groups: Mapping[str, Handler]) -> HandlerTable:
    """One read-only table of the ``groups``' handlers; a kind given twice, a kind
    without a dot, or the reply kind is a start-up error that names it.

    >>> table = handler_table({"alert.issue": print}, {"query.face": print})
    >>> sorted(table)
    ['alert.issue', 'query.face']
    >>> handler_table({"alert.issue": print}, {"alert.issue": repr})
    Traceback (most recent call last):
    ...
    ValueError: 'alert.issue' is given two handlers (print, repr)
    """
    table: dict[str, Handler] = {}
    for group in groups:
        for kind, handler in group.items():
            if kind == REPLY_KIND or "." not in kind:
                raise ValueError(
                    f"{kind!r} cannot be handled: give a dotted kind such as 'alert.issue'"
                )
            held = table.get(kind)
            if held is not None and held is not handler:
                raise ValueError(
                    f"{kind!r} is given two handlers ({_named(held)}, {_named(handler)})"
                )
            table[kind] = handler
    return MappingProxyType(table)


def _named(handler: Handler) -> str:
    """A handler's name for an error message (a ``functools.partial`` names its function)."""
    target = getattr(handler, "func", handler)
    return str(getattr(target, "__qualname__", repr(target)))


def peer_actor(state: str) -> Actor:
    """The audit actor for a partner node (``peer:MAR``)."""
    return Actor(name=f"peer:{state}", kind="peer", role="partner")
