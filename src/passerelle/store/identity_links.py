"""Multiple-identity links: stored once per pair, proposed by runs, resolved by analysts.

``IdentityLinkRepository`` keeps the MID's workflow (``passerelle.records.identity_links``):

- :meth:`start_run` / :meth:`finish_run` bracket one run of the linkage model;
- :meth:`propose` stores a run's (or a partner hit's) proposals: a new pair becomes a
  **yellow** link; a yellow pair found again gets the new score and evidence; a resolved
  pair keeps the colour the analyst gave it (a green link is never turned yellow again);
- :meth:`resolve` gives a yellow link its colour with a note; changing the colour of a
  link already resolved needs ``may_change`` (a supervisor) and a note;
- :meth:`get` / :meth:`links` read them.

Every change is audited in the caller's transaction: ``identity_link.run`` (the run's
counts), ``identity_link.propose`` (a partner's cross-border link), and
``identity_link.resolve`` (link id, colour before and after; the note's length, never
its text). Reading links is not audited here: the caller records the disclosure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.records.cases import checked_text
from passerelle.records.identity_links import (
    COLOURS,
    MAX_RESOLUTION_NOTE,
    IdentityLinkView,
    LinkEnd,
    LinkProposal,
    ProposalOutcome,
    UnknownLink,
    UnknownRun,
    already_resolved,
    checked_colour,
    checked_listed_colour,
    ordered_pair,
)
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.tables import IdentityLink, LinkageRun

__all__ = ["IdentityLinkRepository"]

_PAGE_MOST = 500


def _view(row: IdentityLink) -> IdentityLinkView:
    return IdentityLinkView(
        id=row.id,
        left=LinkEnd(row.left_kind, row.left_ref),
        right=LinkEnd(row.right_kind, row.right_ref),
        colour=row.colour,
        origin=row.origin,
        probability=row.probability,
        evidence=dict(row.evidence or {}),
        created_at=row.created_at,
        run_id=row.run_id,
        partner_state=row.partner_state,
        followup_id=row.followup_id,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution_note=row.resolution_note,
    )


class IdentityLinkRepository:
    """Proposes, resolves and reads the node's identity links; audits every change."""

    def __init__(self, audit: AuditTrail) -> None:
        self.audit = audit

    # -- runs ------------------------------------------------------------------------------

    def start_run(self, session: Session, *, engine: str, by: Actor, now: datetime) -> int:
        """A new run's id (its proposals will name it)."""
        row = LinkageRun(engine=engine, started_at=now, started_by=by.name)
        session.add(row)
        session.flush()
        return row.id

    def finish_run(
        self,
        session: Session,
        run_id: int,
        *,
        records: int,
        pairs: int,
        outcome: ProposalOutcome,
        model: dict[str, Any] | None = None,
        by: Actor,
        now: datetime,
    ) -> None:
        """Record what a run read, scored and changed; audited ``identity_link.run``."""
        row = session.get(LinkageRun, run_id)
        if row is None:
            raise UnknownRun
        row.finished_at, row.records, row.pairs = now, records, pairs
        row.outcome = {**outcome.as_dict(), "model": model or {}}
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="identity_link.run",
            at=now,
            query={"run": run_id, "engine": row.engine},
            result={"records": records, "pairs": pairs, **outcome.as_dict()},
        )

    # -- proposals -------------------------------------------------------------------------

    def propose(
        self,
        session: Session,
        proposals: Iterable[LinkProposal],
        *,
        run_id: int | None,
        now: datetime,
        by: Actor | None = None,
    ) -> ProposalOutcome:
        """Store proposals (see the module's text); ``by`` audits a partner's cross-border
        proposals one by one (a run's are audited together by :meth:`finish_run`)."""
        new = rescored = kept = 0
        for proposal in proposals:
            left, right = ordered_pair(proposal.left, proposal.right)
            row = session.scalars(
                select(IdentityLink).where(
                    IdentityLink.left_kind == left.kind,
                    IdentityLink.left_ref == left.ref,
                    IdentityLink.right_kind == right.kind,
                    IdentityLink.right_ref == right.ref,
                )
            ).one_or_none()
            if row is None:
                row = IdentityLink(
                    left_kind=left.kind,
                    left_ref=left.ref,
                    right_kind=right.kind,
                    right_ref=right.ref,
                    colour="yellow",
                    origin=proposal.origin,
                    probability=proposal.probability,
                    evidence=proposal.evidence,
                    created_at=now,
                    updated_at=now,
                    run_id=run_id,
                    partner_state=proposal.partner_state,
                    followup_id=proposal.followup_id,
                    resolutions=0,
                )
                session.add(row)
                new += 1
            elif row.colour == "yellow":
                row.probability, row.evidence, row.updated_at = (
                    proposal.probability,
                    proposal.evidence,
                    now,
                )
                row.run_id = run_id if run_id is not None else row.run_id
                row.followup_id = proposal.followup_id or row.followup_id
                rescored += 1
            else:
                kept += 1
            session.flush()
            if by is not None:
                self.audit.record(
                    session,
                    actor=by,
                    action="identity_link.propose",
                    at=now,
                    query={"link": row.id, "origin": proposal.origin},
                    result={"colour": row.colour, "partner": proposal.partner_state},
                )
        return ProposalOutcome(new=new, rescored=rescored, kept_resolved=kept)

    # -- resolution ------------------------------------------------------------------------

    def resolve(
        self,
        session: Session,
        link_id: int,
        *,
        colour: str,
        note: str,
        by: Actor,
        now: datetime,
        may_change: bool = False,
    ) -> IdentityLinkView:
        """Give a link its colour with a note; audited ``identity_link.resolve``.

        Refused (:func:`already_resolved`: ``LinkRefused`` naming ``colour``) when the link is
        already resolved and ``may_change`` is false: only a supervisor changes a resolution.
        """
        wanted = checked_colour(colour)
        checked_note = checked_text("note", note, limit=MAX_RESOLUTION_NOTE)
        row = session.get(IdentityLink, link_id, with_for_update=True)
        if row is None:
            raise UnknownLink(link_id)
        before = row.colour
        if before != "yellow" and not may_change:
            raise already_resolved()
        row.colour, row.resolution_note = wanted, checked_note
        row.resolved_by, row.resolved_at, row.updated_at = by.name, now, now
        row.resolutions = (row.resolutions or 0) + 1
        session.flush()
        self.audit.record(
            session,
            actor=by,
            action="identity_link.resolve",
            purpose=checked_note,
            at=now,
            query={"link": link_id},
            result={"before": before, "colour": wanted, "note_length": len(checked_note or "")},
        )
        return _view(row)

    # -- reading ---------------------------------------------------------------------------

    def get(self, session: Session, link_id: int) -> IdentityLinkView:
        row = session.get(IdentityLink, link_id)
        if row is None:
            raise UnknownLink(link_id)
        return _view(row)

    def links(
        self,
        session: Session,
        *,
        colour: str | None = None,
        record: LinkEnd | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[IdentityLinkView]:
        """Links of one colour (all colours when ``None``), most probable first; or every
        link of one record (``record``)."""
        colour = checked_listed_colour(colour)
        query = select(IdentityLink)
        if colour is not None:
            query = query.where(IdentityLink.colour == colour)
        if record is not None:
            kind, ref = record.kind, record.ref
            left = (IdentityLink.left_kind == kind) & (IdentityLink.left_ref == ref)
            right = (IdentityLink.right_kind == kind) & (IdentityLink.right_ref == ref)
            query = query.where(left | right)
        query = query.order_by(IdentityLink.probability.desc(), IdentityLink.id)
        rows = session.scalars(query.limit(min(max(limit, 1), _PAGE_MOST)).offset(max(offset, 0)))
        return [_view(row) for row in rows]

    def counts(self, session: Session) -> dict[str, int]:
        """How many links of each colour (every colour listed, zeros included)."""
        found = dict(
            session.execute(
                select(IdentityLink.colour, func.count()).group_by(IdentityLink.colour)
            ).all()
        )
        return {colour: int(found.get(colour, 0)) for colour in COLOURS}
