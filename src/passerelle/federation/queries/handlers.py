"""Partners' hit/no-hit queries as the transport delivers them: document, person, face.

The transport (``federation.transport.server``) verifies a partner's message and calls the
handler registered for its kind with an ``inbound.InboundMessage``; the
handlers here read the peer, the message id, the body and the time received,
and answer with ``federation.queries.answers`` (matching and sharing rules there;
bodies, answers and score bands in ``federation.queries.bodies``; references and
the answer's audit in ``federation.queries.references``). A handler returns only
``{"result": "no_hit"}`` or ``{"result": "hit", "reference": …, "score_band": …}``.

:func:`query_handlers` offers the listener's table ``query.document``,
``query.person`` and ``query.face``, bound to the :class:`PartnerServices` the
composition root built for the node (its watchlist index, face galleries and
alert-name index, kept between queries; a test gives its own).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from passerelle.federation.protocol.envelope import Envelope, JsonObject
from passerelle.federation.queries.answers import (
    PARTNER_GALLERIES,
    GalleryOpener,
    NameScreener,
    answer_document,
    answer_face,
    answer_person,
)
from passerelle.federation.queries.references import ANSWER_ACTION
from passerelle.federation.sharing.legal_basis import PeerAgreement
from passerelle.lists.alert_names import AlertNames
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.node import Node

__all__ = [
    "ANSWER_ACTION",
    "PARTNER_GALLERIES",
    "InboundQuery",
    "PartnerServices",
    "QueryHandler",
    "answer_document",
    "answer_document_query",
    "answer_face",
    "answer_face_query",
    "answer_person",
    "answer_person_query",
    "query_handlers",
]


# -- the transport's handlers --------------------------------------------------------------


class InboundQuery(Protocol):
    """What a handler reads of the transport's verified message (``inbound.InboundMessage``)."""

    @property
    def node(self) -> Node: ...
    @property
    def peer(self) -> PeerAgreement: ...
    @property
    def envelope(self) -> Envelope: ...
    @property
    def received_at(self) -> datetime: ...


QueryHandler = Callable[[InboundQuery], JsonObject]


@dataclass(frozen=True, slots=True)
class PartnerServices:
    """The engines a node answers partners with: watchlist screening and face galleries."""

    screener: NameScreener
    galleries: GalleryOpener
    gallery_names: tuple[str, ...] = PARTNER_GALLERIES
    name_threshold: float = DEFAULT_THRESHOLD
    alert_names: AlertNames = field(default_factory=AlertNames)
    """The live person alerts' name index, kept between queries."""


def answer_document_query(message: InboundQuery) -> JsonObject:
    """``query.document``: the answer's body."""
    envelope = message.envelope
    return answer_document(
        message.node, message.peer, envelope.message_id, envelope.body, now=message.received_at
    ).as_json()


def answer_person_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.person``: the answer's body."""
    envelope = message.envelope
    return answer_person(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        screener=services.screener,
        threshold=services.name_threshold,
        alert_names=services.alert_names,
    ).as_json()


def answer_face_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.face``: the answer's body."""
    envelope = message.envelope
    return answer_face(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        galleries=services.galleries,
        gallery_names=services.gallery_names,
    ).as_json()


def query_handlers(services: PartnerServices) -> dict[str, QueryHandler]:
    """The listener's query handlers, by kind, answering with ``services``."""
    return {
        "query.document": answer_document_query,
        "query.person": functools.partial(answer_person_query, services=services),
        "query.face": functools.partial(answer_face_query, services=services),
    }
