"""Partners' hit/no-hit queries as the transport delivers them: document, person, face,
fingerprint.

The transport (``federation.transport.server``) verifies a partner's message and calls the
handler registered for its kind with an ``inbound.InboundMessage``; the
handlers here read the peer, the message id, the body and the time received,
and answer with ``federation.queries.answers`` (matching and sharing rules there;
bodies, answers and score bands in ``federation.queries.bodies``; references and
the answer's audit in ``federation.queries.references``). A handler returns only
``{"result": "no_hit"}`` or ``{"result": "hit", "reference": …, "score_band": …}``,
padded to one size (``QueryAnswer.padded``: a ``pad`` of filler).

What a partner could learn from *how* a node answers, it is denied as far as
the store allows: every answer has the same size, and no answer leaves before
``PartnerServices.answer_floor_s`` after the handler started (the thread
sleeps out the rest). A no-hit that keeps a record back writes one more audit
record than a plain no-hit (``exchange.share_refused``), and a hit one
reference row: about a millisecond on SQLite, hidden under the floor
(``bench/federation_answer_timing.py`` measures it). An answer that takes
longer than the floor by itself (a large watchlist, a slow disk) is not
hidden beyond it. A fingerprint answer has a floor of its own,
``PartnerServices.fingerprint_floor_s`` (250 ms): its BOZORTH3 search outlasts
the common floor, and a mated print scores slower than a stranger's (on a
gallery of 201 fingers, 124 ms for a hit against 100 ms for a no-hit, p50,
before this floor).

:func:`query_handlers` offers the listener's table ``query.document``,
``query.person``, ``query.face``, ``query.identity`` (``federation.queries.identity``) and
``query.fingerprint``, bound to the
:class:`PartnerServices` the composition root built for the node (its watchlist
index, face and fingerprint galleries and alert-name index, kept between
queries; a test gives its own). A node built without fingerprint galleries
takes no ``query.fingerprint`` (``unknown_kind``).
"""

from __future__ import annotations

import functools
import time
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
from passerelle.federation.queries.fingerprint_answers import (
    FINGER_PARTNER_GALLERIES,
    FingerprintSearch,
    answer_fingerprint,
)
from passerelle.federation.queries.identity import answer_identity
from passerelle.federation.queries.references import ANSWER_ACTION
from passerelle.federation.sharing.legal_basis import PeerAgreement
from passerelle.lists.alert_names import AlertNames
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.node import Node

__all__ = [
    "ANSWER_ACTION",
    "ANSWER_FLOOR_S",
    "FINGERPRINT_FLOOR_S",
    "PARTNER_GALLERIES",
    "InboundQuery",
    "PartnerServices",
    "QueryHandler",
    "answer_document",
    "answer_document_query",
    "answer_face",
    "answer_face_query",
    "answer_fingerprint_query",
    "answer_identity_query",
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

ANSWER_FLOOR_S = 0.05
"""No partner's answer leaves before this many seconds after its handler started, unless
the node says otherwise (``PASSERELLE_FEDERATION_ANSWER_FLOOR_MS``)."""
FINGERPRINT_FLOOR_S = 0.25
"""No fingerprint answer leaves before this many seconds, unless the node says otherwise
(``PASSERELLE_FEDERATION_FINGERPRINT_FLOOR_MS``)."""


@dataclass(frozen=True, slots=True)
class PartnerServices:
    """The engines a node answers partners with: watchlist screening and face galleries."""

    screener: NameScreener
    galleries: GalleryOpener
    gallery_names: tuple[str, ...] = PARTNER_GALLERIES
    name_threshold: float = DEFAULT_THRESHOLD
    alert_names: AlertNames = field(default_factory=AlertNames)
    """The live person alerts' name index, kept between queries."""
    answer_floor_s: float = ANSWER_FLOOR_S
    """The least time an answer takes (hit, no-hit or kept back alike); 0 for none."""
    fingers: FingerprintSearch | None = None
    """The fingerprint galleries (None: this node answers no fingerprint queries)."""
    finger_gallery_names: tuple[str, ...] = FINGER_PARTNER_GALLERIES
    fingerprint_floor_s: float = FINGERPRINT_FLOOR_S
    """The least time a fingerprint answer takes (the common floor when that is longer)."""


def _sleep_out(started: float, floor_s: float) -> None:
    """Sleep until ``floor_s`` after ``started`` (``time.perf_counter``) if not past it."""
    left = started + floor_s - time.perf_counter()
    if left > 0:
        time.sleep(left)


def answer_document_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.document``: the answer's body, padded, not before the floor."""
    started, envelope = time.perf_counter(), message.envelope
    answer = answer_document(
        message.node, message.peer, envelope.message_id, envelope.body, now=message.received_at
    )
    _sleep_out(started, services.answer_floor_s)
    return answer.padded()


def answer_person_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.person``: the answer's body, padded, not before the floor."""
    started, envelope = time.perf_counter(), message.envelope
    answer = answer_person(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        screener=services.screener,
        threshold=services.name_threshold,
        alert_names=services.alert_names,
    )
    _sleep_out(started, services.answer_floor_s)
    return answer.padded()


def answer_face_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.face``: the answer's body, padded, not before the floor."""
    started, envelope = time.perf_counter(), message.envelope
    answer = answer_face(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        galleries=services.galleries,
        gallery_names=services.gallery_names,
    )
    _sleep_out(started, services.answer_floor_s)
    return answer.padded()


def answer_identity_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.identity``: the answer's body, padded, not before the floor."""
    started, envelope = time.perf_counter(), message.envelope
    answer = answer_identity(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        screener=services.screener,
        galleries=services.galleries,
        gallery_names=services.gallery_names,
        threshold=services.name_threshold,
        alert_names=services.alert_names,
    )
    _sleep_out(started, services.answer_floor_s)
    return answer.padded()


def answer_fingerprint_query(message: InboundQuery, services: PartnerServices) -> JsonObject:
    """``query.fingerprint``: the answer's body, padded, not before the floor."""
    started, envelope = time.perf_counter(), message.envelope
    assert services.fingers is not None, "registered only with fingerprint galleries"
    answer = answer_fingerprint(
        message.node,
        message.peer,
        envelope.message_id,
        envelope.body,
        now=message.received_at,
        search=services.fingers,
        gallery_names=services.finger_gallery_names,
    )
    _sleep_out(started, max(services.answer_floor_s, services.fingerprint_floor_s))
    return answer.padded()


def query_handlers(services: PartnerServices) -> dict[str, QueryHandler]:
    """The listener's query handlers, by kind, answering with ``services``."""
    handlers: dict[str, QueryHandler] = {
        "query.document": functools.partial(answer_document_query, services=services),
        "query.person": functools.partial(answer_person_query, services=services),
        "query.face": functools.partial(answer_face_query, services=services),
        "query.identity": functools.partial(answer_identity_query, services=services),
    }
    if services.fingers is not None:
        handlers["query.fingerprint"] = functools.partial(
            answer_fingerprint_query, services=services
        )
    return handlers
