"""The identity question: "do you hold this person under another identity than my document?"

A node that holds an identity (an inspection's names, birth date, nationality and sex, the
document it was read from, and a face template when it has one) asks its partners
whether they hold a record of the same person under **another** identity: a multiple
identity across states. The question sends nothing the hit/no-hit queries do not send
already; it is their union, one flat body::

    identity  {"names", "birth_date", "nationality"?, "sex"?          (as query.person)
               "model"?, "model_version"?, "template"?                (as query.face)
               "issuing_state"?, "document_number"?                   (as query.document:
                                                                        the document held)
               "purpose"}

Names with a birth date, or a template, or both, must be given. The answering node
matches the names with the engine that answers ``query.person`` (its watchlist and own
person alerts in force) and the template with the one that answers ``query.face`` (the
shared galleries), judges each record by the same sharing rules, and leaves out a
record filed under the very document the asker holds (that is the same identity, not
another). It answers like every query: ``hit`` with an exchange reference and a score
band, or ``no_hit``; never a name, a category or a count. The answer is audited
(``exchange.query.answer``, kind ``identity``) and its reference can be followed up
(``federation.followups``) like any other: the data behind it crosses only once the
owner's analyst approves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION
from passerelle.biometrics.templates import FaceTemplate
from passerelle.exc import InvalidInput
from passerelle.federation.protocol.envelope import JsonObject, JsonValue
from passerelle.federation.queries.answers import (
    PARTNER_GALLERIES,
    Asking,
    GalleryOpener,
    NameScreener,
    face_candidates,
    face_hits,
    person_candidates,
)
from passerelle.federation.queries.asking import (
    PartnerQuestion,
    document_question,
    face_question,
    person_question,
)
from passerelle.federation.queries.bodies import (
    DocumentQuery,
    FaceQuery,
    PersonQuery,
    QueryAnswer,
    parse_document_query,
    parse_face_query,
    parse_person_query,
)
from passerelle.federation.queries.references import Match
from passerelle.federation.sharing.legal_basis import PeerAgreement
from passerelle.lists.alert_names import AlertNames
from passerelle.names import DEFAULT_THRESHOLD
from passerelle.node import Node
from passerelle.records.alerts import UnknownAlert
from passerelle.store.alerts import AlertRegistry

__all__ = ["IdentityQuery", "answer_identity", "identity_question", "parse_identity_query"]

_PERSON = ("names", "birth_date", "nationality", "sex")
_FACE = ("model", "model_version", "template")
_DOCUMENT = ("issuing_state", "document_number")


def identity_question(
    names: Sequence[str],
    birth_date: str | None,
    *,
    nationality: str | None,
    sex: str | None,
    document: tuple[str, str] | None,
    template: FaceTemplate | None,
    purpose: str,
) -> PartnerQuestion:
    """The ``query.identity`` question, built from the person, face and document questions'
    own bodies (nothing more crosses than they send).

    >>> q = identity_question(["ALI BENALI"], "1990-01-01", nationality="MAR", sex="M",
    ...     document=("MAR", "AB1234567"), template=None, purpose="multiple identity")
    >>> q.kind, sorted(q.body)  # doctest: +NORMALIZE_WHITESPACE
    ('identity', ['birth_date', 'document_number', 'issuing_state', 'names', 'nationality',
    'purpose', 'sex'])
    """
    body: dict[str, JsonValue] = {}
    if names and birth_date:
        asked = person_question(
            names, birth_date, nationality=nationality, sex=sex, purpose=purpose
        )
        body |= asked.body
    if template is not None:
        body |= face_question(template, purpose=purpose).body
    if not body:
        raise InvalidInput("names", "give names with a birth date, or a face template")
    if document is not None:
        body |= document_question(document[0], document[1], purpose=purpose).body
    return PartnerQuestion("identity", body)


@dataclass(frozen=True, slots=True)
class IdentityQuery:
    """A partner's identity question: the person and/or the face, and the document held."""

    person: PersonQuery | None
    face: FaceQuery | None
    document: DocumentQuery | None
    purpose: str | None


def _part(body: Mapping[str, object], names: Sequence[str]) -> dict[str, object]:
    part = {name: body[name] for name in names if name in body}
    if part and "purpose" in body:
        part["purpose"] = body["purpose"]
    return part


def parse_identity_query(
    body: Mapping[str, object],
    *,
    model: str = FACE_MODEL,
    model_version: str = FACE_MODEL_VERSION,
) -> IdentityQuery:
    """An identity question from its body; ``InvalidInput`` naming the first bad field.

    >>> parse_identity_query({"names": ["ALI"], "birth_date": "1990", "purpose": "p"}).face
    """
    if not isinstance(body, Mapping):
        raise InvalidInput("body", "must be a JSON object")
    known = {*_PERSON, *_FACE, *_DOCUMENT, "purpose"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise InvalidInput(unknown[0], "is not a field of an identity question")
    person_part, face_part = _part(body, _PERSON), _part(body, _FACE)
    document_part = _part(body, _DOCUMENT)
    if not person_part and not face_part:
        raise InvalidInput("names", "give names with a birth date, or a face template")
    person = parse_person_query(person_part) if person_part else None
    face = (
        parse_face_query(face_part, model=model, model_version=model_version) if face_part else None
    )
    document = parse_document_query(document_part) if document_part else None
    purposes = [part.purpose for part in (person, face, document) if part is not None]
    return IdentityQuery(person, face, document, purposes[0] if purposes else None)


def _same_document(asking: Asking, session: Session, match: Match, held: DocumentQuery) -> bool:
    """Whether ``match`` is an alert filed under the very document the asker holds."""
    if match.record_type != "alert":
        return False
    try:
        alert = AlertRegistry(asking.node.audit).get(session, match.record_id)
    except UnknownAlert:
        return False
    subject = alert.subject.as_json()
    return (
        subject.get("issuing_state") == held.issuing_state
        and subject.get("document_number") == held.document_number
    )


def answer_identity(
    node: Node,
    peer: PeerAgreement,
    message_id: str,
    body: Mapping[str, object],
    *,
    now: datetime,
    screener: NameScreener,
    galleries: GalleryOpener,
    gallery_names: Sequence[str] = PARTNER_GALLERIES,
    threshold: float = DEFAULT_THRESHOLD,
    alert_names: AlertNames | None = None,
) -> QueryAnswer:
    """Answer a partner's identity question (see the module's text): hit or no-hit."""
    asking = Asking(node, peer, "identity", message_id, now)
    query = parse_identity_query(body)
    hits = face_hits(galleries, query.face, gallery_names) if query.face is not None else []
    with node.database.write() as session:
        candidates: list[Match] = []
        if query.person is not None:
            candidates += person_candidates(
                asking,
                session,
                query.person,
                screener=screener,
                threshold=threshold,
                alert_names=alert_names,
            )
        candidates += face_candidates(asking, session, hits)
        held = query.document
        if held is not None:
            candidates = [c for c in candidates if not _same_document(asking, session, c, held)]
        fields: list[JsonValue] = [k for k in sorted(body) if k != "purpose"]
        asked: JsonObject = {"fields": fields}
        if query.person is not None:
            names: list[JsonValue] = list(query.person.names)
            asked |= {
                "names": names,
                "birth_date": query.person.birth_date,
                "nationality": query.person.nationality,
            }
        if query.face is not None:
            asked["template_sha256"] = query.face.template_sha256
        if held is not None:
            asked |= {"issuing_state": held.issuing_state, "document_number": held.document_number}
        return asking.answer(session, query.purpose, asked, candidates)
