"""Screening names against the watchlist and reading its entries, audited once per search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from passerelle.access import Permission
from passerelle.exc import InvalidInput
from passerelle.names import DEFAULT_THRESHOLD, NameMatch, NameQuery
from passerelle.node import Node
from passerelle.records.fields import RESTRICTED_MATTERS
from passerelle.records.watchlist import WatchlistEntry, read_entry
from passerelle.screening.components import NameScreener
from passerelle.services.common import AuditAction, WatchlistAction, checked_purpose, permitted
from passerelle.services.lookups import audited_lookup
from passerelle.store.audit import Actor
from passerelle.store.inspections import InspectionRepository
from passerelle.store.watchlist import WatchlistPersonView, WatchlistRegistry

__all__ = ["WatchlistKeeping", "WatchlistMatch", "WatchlistSearches"]


@dataclass(frozen=True, slots=True)
class WatchlistMatch:
    """A watchlist person a name may be, with the false positives its entry gave so far."""

    match: NameMatch
    false_positives: int

    @property
    def hit(self) -> bool:
        """At or above the engine's default threshold: the score at which the border check
        would alert on this person."""
        return self.match.score >= DEFAULT_THRESHOLD

    def as_dict(self) -> dict[str, Any]:
        match = self.match
        return {
            "id": match.id,
            "name": match.name,
            "score": round(match.score, 4),
            "would_alert": self.hit,
            "reasons": list(match.reasons),
            "false_positives": self.false_positives,
        }


class WatchlistSearches:
    """Name screening (Arabic script and Latin spellings) and entry look-ups on the watchlist."""

    def __init__(self, node: Node, screener: NameScreener) -> None:
        self.node = node
        self.screener = screener
        self.registry = WatchlistRegistry()
        self.reviews = InspectionRepository(node.audit)

    def screen(
        self,
        actor: Actor,
        purpose: str,
        query: NameQuery,
        *,
        top: int = 10,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> list[WatchlistMatch]:
        """The persons ``query`` may be, best first, with reasons (``watchlist.search``).

        A search is not a border alert: with ``threshold=0`` it lists every candidate
        the index finds for the name, ranked, and :attr:`WatchlistMatch.hit` only marks
        the ones the border check would alert on.
        """
        permitted(actor, Permission.SEARCH_WATCHLIST)
        why = checked_purpose(purpose)
        matches = self.screener.screen(query, top=top, threshold=threshold)
        node = self.node
        with node.database.write() as session:
            counts = self.reviews.false_positive_counts(session, [m.id for m in matches])
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.WATCHLIST_SEARCH,
                purpose=why,
                at=node.clock(),
                query={**_asked(query), "top": top, "threshold": threshold},
                result={"ids": [m.id for m in matches]},
            )
        return [WatchlistMatch(m, counts.get(m.id, 0)) for m in matches]

    def screen_batch(
        self,
        actor: Actor,
        purpose: str,
        queries: Sequence[tuple[str, NameQuery]],
        *,
        source: Mapping[str, Any],
        top: int = 10,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> list[tuple[str, list[NameMatch]]]:
        """Each query's matches (by query id), audited once for the batch (``watchlist.search``;
        ``source`` says where the queries came from: a file and its digest)."""
        permitted(actor, Permission.SEARCH_WATCHLIST)
        why = checked_purpose(purpose)
        results = [
            (qid, self.screener.screen(query, top=top, threshold=threshold))
            for qid, query in queries
        ]
        node = self.node
        with node.database.write() as session:
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.WATCHLIST_SEARCH,
                purpose=why,
                at=node.clock(),
                query={"batch": dict(source), "top": top, "threshold": threshold},
                result={"ids": {qid: [m.id for m in matches] for qid, matches in results}},
            )
        return results

    def person(
        self, actor: Actor, purpose: str, person_id: str
    ) -> tuple[WatchlistPersonView, int] | None:
        """One entry (active or withdrawn) and its false positives so far, or None
        (``watchlist.search``, recorded ``found`` or ``not_found``)."""
        with (
            audited_lookup(
                self.node,
                actor,
                AuditAction.WATCHLIST_SEARCH,
                permissions=(Permission.SEARCH_WATCHLIST,),
                purpose=purpose,
                query={"id": person_id.strip()},
            ) as lookup,
            self.node.database.write() as session,
        ):
            person = self.registry.get(session, person_id)
            if person is None:
                lookup.missing(session, {"ids": []})
                return None
            lookup.found(session, {"ids": [person.id]})
            counts = self.reviews.false_positive_counts(session, [person.id])
        return person, counts.get(person.id, 0)


class WatchlistKeeping:
    """Adding, changing and withdrawing one watchlist person by hand (bulk loads go through
    ``store.loading``), and setting its sharing flags, each audited (``watchlist.add``,
    ``.update``, ``.withdraw``, ``.sharing``)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.registry = WatchlistRegistry()

    def add(self, actor: Actor, entry: WatchlistEntry) -> WatchlistPersonView:
        """Put a new person on the watchlist; an id already stored is refused."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        node = self.node
        with node.database.write() as session:
            now = node.clock()
            person = self.registry.add(session, entry, now)
            node.audit.record(
                session,
                actor=actor,
                action=WatchlistAction.ADD,
                at=now,
                query={"id": person.id},
                result={"content_hash": person.content_hash},
            )
        return person

    def update(self, actor: Actor, entry: WatchlistEntry) -> WatchlistPersonView | None:
        """Replace a person's content (same id); None when no person has the id."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        node = self.node
        with node.database.write() as session:
            before = self.registry.get(session, entry.id)
            if before is None:
                return None
            now = node.clock()
            person = self.registry.update(session, entry, now)
            node.audit.record(
                session,
                actor=actor,
                action=WatchlistAction.UPDATE,
                at=now,
                query={"id": person.id},
                result={
                    "changed": person.content_hash != before.content_hash,
                    "content_hash": person.content_hash,
                },
            )
        return person

    def withdraw(self, actor: Actor, person_id: str, reason: str) -> WatchlistPersonView | None:
        """Take a person off the active watchlist, saying why; None when no person has the id."""
        permitted(actor, Permission.MANAGE_WATCHLIST)
        node = self.node
        with node.database.write() as session:
            if self.registry.get(session, person_id) is None:
                return None
            now = node.clock()
            person = self.registry.withdraw(session, person_id, now, reason)
            node.audit.record(
                session,
                actor=actor,
                action=WatchlistAction.WITHDRAW,
                purpose=reason.strip(),
                at=now,
                query={"id": person.id},
                result={"status": person.status},
            )
        return person

    def set_sharing(
        self,
        actor: Actor,
        person_id: str,
        *,
        shareable: bool,
        restricted_matter: str | None,
        reason: str,
    ) -> WatchlistPersonView | None:
        """Set whether a person may be disclosed to partners (``shareable``) and the restricted
        matter it concerns (never disclosed); None when no person has the id.

        Audited ``watchlist.sharing`` with the reason, the flags before and after; the
        next answer to a partner reads them (``federation.sharing.legal_basis``).
        """
        permitted(actor, Permission.MANAGE_WATCHLIST)
        why = reason.strip()
        if not why:
            raise InvalidInput("reason", "must say why the sharing changes")
        if len(why) > MAX_SHARING_REASON:
            raise InvalidInput("reason", f"is longer than {MAX_SHARING_REASON} characters")
        if restricted_matter is not None and restricted_matter not in RESTRICTED_MATTERS:
            choices = ", ".join(sorted(RESTRICTED_MATTERS))
            raise InvalidInput(
                "restricted_matter", f"{restricted_matter!r} is not one of {choices}"
            )
        node = self.node
        with node.database.write() as session:
            before = self.registry.get(session, person_id)
            if before is None:
                return None
            fields = {k: v for k, v in before.as_dict().items() if k in _ENTRY_FIELDS}
            entry = read_entry(
                fields | {"shareable": shareable, "restricted_matter": restricted_matter}
            )
            now = node.clock()
            person = self.registry.update(session, entry, now)
            node.audit.record(
                session,
                actor=actor,
                action=WatchlistAction.SHARING,
                purpose=why,
                at=now,
                query={"id": person.id},
                result={
                    "before": _sharing(before),
                    "after": _sharing(person),
                    "content_hash": person.content_hash,
                },
            )
        return person


MAX_SHARING_REASON = 1000

_ENTRY_FIELDS = frozenset(
    {"id", "names", "birth_date", "nationalities", "sex", "category", "issued_by", "valid_until"}
)
"""The view's fields a watchlist entry is read from (``records.watchlist.FIELDS``)."""


def _sharing(person: WatchlistPersonView) -> dict[str, Any]:
    return {"shareable": person.shareable, "restricted_matter": person.restricted_matter}


def _asked(query: NameQuery) -> dict[str, str | None]:
    return {
        "name": query.name,
        "birth_date": query.birth_date,
        "nationality": query.nationality,
        "sex": query.sex,
    }
