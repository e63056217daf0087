"""How the owning node answers a partner's ``fingerprint`` query: 1:N in its shared galleries.

Each finger of the query is searched (BOZORTH3 on a triangle-code short list,
``biometrics.fingerprint.gallery``) in the shared fingerprint galleries
(``alerts`` and ``wanted`` unless the node says otherwise, or the one the body
names), at the galleries' calibrated search threshold. An enrolled finger is
filed as ``RECORD/POSITION`` (``MAR-W-0001/2``): a hit stands for ``RECORD``, an
alert in force or an active watchlist person, judged by that record's sharing
rules (``federation.sharing.legal_basis``) like a face hit; any other identity
is never disclosed (``not_own_record``). Several fingers of one record count
once, with their best score.

The answer, its reference and its audit are those of every query
(``federation.queries.references.record_answer``): what was asked is kept as
each finger's position and ``template_sha256`` (never the template), the
extractor and the gallery.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from passerelle.biometrics.fingerprint import FingerprintCandidate, FingerprintTemplate
from passerelle.exc import InvalidInput
from passerelle.federation.protocol.envelope import JsonObject, JsonValue
from passerelle.federation.queries.answers import Asking, record_behind
from passerelle.federation.queries.bodies import QueryAnswer, ScoreBand
from passerelle.federation.queries.fingerprint_bodies import (
    FingerprintQuery,
    fingerprint_band,
    parse_fingerprint_query,
)
from passerelle.federation.queries.references import Match
from passerelle.federation.sharing.legal_basis import PeerAgreement
from passerelle.node import Node

__all__ = ["FINGER_PARTNER_GALLERIES", "FingerprintSearch", "answer_fingerprint", "finger_record"]

FINGER_PARTNER_GALLERIES = ("alerts", "wanted")
"""The fingerprint galleries a partner's query is searched in, unless the node says others."""
_FINGER_TOP = 5


class FingerprintSearch(Protocol):
    """The node's fingerprint galleries (``biometrics.enrolment.FingerprintGalleries``)."""

    @property
    def threshold(self) -> int:
        """The BOZORTH3 score at or above which a search reports a match."""
        ...

    def search(
        self, gallery: str, probe: FingerprintTemplate, *, top: int = 5
    ) -> list[FingerprintCandidate]:
        """The enrolled fingers nearest the probe, best first."""
        ...


def finger_record(identity: str) -> str:
    """The record an enrolled finger is filed under: its id before the finger's position.

    >>> finger_record("MAR-W-0001/2"), finger_record("MAR-A-7")
    ('MAR-W-0001', 'MAR-A-7')
    """
    return identity.rpartition("/")[0] or identity


def _finger_hits(
    search: FingerprintSearch, query: FingerprintQuery, names: Sequence[str]
) -> list[tuple[str, str, int, ScoreBand]]:
    """(gallery, identity, score, band) of every finger's hit at the search threshold."""
    if query.gallery is not None and query.gallery not in names:
        raise InvalidInput("gallery", f"{query.gallery!r} is not one of {', '.join(names)}")
    hits: list[tuple[str, str, int, ScoreBand]] = []
    for name in (query.gallery,) if query.gallery else names:
        for finger in query.fingers:
            for candidate in search.search(name, finger.template, top=_FINGER_TOP):
                band = fingerprint_band(candidate.score, search.threshold)
                if candidate.is_match and band is not None:
                    hits.append((name, candidate.id, candidate.score, band))
    return hits


def _matches(
    asking: Asking, session: Session, hits: Sequence[tuple[str, str, int, ScoreBand]]
) -> list[Match]:
    """The records the hits stand for, judged; one per record, its best score."""
    best: dict[tuple[str, str], Match] = {}
    for gallery, identity, score, band in hits:
        found = record_behind(asking, session, gallery, finger_record(identity), score, band)
        if found is None:
            continue
        kept = best.get((found.record_type, found.record_id))
        if kept is None or kept.score < found.score:
            best[(found.record_type, found.record_id)] = found
    return list(best.values())


def answer_fingerprint(
    node: Node,
    peer: PeerAgreement,
    message_id: str,
    body: Mapping[str, object],
    *,
    now: datetime,
    search: FingerprintSearch,
    gallery_names: Sequence[str] = FINGER_PARTNER_GALLERIES,
) -> QueryAnswer:
    """Answer a partner's fingerprint query (1:N in the shared galleries, at their threshold).

    Minutiae of another extractor are refused (``ExtractorMismatch``).
    """
    asking = Asking(node, peer, "fingerprint", message_id, now)
    query = parse_fingerprint_query(body)
    hits = _finger_hits(search, query, gallery_names)
    fingers: list[JsonValue] = [
        {"position": f.position, "template_sha256": f.template_sha256} for f in query.fingers
    ]
    first = query.fingers[0].template
    asked: JsonObject = {
        "fingers": fingers,
        "extractor": first.extractor,
        "extractor_version": first.extractor_version,
        "gallery": query.gallery,
    }
    with node.database.write() as session:
        return asking.answer(session, query.purpose, asked, _matches(asking, session, hits))
