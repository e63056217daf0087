"""A document's recorded crossings and the days of stay its holder used and has left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, tzinfo

from passerelle.access import Permission
from passerelle.node import Node
from passerelle.services.common import AuditAction, checked_purpose, permitted
from passerelle.stay import StayAssessment, assess_stay
from passerelle.store.audit import Actor
from passerelle.store.crossings import CrossingView, crossings_of
from passerelle.store.stay_rules import RuleInForce, rule_for

__all__ = ["StayAnswer", "StaySearches"]


@dataclass(frozen=True, slots=True)
class StayAnswer:
    """The document searched, its crossings (oldest first), the rule applied and the count."""

    issuing_state: str
    document_number: str
    as_of: date
    crossings: tuple[CrossingView, ...]
    rule: RuleInForce
    stay: StayAssessment


class StaySearches:
    """The stay rule applied to a document's recorded crossings (``stay.search``)."""

    def __init__(self, node: Node) -> None:
        self.node = node

    def crossings(
        self, actor: Actor, purpose: str, issuing_state: str, document_number: str
    ) -> list[CrossingView]:
        """A document's recorded crossings, oldest first (``crossing.search``)."""
        permitted(actor, Permission.INSPECT, Permission.REVIEW_HITS)
        why = checked_purpose(purpose)
        state, number = issuing_state.strip().upper(), document_number.strip().upper()
        node = self.node
        with node.database.write() as session:
            found = crossings_of(session, state, number)
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.CROSSING_SEARCH,
                purpose=why,
                at=node.clock(),
                query={"issuing_state": state, "document_number": number},
                result={"crossings": [c.id for c in found]},
            )
        return found

    def assess(
        self,
        actor: Actor,
        purpose: str,
        issuing_state: str,
        document_number: str,
        *,
        as_of: date | None = None,
        nationality: str | None = None,
        tz: tzinfo = UTC,
    ) -> StayAnswer:
        """Days used and left on ``as_of`` (today in ``tz`` by default) under the rule of
        ``nationality``, else of the nationality recorded at the last crossing."""
        permitted(actor, Permission.INSPECT, Permission.REVIEW_HITS)
        why = checked_purpose(purpose)
        state, number = issuing_state.strip().upper(), document_number.strip().upper()
        node = self.node
        with node.database.write() as session:
            now = node.clock()
            day = as_of or now.astimezone(tz).date()
            found = tuple(crossings_of(session, state, number))
            recorded = [c.nationality for c in found if c.nationality]
            rule = rule_for(session, nationality or (recorded[-1] if recorded else None))
            stay = assess_stay([c.movement for c in found], as_of=day, limit=rule.limit, tz=tz)
            node.audit.record(
                session,
                actor=actor,
                action=AuditAction.STAY_SEARCH,
                purpose=why,
                at=now,
                query={"issuing_state": state, "document_number": number, "as_of": day.isoformat()},
                result={
                    "crossings": [c.id for c in found],
                    "days_used": stay.days_used,
                    "overstay_days": stay.overstay_days,
                },
            )
        return StayAnswer(state, number, day, found, rule, stay)
