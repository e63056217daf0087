"""Multiple-identity links: the values, their colours and the checks on input (no session here).

A *link* says that two identity records held by the node (or one held here and one a
partner holds) probably belong to the same person. It is a lead for a human, never a
decision. Links take the colours of the EU's Multiple-Identity Detector::

    yellow ──resolve──> red     same person, different identities, unjustified (fraud)
       │                green   different persons
       └───────────────> white  same person, legitimately several documents

A link is created **yellow** (to verify) by a linkage run (``origin`` ``linkage``) or by a
partner's identity hit (``origin`` ``partner``); an analyst resolves it with a note, and a
supervisor may change a resolved link's colour again (each change audited). A run that
finds a pair again never changes a resolved link's colour: a green link stays green.

A *record* is named by its kind and its reference in that kind:

===================  ==================================================================
``inspection``       an inspection's id (the document, names, dates and face it read)
``watchlist``        a watchlist person's id
``alert``            an alert's id (``MAR-A-2026-0001``)
``partner_alert``    a partner's alert, ``STATE:ID``
``partner``          a record a partner holds, by the exchange reference it answered
===================  ==================================================================

>>> LinkEnd("inspection", "I-1").key
'inspection:I-1'
>>> ordered_pair(LinkEnd("watchlist", "9"), LinkEnd("inspection", "I-1"))[0].kind
'inspection'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from passerelle.exc import InvalidInput, NotFound
from passerelle.i18n import N_
from passerelle.i18n.wording import worded

__all__ = [
    "COLOURS",
    "LINK_ORIGINS",
    "MAX_EVIDENCE_ITEMS",
    "MAX_RESOLUTION_NOTE",
    "RECORD_KINDS",
    "RESOLVED_COLOURS",
    "IdentityLinkView",
    "LinkEnd",
    "LinkProposal",
    "LinkRefused",
    "ProposalOutcome",
    "UnknownLink",
    "UnknownRun",
    "already_resolved",
    "checked_colour",
    "checked_listed_colour",
    "ordered_pair",
]

COLOURS = ("yellow", "red", "green", "white")
"""The MID's colours, in the order the pages list them."""
RESOLVED_COLOURS = frozenset({"red", "green", "white"})
"""The colours an analyst may give a link."""
RECORD_KINDS = frozenset({"inspection", "watchlist", "alert", "partner_alert", "partner"})
LINK_ORIGINS = frozenset({"linkage", "partner"})
MAX_RESOLUTION_NOTE = 2000
MAX_EVIDENCE_ITEMS = 40
"""Comparisons one link's evidence may list (a model has a handful)."""
_MAX_REF = 128


class UnknownLink(NotFound):
    """No identity link has this id."""

    def __init__(self, link_id: int) -> None:
        super().__init__("link_id", f"no identity link {link_id} on this node")


class UnknownRun(InvalidInput):
    """No linkage run has this id."""

    def __init__(self) -> None:
        super().__init__("run_id", worded(N_("is not a linkage run of this node")))


class LinkRefused(InvalidInput):
    """The change conflicts with the link's state (``field`` names what refused it)."""


def already_resolved() -> LinkRefused:
    """Why an analyst may not recolour a resolved link."""
    return LinkRefused(
        "colour", worded(N_("this link is already resolved; a supervisor may change it"))
    )


@dataclass(frozen=True, slots=True, order=True)
class LinkEnd:
    """One end of a link: a record's kind and its reference in that kind."""

    kind: str
    ref: str

    def __post_init__(self) -> None:
        if self.kind not in RECORD_KINDS:
            raise InvalidInput("kind", worded(N_("is not a kind of record the node links")))
        if not self.ref or len(self.ref) > _MAX_REF:
            raise InvalidInput(
                "ref", worded(N_("is blank or longer than %(most)s characters"), most=_MAX_REF)
            )

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref}


def ordered_pair(one: LinkEnd, other: LinkEnd) -> tuple[LinkEnd, LinkEnd]:
    """The two ends in a fixed order, so a pair found twice is stored once."""
    if one == other:
        raise InvalidInput("right", worded(N_("a record cannot be linked to itself")))
    return (one, other) if one <= other else (other, one)


@dataclass(frozen=True, slots=True)
class LinkProposal:
    """A pair a linkage run (or a partner's hit) proposes, with why.

    ``probability`` is the model's match probability (0 to 1); ``evidence`` a JSON-ready
    mapping: the comparisons and their levels (``{"comparisons": [{"field": "name",
    "level": "same name key", "weight": 4.2}, ...], "match_weight": 11.3}``).
    """

    left: LinkEnd
    right: LinkEnd
    probability: float
    evidence: dict[str, Any] = field(default_factory=dict)
    origin: str = "linkage"
    partner_state: str | None = None
    followup_id: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise InvalidInput("probability", worded(N_("must be between 0 and 1")))
        if self.origin not in LINK_ORIGINS:
            raise InvalidInput("origin", worded(N_("is not a known origin of links")))
        comparisons = self.evidence.get("comparisons", ())
        if len(comparisons) > MAX_EVIDENCE_ITEMS:
            raise InvalidInput(
                "evidence", worded(N_("lists more than %(most)s items"), most=MAX_EVIDENCE_ITEMS)
            )


@dataclass(frozen=True, slots=True)
class ProposalOutcome:
    """What storing a run's proposals did: new yellow links, yellow ones rescored, resolved
    ones left as the analysts decided."""

    new: int = 0
    rescored: int = 0
    kept_resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "rescored": self.rescored, "kept_resolved": self.kept_resolved}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class IdentityLinkView:
    """A stored link: its ends, colour, why it exists and who resolved it."""

    id: int
    left: LinkEnd
    right: LinkEnd
    colour: str
    origin: str
    probability: float
    evidence: dict[str, Any]
    created_at: datetime
    run_id: int | None
    partner_state: str | None
    followup_id: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None

    @property
    def resolved(self) -> bool:
        return self.colour in RESOLVED_COLOURS

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "left": self.left.as_dict(),
            "right": self.right.as_dict(),
            "colour": self.colour,
            "origin": self.origin,
            "probability": self.probability,
            "evidence": self.evidence,
            "created_at": _iso(self.created_at),
            "run_id": self.run_id,
            "partner_state": self.partner_state,
            "followup_id": self.followup_id,
            "resolved_by": self.resolved_by,
            "resolved_at": _iso(self.resolved_at),
            "resolution_note": self.resolution_note,
        }


def checked_colour(value: str) -> str:
    """A colour an analyst may give a link; ``InvalidInput`` naming ``colour`` otherwise.

    >>> checked_colour(" Red ")
    'red'
    """
    colour = (value or "").strip().lower()
    if colour not in RESOLVED_COLOURS:
        raise InvalidInput("colour", worded(N_("must be red, green or white")))
    return colour


def checked_listed_colour(value: str | None) -> str | None:
    """A colour to list links of (``None``: every colour); ``InvalidInput`` naming ``colour``.

    >>> checked_listed_colour("yellow"), checked_listed_colour(None)
    ('yellow', None)
    """
    if value is None or value == "":
        return None
    if value not in COLOURS:
        raise InvalidInput("colour", worded(N_("must be yellow, red, green or white")))
    return value
