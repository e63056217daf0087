"""Asking partners from a border inspection: the questions, one deadline, the answers in short.

The inspection (``screening.federation``) asks every enabled partner whose
agreement lists the query kind in ``outbound_kinds`` the questions the
document allows, all at once, and waits at most one deadline::

    document  {"issuing_state", "document_number", "purpose"}
    person    {"names": [MRZ form, "GIVEN SURNAME"], "birth_date", "nationality"?,
               "sex"?, "purpose"}
    face      {"model", "model_version", "template": base64 float32, "purpose"}
              (a template of the live photo, never the image)
    fingerprint {"fingers": [{"position", "template": base64 ISO/IEC 19794-2,
              "extractor", "extractor_version"}], "purpose"}
              (minutiae of the live capture, never the image)

Each partner's part of each question comes back as one :class:`PartnerAnswer`:
``hit`` (with the partner's opaque reference and score band), ``no_hit``, or
why there is no answer (``timeout``, ``unreachable``, ``refused``,
``invalid``), with the id of the message that asked and whether it left.
Every query to every partner is audited on the asking node
(``exchange.query.ask``, ``federation.queries.outbound_audit``): who asked
(``AskedFor``), why, what was sent, to whom, and the answer.

Nothing here raises for a partner: a fan-out that fails as a whole (the
client's loop stuck, a bug) answers ``timeout`` or ``invalid`` for every
partner it was meant for.

:class:`ExchangeAsker` is the node's implementation over the partner
registry (``peers.PeerDirectory``) and the transport's blocking client
(``transport.BlockingExchangeClient``); the inspector sees only the
:class:`PartnerAsker` port, so tests can give their own.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal, Protocol

import numpy as np

from passerelle.biometrics.fingerprint import FingerprintTemplate
from passerelle.biometrics.templates import FaceTemplate
from passerelle.federation.peers.directory import PeerDirectory, PeerView
from passerelle.federation.protocol.envelope import JsonValue
from passerelle.federation.queries.outbound_audit import AskedFor, SentQuery, record_sent
from passerelle.federation.transport.client import PeerOutcome
from passerelle.node import Node, utc_now

__all__ = [
    "AnswerStatus",
    "AskedFor",
    "ExchangeAsker",
    "FanOut",
    "HubRoute",
    "PartnerAnswer",
    "PartnerAsker",
    "PartnerQuestion",
    "QueryKind",
    "answers_of",
    "document_question",
    "face_question",
    "fingerprint_question",
    "person_question",
]

log = logging.getLogger("passerelle.federation")

QueryKind = Literal["document", "person", "face", "fingerprint", "identity"]
AnswerStatus = Literal["hit", "no_hit", "timeout", "unreachable", "refused", "invalid"]
_BANDS = frozenset({"high", "medium", "low"})
_REFERENCE = re.compile(r"[A-Za-z0-9:_-]{1,48}")
_MAX_PURPOSE = 500


@dataclass(frozen=True, slots=True)
class PartnerQuestion:
    """One query to send to every partner asked its kind."""

    kind: QueryKind
    body: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PartnerAnswer:
    """One partner's answer to one question (or why there is none)."""

    peer: str
    kind: str
    status: AnswerStatus
    reference: str | None = None
    score_band: str | None = None
    detail: str | None = None
    message_id: str | None = None
    """The id of the message that asked (None when the fan-out never reported)."""
    sent: bool | None = None
    """Whether the query left (``transport.client.PeerOutcome.sent``)."""
    via: str | None = None
    """The hub the query went through; None when sent directly."""

    @property
    def answered(self) -> bool:
        """Whether the partner answered the question (``hit`` or ``no_hit``)."""
        return self.status in ("hit", "no_hit")


class PartnerAsker(Protocol):
    """Asks the partners the questions, all within one deadline (:class:`ExchangeAsker`)."""

    def ask(
        self,
        questions: Sequence[PartnerQuestion],
        *,
        deadline: float,
        asked_for: AskedFor | None = None,
    ) -> list[PartnerAnswer]:
        """Every asked partner's answer to every question, by ``deadline`` s (plus a margin);
        each query sent audited on behalf of ``asked_for`` (``outbound_audit``)."""
        ...


class FanOut(Protocol):
    """The transport's blocking fan-out (``transport.BlockingExchangeClient``)."""

    def fan_out(
        self,
        kind: str,
        body: Mapping[str, JsonValue],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]: ...


def _purpose(purpose: str) -> str:
    return " ".join(purpose.split())[:_MAX_PURPOSE] or "border control"


def document_question(issuing_state: str, document_number: str, *, purpose: str) -> PartnerQuestion:
    """The ``query.document`` question for a document (issuing state and number as read).

    >>> document_question("MAR", "AB1234567", purpose="border control").body["document_number"]
    'AB1234567'
    """
    return PartnerQuestion(
        "document",
        {
            "issuing_state": issuing_state,
            "document_number": document_number,
            "purpose": _purpose(purpose),
        },
    )


def person_question(
    names: Sequence[str],
    birth_date: str,
    *,
    nationality: str | None,
    sex: str | None,
    purpose: str,
) -> PartnerQuestion:
    """The ``query.person`` question: 1 to 10 names in any script (or MRZ form), a birth date
    (``YYYY-MM-DD``), and the nationality and sex when known."""
    distinct: list[JsonValue] = []
    for name in dict.fromkeys(names):
        if name.strip() and len(distinct) < 10:
            distinct.append(name)
    body: dict[str, JsonValue] = {
        "names": distinct,
        "birth_date": birth_date,
        "purpose": _purpose(purpose),
    }
    if nationality:
        body["nationality"] = nationality
    if sex in ("M", "F", "X"):
        body["sex"] = sex
    return PartnerQuestion("person", body)


def face_question(template: FaceTemplate, *, purpose: str) -> PartnerQuestion:
    """The ``query.face`` question: the template (little-endian float32, base64), never an
    image, tagged with its model and version."""
    raw = np.asarray(template.vector, dtype="<f4").tobytes()
    return PartnerQuestion(
        "face",
        {
            "model": template.model,
            "model_version": template.model_version,
            "template": base64.b64encode(raw).decode("ascii"),
            "purpose": _purpose(purpose),
        },
    )


def fingerprint_question(
    fingers: Sequence[tuple[int, FingerprintTemplate]], *, purpose: str
) -> PartnerQuestion:
    """The ``query.fingerprint`` question: each finger's position and ISO/IEC 19794-2 record
    (base64), tagged with its extractor; never an image."""
    sent: list[JsonValue] = [
        {
            "position": position,
            "template": base64.b64encode(template.to_iso()).decode("ascii"),
            "extractor": template.extractor,
            "extractor_version": template.extractor_version,
        }
        for position, template in fingers
    ]
    return PartnerQuestion("fingerprint", {"fingers": sent, "purpose": _purpose(purpose)})


def answers_of(kind: str, outcomes: Sequence[PeerOutcome]) -> list[PartnerAnswer]:
    """The transport's outcomes for one question as answers (a malformed answer: ``invalid``)."""
    return [
        replace(
            _answer_of(kind, outcome),
            message_id=outcome.message_id,
            sent=outcome.sent,
            via=outcome.via,
        )
        for outcome in outcomes
    ]


def _answer_of(kind: str, outcome: PeerOutcome) -> PartnerAnswer:
    if outcome.status != "answered":
        detail = ": ".join(part for part in (outcome.code, outcome.detail) if part)
        return PartnerAnswer(outcome.peer, kind, outcome.status, detail=detail or None)
    body = outcome.body or {}
    result, reference, band = body.get("result"), body.get("reference"), body.get("score_band")
    if result == "no_hit":
        return PartnerAnswer(outcome.peer, kind, "no_hit")
    if (
        result == "hit"
        and isinstance(reference, str)
        and _REFERENCE.fullmatch(reference)
        and band in _BANDS
    ):
        return PartnerAnswer(outcome.peer, kind, "hit", reference, str(band))
    why = "the answer is neither hit nor no_hit"
    return PartnerAnswer(outcome.peer, kind, "invalid", detail=why)


class HubRoute(Protocol):
    """Asks partners through a hub (``federation.hub.asking.HubFanOut``)."""

    def fan_out(
        self,
        hub: PeerView,
        kind: str,
        body: Mapping[str, JsonValue],
        *,
        peers: Sequence[PeerView],
        deadline: float,
    ) -> list[PeerOutcome]: ...


class ExchangeAsker:
    """:class:`PartnerAsker` over the partner registry and the transport's fan-out.

    A partner registered with a route through a hub (``PeerView.via``) is asked through
    ``hub`` (one request to the hub for all the partners it routes, sealed parts), the
    others directly, all at once and within the same deadline; the answers and the
    audit records are the same either way, the records adding ``route``/``hub``.

    Every question goes to the enabled partners whose agreement lists its kind
    in ``outbound_kinds``; the questions run at once (one thread each), each
    fan-out with the same deadline. A fan-out that has not come back ``margin``
    seconds after the deadline counts as ``timeout`` for its partners. Every
    query to every partner is audited in ``node``'s trail once the answers are
    in, answered or not (``outbound_audit``).
    """

    def __init__(
        self,
        client: FanOut,
        directory: PeerDirectory,
        *,
        node: Node,
        margin: float = 0.5,
        hub: HubRoute | None = None,
    ) -> None:
        self.client = client
        self.directory = directory
        self.node = node
        self.margin = margin
        self.hub = hub

    def ask(
        self,
        questions: Sequence[PartnerQuestion],
        *,
        deadline: float,
        asked_for: AskedFor | None = None,
    ) -> list[PartnerAnswer]:
        """Every asked partner's answer to every question (none when no partner is asked)."""
        partners = self.directory.list(enabled_only=True)
        hubs = {p.state: p for p in partners if p.relays}
        jobs: list[tuple[PartnerQuestion, list[PeerView], Callable[[], list[PeerOutcome]]]] = []
        for question in questions:
            asked = [p for p in partners if p.is_asked(question.kind) and not p.relays]
            for via in dict.fromkeys(p.via for p in asked):
                group = [p for p in asked if p.via == via]
                run = self._runner(question, group, via, hubs, deadline)
                jobs.append((question, group, run))
        if not jobs:
            return []
        pool = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="federation")
        try:
            futures: list[Future[list[PeerOutcome]]] = [pool.submit(run) for _, _, run in jobs]
            wait(futures, timeout=deadline + self.margin)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        answers: list[PartnerAnswer] = []
        sent: list[SentQuery] = []
        for (question, peers, _), future in zip(jobs, futures, strict=True):
            collected = _collect(question.kind, peers, future, deadline)
            answers.extend(collected)
            sent.extend(_sent(question, answer) for answer in collected)
        record_sent(self.node, sent, asked_for=asked_for, at=utc_now())
        return answers

    def _runner(
        self,
        question: PartnerQuestion,
        peers: list[PeerView],
        via: str | None,
        hubs: Mapping[str, PeerView],
        deadline: float,
    ) -> Callable[[], list[PeerOutcome]]:
        """The fan-out of ``question`` to ``peers``: directly, or through the hub ``via``."""
        kind = f"query.{question.kind}"
        if via is None:
            return partial(self.client.fan_out, kind, question.body, peers=peers, deadline=deadline)
        hub, route = hubs.get(via), self.hub
        if hub is None or route is None:
            why = f"the hub {via} is not an enabled hub here"
            return lambda: [
                PeerOutcome(p.state, "unreachable", 0.0, detail=why, via=via) for p in peers
            ]
        return partial(route.fan_out, hub, kind, question.body, peers=peers, deadline=deadline)


def _sent(question: PartnerQuestion, answer: PartnerAnswer) -> SentQuery:
    return SentQuery(
        peer=answer.peer,
        kind=question.kind,
        body=question.body,
        status=answer.status,
        message_id=answer.message_id,
        sent=answer.sent,
        reference=answer.reference,
        score_band=answer.score_band,
        detail=answer.detail,
        via=answer.via,
    )


def _collect(
    kind: str, peers: Sequence[PeerView], future: Future[list[PeerOutcome]], deadline: float
) -> list[PartnerAnswer]:
    """One fan-out's answers; a late or failed fan-out speaks for each of its partners."""
    if not future.done():
        future.cancel()
        why = f"no answer within {deadline:.3g} s"
        return [PartnerAnswer(p.state, kind, "timeout", detail=why, via=p.via) for p in peers]
    error = future.exception()
    if error is not None:
        log.warning(
            "federation.fan_out_failed", extra={"kind": kind, "error": type(error).__name__}
        )
        why = f"the query could not be sent ({type(error).__name__})"
        return [PartnerAnswer(p.state, kind, "invalid", detail=why, via=p.via) for p in peers]
    return answers_of(kind, future.result())
