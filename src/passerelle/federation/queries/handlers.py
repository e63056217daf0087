"""Partners' hit/no-hit queries as the transport delivers them: document, person, face.

The transport (``federation.transport.server``) verifies a partner's message and calls the
handler registered for its kind with an ``inbound.InboundMessage``; the
handlers here read the peer, the message id, the body and the time received,
and answer with ``federation.queries.answers`` (matching and sharing rules there;
bodies, answers and score bands in ``federation.queries.bodies``; references and
the answer's audit in ``federation.queries.references``). A handler returns only
``{"result": "no_hit"}`` or ``{"result": "hit", "reference": …, "score_band": …}``.

``answer_document_query``, ``answer_person_query`` and ``answer_face_query`` are
registered under ``query.document``, ``query.person`` and ``query.face`` when
this module is imported (``inbound.load_handlers``);
:func:`register_query_handlers` registers them with another ``register``. The
person and face handlers use the node's :class:`PartnerServices`: those set by
:func:`use_partner_services` (the app's watchlist index and galleries, or a
test's), else the node's own, built on first use.
"""

from __future__ import annotations

import threading
import weakref
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
from passerelle.federation.transport import inbound
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.node import Node
from passerelle.screening.alert_names import AlertNames

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
    "partner_services",
    "register_query_handlers",
    "use_partner_services",
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


_SERVICES: dict[int, tuple[weakref.ref[Node], PartnerServices]] = {}
_SERVICES_LOCK = threading.Lock()


def _keep(node: Node, services: PartnerServices) -> None:
    """Hold ``services`` for ``node`` (the caller holds the lock); forget closed nodes'."""
    for key in [key for key, (ref, _) in _SERVICES.items() if ref() is None]:
        del _SERVICES[key]
    _SERVICES[id(node)] = (weakref.ref(node), services)


def use_partner_services(node: Node, services: PartnerServices) -> None:
    """Answer ``node``'s partners with ``services`` (the app's shared ones, or a test's)."""
    with _SERVICES_LOCK:
        _keep(node, services)


def partner_services(node: Node) -> PartnerServices:
    """The services set for ``node``; on first use, its own: a ``StoreWatchlist`` (rebuilt
    when five minutes old) and its face galleries at the node's threshold."""
    with _SERVICES_LOCK:
        held = _SERVICES.get(id(node))
        if held is not None and held[0]() is node:
            return held[1]
        from passerelle.biometrics.enrolment import FaceGalleries
        from passerelle.biometrics.face import MATCH_THRESHOLD
        from passerelle.screening.watchlist_index import StoreWatchlist

        threshold = node.settings.face_match_threshold or MATCH_THRESHOLD
        galleries = FaceGalleries(
            node.database,
            node.template_vault(),
            node.settings.home / "galleries",
            threshold=threshold,
        )
        services = PartnerServices(StoreWatchlist(node), galleries)
        _keep(node, services)
        return services


def answer_document_query(message: InboundQuery) -> JsonObject:
    """``query.document``: the answer's body."""
    envelope = message.envelope
    return answer_document(
        message.node, message.peer, envelope.message_id, envelope.body, now=message.received_at
    ).as_json()


def answer_person_query(message: InboundQuery) -> JsonObject:
    """``query.person``: the answer's body."""
    services, envelope = partner_services(message.node), message.envelope
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


def answer_face_query(message: InboundQuery) -> JsonObject:
    """``query.face``: the answer's body."""
    services, envelope = partner_services(message.node), message.envelope
    return answer_face(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        galleries=services.galleries,
        gallery_names=services.gallery_names,
    ).as_json()


def register_query_handlers(register: Callable[[str, QueryHandler], object]) -> None:
    """Register the three query handlers with a transport's ``register(kind, handler)``."""
    register("query.document", answer_document_query)
    register("query.person", answer_person_query)
    register("query.face", answer_face_query)


register_query_handlers(inbound.register)
