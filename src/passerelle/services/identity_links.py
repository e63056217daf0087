"""The analysts' multiple-identity workflow: list the links, read one's evidence, resolve it.

Every face (the pages, the API) goes through :class:`IdentityLinkDesk`, so that each
reading is audited once and alike. The list and the evidence are read where the analysts'
heavy reads run (``Node.analysis``: the replica when the node has one; the primary for a
reader whose own change the replica has not replayed yet), and recorded on the primary
before they are answered:

* listing the links (``identity_link.list``: the colour asked, the ids shown);
* reading one link's evidence (``identity_link.read``, found or not): it discloses both
  records, so it is audited like an inspection's reading, with the purpose given;
* resolving a link (``identity_link.resolve``, by the repository): an analyst
  (``review_hits``) resolves a yellow link; a supervisor (``change_link_colour``) may
  also change a resolved link's colour; an analyst asking to is refused
  (``LinkRefused`` naming ``colour``);
* asking the partner that opened a cross-border link for its record: a follow-up
  (``federation.followups``: ``followup.request`` here, the partner's approval there);
* showing a record's reference photo beside its data (``face.reference``, the action a
  verdict's face photo is audited under, with the link and the record it was read for).

Asking partners whether a record is known under another identity is
:mod:`passerelle.services.identity_asking`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from passerelle.access import Permission, can, require
from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.exc import InvalidInput, NotFound
from passerelle.federation.followups.requests import FollowUps
from passerelle.federation.followups.values import FollowUpView
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.node import Node
from passerelle.records.identity_links import IdentityLinkView, checked_listed_colour
from passerelle.services.linked_records import (
    LinkedRecord,
    follow_up_of,
    linked_record,
    photo_galleries,
)
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.identity_links import IdentityLinkRepository

__all__ = [
    "LINK_READERS",
    "LINK_WORK",
    "IdentityLinkDesk",
    "LinkEvidence",
    "LinkList",
]

LINK_WORK = "identity link review"
"""The purpose recorded when an analyst lists the links or opens one."""
LINK_READERS = (Permission.REVIEW_HITS, Permission.CHANGE_LINK_COLOUR)
"""Who may read the links: the analysts who resolve them, the supervisors who may
change a resolution."""


@dataclass(frozen=True, slots=True)
class LinkList:
    """Links of one colour (or all), most probable first, and how many of each colour."""

    links: tuple[IdentityLinkView, ...]
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    """One link with both records side by side, and the follow-up on its partner end."""

    link: IdentityLinkView
    left: LinkedRecord
    right: LinkedRecord
    follow_up: FollowUpView | None

    @property
    def review_ids(self) -> tuple[int, ...]:
        """The hit reviews of both ends' inspections (a red link may open a case on them)."""
        return tuple(dict.fromkeys((*self.left.review_ids, *self.right.review_ids)))

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.link.as_dict(),
            "records": [self.left.as_dict(), self.right.as_dict()],
            "follow_up": (
                {
                    "id": self.follow_up.id,
                    "status": self.follow_up.status,
                    "requested_by": self.follow_up.requested_by,
                    "requested_at": self.follow_up.requested_at.isoformat(),
                }
                if self.follow_up is not None
                else None
            ),
        }


def _not_partner_link() -> InvalidInput:
    return InvalidInput(
        "link_id", worded(N_("only a link a partner's answer opened can be followed up"))
    )


class IdentityLinkDesk:
    """Audited readings and resolutions of the node's identity links."""

    def __init__(
        self,
        node: Node,
        *,
        follow_ups: FollowUps | None = None,
        faces: FaceGalleries | None = None,
    ) -> None:
        self.node = node
        self.links = IdentityLinkRepository(node.audit)
        self.follow_ups = follow_ups
        self.faces = faces

    def listed(
        self, actor: Actor, purpose: str, *, colour: str | None = None, limit: int = 200
    ) -> LinkList:
        """Links of ``colour`` (every colour: None), most probable first, with the counts of
        each colour (``identity_link.list``: the ids shown)."""
        wanted = checked_listed_colour(colour)
        with audited_lookup(
            self.node,
            actor,
            "identity_link.list",
            permissions=LINK_READERS,
            purpose=purpose,
            query={"colour": wanted, "limit": limit},
        ) as lookup:
            with self.node.analysis.read() as session:
                links = tuple(self.links.links(session, colour=wanted, limit=limit))
                counts = self.links.counts(session)
            with self.node.database.write() as session:
                lookup.listed(session, [link.id for link in links])
        return LinkList(links, counts)

    def evidence(self, actor: Actor, purpose: str, link_id: int) -> LinkEvidence:
        """One link with both records as the node holds them (``identity_link.read``, found
        or not: the records' personal data is disclosed)."""
        with audited_lookup(
            self.node,
            actor,
            "identity_link.read",
            permissions=LINK_READERS,
            purpose=purpose,
            query={"link": link_id},
        ) as lookup:
            with self.node.analysis.read() as session:
                link = self.links.get(session, link_id)
                follow_up = follow_up_of(session, link.right) or follow_up_of(session, link.left)
                audit = self.node.audit
                left = linked_record(session, audit, link.left, follow_up=follow_up)
                right = linked_record(session, audit, link.right, follow_up=follow_up)
            with self.node.database.write() as session:
                lookup.found(
                    session,
                    {
                        "records": [link.left.key, link.right.key],
                        "colour": link.colour,
                        "partner_data": bool(left.disclosed_by or right.disclosed_by),
                    },
                )
        return LinkEvidence(link, left, right, follow_up)

    def record_photo(self, actor: Actor, purpose: str, link_id: int, side: Literal[1, 2]) -> bytes:
        """The reference photo filed under one end's record (``side`` 1: the link's left
        end, 2: its right), audited ``face.reference`` whatever it finds; refused (not
        found) when no photo is on file, or for a partner's record (never disclosed)."""
        with audited_lookup(
            self.node,
            actor,
            "face.reference",
            permissions=LINK_READERS,
            purpose=purpose,
            query={"link": link_id, "side": side},
        ) as lookup:
            with self.node.database.read() as session:
                link = self.links.get(session, link_id)
                end = link.left if side == 1 else link.right
                galleries = photo_galleries(session, end)
            reference = (
                self.faces.reference(galleries[0], end.ref)
                if galleries and self.faces is not None
                else None
            )
            if reference is None or reference.jpeg is None:
                raise NotFound("side", f"no reference photo is on file for {end.key}")
            with self.node.database.write() as session:
                lookup.found(
                    session,
                    {
                        "record": end.key,
                        "gallery": galleries[0],
                        "photo_sha256": hashlib.sha256(reference.jpeg).hexdigest(),
                    },
                )
        return reference.jpeg

    def resolve(self, actor: Actor, link_id: int, *, colour: str, note: str) -> IdentityLinkView:
        """Give the link its colour with a note (audited by the repository); a resolved link
        changes colour only for a supervisor (``change_link_colour``)."""
        if not any(can(actor.role, permission) for permission in LINK_READERS):
            require(actor, Permission.REVIEW_HITS)
        may_change = can(actor.role, Permission.CHANGE_LINK_COLOUR)
        node = self.node
        with node.database.write() as session:
            return self.links.resolve(
                session,
                link_id,
                colour=colour,
                note=note,
                by=actor,
                now=node.clock(),
                may_change=may_change,
            )

    def ask_follow_up(self, actor: Actor, link_id: int, justification: str) -> FollowUpView:
        """Ask the partner behind a cross-border link for its record (a follow-up, audited
        ``followup.request``); the partner's analyst approves or refuses it there."""
        require(actor, Permission.REVIEW_HITS)
        with self.node.database.read() as session:
            link = self.links.get(session, link_id)
        partner = next((end for end in (link.right, link.left) if end.kind == "partner"), None)
        if partner is None or self.follow_ups is None:
            raise _not_partner_link()
        return self.follow_ups.request(partner.ref, justification, by=actor)
