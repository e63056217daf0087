"""How the owning node answers partners' hit/no-hit queries: document, person and face
(fingerprints: ``federation.queries.fingerprint_answers``).

A partner asks; this node matches against its own records, keeps from it
whatever the sharing rules (``federation.sharing.legal_basis``) do not allow, and answers
``{"result": "hit", "reference": …, "score_band": …}`` for the best record it
may disclose, or ``{"result": "no_hit"}`` (bodies, answers and bands:
``federation.queries.bodies``). Nothing else leaves: no name, no category, no count.
The functions here take plain values (the node, the peer, the message id, the
body, the time) and the matching engines; ``federation.queries.handlers`` adapts them to
the transport.

What is matched
---------------
``document``
    the stolen/lost registry (``SltdRegistry.lookup``: the number as issued, or
    the same once O is read as 0 and I as 1; a record agreeing only on the
    first nine characters of a longer number is not a hit) and document alerts
    in force that day (``AlertRegistry.find_by_document``). Always ``high``.
``person``
    the node's name-screening engine (``passerelle.names``, Arabic script and
    Latin spellings, birth date as evidence: a namesake born another year
    never reaches the threshold) over the active watchlist, and the same
    engine over the person alerts in force (their names and birth date,
    indexed per query). Each of the query's names is screened; a record's best
    score counts. Hits are scores at or above the name threshold (0.7).
``face``
    the shared galleries (``alerts`` and ``wanted`` unless the node says
    otherwise, or the one the body names), at each gallery's own decision
    threshold. A face filed under an alert (in force) or an active watchlist
    person is judged by that record's sharing rules; any other identity is
    never disclosed.

Every match the sharing rules keep from the peer is audited
(``exchange.share_refused``, with the refusal's code and reason). Every answer
is audited (``exchange.query.answer``; actor: the peer; purpose: the body's
when given) with what was asked, as a local search of the same kind would be
(the document's number; the names and birth date; the template's SHA-256,
never the template), the result and, on a hit, the reference and the record
it stands for. The refusals, the reference and the answer's record are
written in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
from passerelle.biometrics.gallery import FaceGallery
from passerelle.exc import InvalidInput
from passerelle.federation.protocol.envelope import JsonObject
from passerelle.federation.queries.bodies import (
    DocumentQuery,
    FaceQuery,
    PersonQuery,
    QueryAnswer,
    ScoreBand,
    face_band,
    name_band,
    parse_document_query,
    parse_face_query,
    parse_person_query,
)
from passerelle.federation.queries.references import Match, record_answer
from passerelle.federation.sharing.legal_basis import (
    PeerAgreement,
    may_disclose_alert,
    may_disclose_sltd,
    may_disclose_watchlist_person,
    not_own_record,
)
from passerelle.federation.transport import inbound
from passerelle.lists.alert_names import AlertNames
from passerelle.names import DEFAULT_THRESHOLD, NameMatch, NameQuery
from passerelle.node import Node
from passerelle.records.alerts import AlertView, UnknownAlert
from passerelle.store.alerts import AlertRegistry
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistPersonView, WatchlistRegistry

__all__ = [
    "PARTNER_GALLERIES",
    "Asking",
    "GalleryOpener",
    "NameScreener",
    "answer_document",
    "answer_face",
    "answer_person",
    "face_candidates",
    "face_hits",
    "person_candidates",
    "record_behind",
]

PARTNER_GALLERIES = ("alerts", "wanted")
"""The face galleries a partner's face query is searched in, unless the node says others."""
_SCREEN_TOP = 20
_FACE_TOP = 5


class NameScreener(Protocol):
    """Name screening over the watchlist (``StoreWatchlist`` or a ``ScreeningIndex``)."""

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        """The persons ``query`` may be, best first: at most ``top``, scores ≥ ``threshold``."""
        ...


class GalleryOpener(Protocol):
    """The node's face galleries by name (``biometrics.enrolment.FaceGalleries``)."""

    def open(self, gallery: str) -> FaceGallery:
        """The gallery's index, current with the store."""
        ...


@dataclass(frozen=True, slots=True)
class Asking:
    """One partner query being answered: whose, which and when (refused at once when the
    agreement does not cover its kind)."""

    node: Node
    peer: PeerAgreement
    kind: str
    message_id: str
    now: datetime

    def __post_init__(self) -> None:
        if self.kind not in self.peer.agreement.inbound_kinds:
            raise inbound.KindOutsideAgreement(
                f"the agreement with {self.peer.state} does not cover {self.kind} queries",
                sender=self.peer.state,
                message_id=self.message_id,
            )

    def answer(
        self, session: Session, purpose: str | None, asked: JsonObject, matches: Iterable[Match]
    ) -> QueryAnswer:
        """Audit and reference the answer (``references.record_answer``)."""
        return record_answer(
            session,
            self.node.audit,
            node_state=self.node.state,
            peer=self.peer,
            kind=self.kind,
            message_id=self.message_id,
            purpose=purpose,
            asked=asked,
            matches=matches,
            now=self.now,
        )


# -- document ------------------------------------------------------------------------------


def answer_document(
    node: Node, peer: PeerAgreement, message_id: str, body: Mapping[str, object], *, now: datetime
) -> QueryAnswer:
    """Answer a partner's document query (stolen/lost registry, document alerts in force)."""
    asking = Asking(node, peer, "document", message_id, now)
    query: DocumentQuery = parse_document_query(body)
    with node.database.write() as session:
        candidates = [
            Match(
                "sltd",
                f"{match.issuing_state}:{match.document_number}",
                1.0,
                "high",
                may_disclose_sltd(match, peer),
            )
            for match in SltdRegistry().lookup(session, query.issuing_state, query.document_number)
            if match.match in ("exact", "lookalike")
        ]
        alerts = AlertRegistry(node.audit).find_by_document(
            session, query.issuing_state, query.document_number, on=now.date()
        )
        candidates += [
            Match("alert", a.id, 1.0, "high", may_disclose_alert(a, peer)) for a in alerts
        ]
        asked: JsonObject = {
            "issuing_state": query.issuing_state,
            "document_number": query.document_number,
        }
        return asking.answer(session, query.purpose, asked, candidates)


# -- person --------------------------------------------------------------------------------


def _best_scores(screener: NameScreener, query: PersonQuery, threshold: float) -> dict[str, float]:
    """Each matched id's best score over the query's names (at or above ``threshold``)."""
    best: dict[str, float] = {}
    for name in query.names:
        asked = NameQuery(name, query.birth_date, query.nationality, query.sex)
        for match in screener.screen(asked, top=_SCREEN_TOP, threshold=threshold):
            best[match.id] = max(best.get(match.id, 0.0), match.score)
    return best


def _own_alert_scores(
    alert_names: AlertNames, session: Session, query: PersonQuery, threshold: float, now: datetime
) -> tuple[dict[str, AlertView], dict[str, float]]:
    """This node's person alerts in force that the query's names match, and each one's
    best score. Partners' alerts in the index are never answered: they are not ours."""
    alerts: dict[str, AlertView] = {}
    best: dict[str, float] = {}
    for name in query.names:
        asked = NameQuery(name, query.birth_date, query.nationality, query.sex)
        for found in alert_names.screen(session, asked, threshold=threshold, top=_SCREEN_TOP):
            alert = found.alert
            if isinstance(alert, AlertView) and alert.in_force(now.date()):
                alerts[alert.id] = alert
                best[alert.id] = max(best.get(alert.id, 0.0), found.match.score)
    return alerts, best


def _listed(person: WatchlistPersonView | None, now: datetime) -> bool:
    return (
        person is not None
        and person.status == "active"
        and (person.valid_until is None or person.valid_until >= now.date())
    )


def answer_person(
    node: Node,
    peer: PeerAgreement,
    message_id: str,
    body: Mapping[str, object],
    *,
    now: datetime,
    screener: NameScreener,
    threshold: float = DEFAULT_THRESHOLD,
    alert_names: AlertNames | None = None,
) -> QueryAnswer:
    """Answer a partner's person query (watchlist and person alerts, by name screening).

    ``alert_names``: the node's index of live person alerts, kept between queries
    (without it, one is built for this query); only this node's own alerts answer.
    """
    asking = Asking(node, peer, "person", message_id, now)
    query: PersonQuery = parse_person_query(body)
    with node.database.write() as session:
        candidates = person_candidates(
            asking, session, query, screener=screener, threshold=threshold, alert_names=alert_names
        )
        asked: JsonObject = {
            "names": list(query.names),
            "birth_date": query.birth_date,
            "nationality": query.nationality,
        }
        return asking.answer(session, query.purpose, asked, candidates)


def person_candidates(
    asking: Asking,
    session: Session,
    query: PersonQuery,
    *,
    screener: NameScreener,
    threshold: float = DEFAULT_THRESHOLD,
    alert_names: AlertNames | None = None,
) -> list[Match]:
    """The watchlist persons and own person alerts in force ``query`` matches, judged by the
    sharing rules (a person query's candidates; an identity query's too)."""
    now, peer = asking.now, asking.peer
    listed = _best_scores(screener, query, threshold)
    candidates: list[Match] = []
    watchlist = WatchlistRegistry()
    for person_id, score in listed.items():
        person = watchlist.get(session, person_id)
        band = name_band(score, threshold=threshold)
        if person is None or band is None or not _listed(person, now):
            continue  # withdrawn since the index was built: not this node's record now
        refusal = may_disclose_watchlist_person(person, peer)
        candidates.append(Match("watchlist", person.id, score, band, refusal))
    names = alert_names if alert_names is not None else AlertNames()
    alerts, scores = _own_alert_scores(names, session, query, threshold, now)
    for alert_id, score in scores.items():
        band = name_band(score, threshold=threshold)
        if band is not None:
            refusal = may_disclose_alert(alerts[alert_id], peer)
            candidates.append(Match("alert", alert_id, score, band, refusal))
    return candidates


# -- face ----------------------------------------------------------------------------------


def face_hits(
    galleries: GalleryOpener, query: FaceQuery, names: Sequence[str]
) -> list[tuple[str, str, float, ScoreBand]]:
    """(gallery, identity, score, band) of every hit at its gallery's threshold."""
    if query.gallery is not None and query.gallery not in names:
        raise InvalidInput("gallery", f"{query.gallery!r} is not one of {', '.join(names)}")
    hits: list[tuple[str, str, float, ScoreBand]] = []
    for name in (query.gallery,) if query.gallery else names:
        gallery = galleries.open(name)
        if query.template.dimension != gallery.dim:
            raise InvalidInput(
                "template",
                f"holds {query.template.dimension} values; this node's model makes {gallery.dim}",
            )
        for hit in gallery.search(query.template, _FACE_TOP):
            band = face_band(hit.score, gallery.threshold)
            if band is not None:
                hits.append((name, hit.identity, hit.score, band))
    return hits


def record_behind(
    asking: Asking, session: Session, gallery: str, identity: str, score: float, band: ScoreBand
) -> Match | None:
    """The record a biometric hit (face or finger, filed under ``identity``) stands for,
    judged; None when it is no longer in force."""
    peer, now = asking.peer, asking.now
    try:
        alert = AlertRegistry(asking.node.audit).get(session, identity)
    except UnknownAlert:
        person = WatchlistRegistry().get(session, identity)
        if person is None:
            refusal = not_own_record(gallery, identity)
            return Match(asking.kind, identity, score, band, refusal)
        if not _listed(person, now):
            return None
        return Match(
            "watchlist", identity, score, band, may_disclose_watchlist_person(person, peer)
        )
    if not alert.in_force(now.date()):
        return None
    return Match("alert", alert.id, score, band, may_disclose_alert(alert, peer))


def answer_face(
    node: Node,
    peer: PeerAgreement,
    message_id: str,
    body: Mapping[str, object],
    *,
    now: datetime,
    galleries: GalleryOpener,
    gallery_names: Sequence[str] = PARTNER_GALLERIES,
    model: str = FACE_MODEL,
    model_version: str = FACE_MODEL_VERSION,
) -> QueryAnswer:
    """Answer a partner's face query (1:N in the shared galleries, at their thresholds).

    A template of another model or version is refused (``FaceModelMismatch``).
    """
    asking = Asking(node, peer, "face", message_id, now)
    query: FaceQuery = parse_face_query(body, model=model, model_version=model_version)
    hits = face_hits(galleries, query, gallery_names)
    with node.database.write() as session:
        candidates = face_candidates(asking, session, hits)
        asked: JsonObject = {
            "model": query.template.model,
            "model_version": query.template.model_version,
            "gallery": query.gallery,
            "template_sha256": query.template_sha256,
        }
        return asking.answer(session, query.purpose, asked, candidates)


def face_candidates(
    asking: Asking, session: Session, hits: Iterable[tuple[str, str, float, ScoreBand]]
) -> list[Match]:
    """The records behind face hits (:func:`face_hits`), the best score of each, judged."""
    candidates: dict[tuple[str, str], Match] = {}
    for gallery, identity, score, band in hits:
        found = record_behind(asking, session, gallery, identity, score, band)
        if found is None:
            continue
        kept = candidates.get((found.record_type, found.record_id))
        if kept is None or kept.score < found.score:
            candidates[(found.record_type, found.record_id)] = found
    return list(candidates.values())
