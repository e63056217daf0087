"""Asking partners whether a person this node holds is known there under another identity.

An analyst, on a record's page (an inspection, a watchlist person), asks every partner
whose agreement covers ``identity`` queries (``federation.queries.identity``) with a
purpose. What leaves is what the hit/no-hit queries send already: the names, the birth
date, the nationality and sex, the document held. Each query to each partner is
audited as a search on this node (``exchange.query.ask``, the analyst and the purpose,
``federation.queries.outbound_audit``), and the asking as a whole
(``identity_link.ask``: the record, how many partners answered, the links opened).

A partner's **hit** opens a cross-border **yellow** link (``origin`` ``partner``): the
record here on one end, ``partner:STATE:REFERENCE`` on the other, with the score band
as its evidence (``identity_link.propose``, by the repository). A no-hit opens
nothing. The partner's data crosses only through a follow-up on that reference that the
partner's analyst approves (:meth:`IdentityLinkDesk.ask_follow_up`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from passerelle.access import Permission, require
from passerelle.exc import InvalidInput
from passerelle.federation.queries.asking import (
    AskedFor,
    PartnerAnswer,
    PartnerAsker,
    PartnerQuestion,
)
from passerelle.federation.queries.identity import identity_question
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.node import Node
from passerelle.records.identity_links import LinkEnd, LinkProposal
from passerelle.services.common import checked_purpose
from passerelle.store.audit import Actor
from passerelle.store.identity_links import IdentityLinkRepository
from passerelle.store.tables import Inspection
from passerelle.store.watchlist import WatchlistRegistry

__all__ = ["BAND_PROBABILITY", "AskedPartners", "IdentityAsking", "question_about"]

BAND_PROBABILITY: Mapping[str, float] = {"high": 0.9, "medium": 0.75, "low": 0.6}
"""The probability a cross-border link starts with, by the partner's score band (a lead
for the analyst to verify; the partner never says more than the band)."""
ASKABLE = frozenset({"inspection", "watchlist"})


@dataclass(frozen=True, slots=True)
class AskedPartners:
    """What asking the partners came to: each partner's answer and the links opened."""

    record: LinkEnd
    answers: tuple[PartnerAnswer, ...]
    link_ids: tuple[int, ...]


def _not_askable() -> InvalidInput:
    return InvalidInput("record", worded(N_("holds no name with a birth date to ask about")))


def question_about(session: Session, record: LinkEnd, *, purpose: str) -> PartnerQuestion:
    """The identity question an inspection's document (or a watchlist person) allows."""
    if record.kind not in ASKABLE:
        raise InvalidInput("record", worded(N_("only an inspection or a listed person is asked")))
    if record.kind == "inspection":
        row = session.get(Inspection, record.ref)
        if row is None:
            raise InvalidInput("record", worded(N_("is not an inspection of this node")))
        document = (row.result or {}).get("document") or {}
        names = [
            " ".join(f"{document.get('given_names') or ''} {document.get('surname') or ''}".split())
        ]
        held = (
            (row.issuing_state, row.document_number)
            if row.issuing_state and row.document_number
            else None
        )
        sex = document.get("sex")
        birth = document.get("birth_date")
        if not names[0] or not isinstance(birth, str):
            raise _not_askable()
        return identity_question(
            names,
            birth,
            nationality=row.nationality,
            sex=sex if sex in ("M", "F") else None,
            document=held,
            template=None,
            purpose=purpose,
        )
    person = WatchlistRegistry().get(session, record.ref)
    if person is None or not person.birth_date:
        raise _not_askable()
    return identity_question(
        list(person.names),
        person.birth_date,
        nationality=person.nationalities[0] if person.nationalities else None,
        sex=person.sex if person.sex in ("M", "F") else None,
        document=None,
        template=None,
        purpose=purpose,
    )


def _proposal(record: LinkEnd, answer: PartnerAnswer) -> LinkProposal:
    band = answer.score_band or "low"
    return LinkProposal(
        left=record,
        right=LinkEnd("partner", f"{answer.peer}:{answer.reference}"),
        probability=BAND_PROBABILITY.get(band, BAND_PROBABILITY["low"]),
        evidence={
            "comparisons": [{"field": "partner", "level": f"{band} score band", "weight": 0.0}],
            "partner": answer.peer,
            "score_band": band,
            "question": "identity",
        },
        origin="partner",
        partner_state=answer.peer,
    )


class IdentityAsking:
    """Asks partners the identity question about a record held here; opens links on hits."""

    def __init__(self, node: Node, asker: PartnerAsker | None, *, deadline: float = 5.0) -> None:
        self.node = node
        self.asker = asker
        self.deadline = deadline
        self.links = IdentityLinkRepository(node.audit)

    def ask(self, actor: Actor, purpose: str, record: LinkEnd) -> AskedPartners:
        """Ask every partner covering ``identity`` queries about ``record``; audited."""
        require(actor, Permission.REVIEW_HITS)
        why = checked_purpose(purpose)
        with self.node.database.read() as session:
            question = question_about(session, record, purpose=why)
        answers = (  # a node without a partner link asks no one, as an inspection would
            self.asker.ask([question], deadline=self.deadline, asked_for=AskedFor(actor, why))
            if self.asker is not None
            else []
        )
        hits = [a for a in answers if a.status == "hit" and a.reference]
        node = self.node
        with node.database.write() as session:
            now = node.clock()
            ids: list[int] = []
            for answer in hits:
                self.links.propose(
                    session, [_proposal(record, answer)], run_id=None, now=now, by=actor
                )
            for answer in hits:
                partner = LinkEnd("partner", f"{answer.peer}:{answer.reference}")
                ids += [link.id for link in self.links.links(session, record=partner)]
            node.audit.record(
                session,
                actor=actor,
                action="identity_link.ask",
                purpose=why,
                at=now,
                query={"record": record.key, "kind": "identity"},
                result={
                    "partners": len(answers),
                    "answered": sum(1 for a in answers if a.answered),
                    "hits": len(hits),
                    "links": ids,
                },
            )
        return AskedPartners(record, tuple(answers), tuple(ids))
