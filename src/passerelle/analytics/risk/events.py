"""The crossings the pattern rules read: one query each, bounded by the period, in order.

A rule walks the crossings once, in the order its query gives (a streaming pass:
no crossing is compared with more than its neighbours and the rule's window):

- :func:`crossings_by_document`: the crossings of every document crossing at least
  twice in the period (those once alone can form no pattern), by document then time;
- :func:`crossings_by_state`: every crossing of the period by issuing state then time.

A crossing point or nationality in the query keeps the documents that crossed there or
hold it; their other crossings of the period are read too (a double use needs both ends).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Executable, and_, func, select, tuple_
from sqlalchemy.orm import Session

from passerelle.analytics._sql import count_where, in_period
from passerelle.analytics.risk.query import RiskQuery
from passerelle.store.tables import Crossing

__all__ = ["CrossingEvent", "crossings_by_document", "crossings_by_state"]

_BATCH = 2000


@dataclass(frozen=True, slots=True)
class CrossingEvent:
    """One crossing as the rules see it (and a finding lists it)."""

    id: int
    issuing_state: str
    document_number: str
    nationality: str | None
    crossing_point: str
    direction: str
    at: datetime

    @property
    def document(self) -> tuple[str, str]:
        return (self.issuing_state, self.document_number)

    def as_dict(self) -> dict[str, Any]:
        return {
            "crossing_id": self.id,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "crossing_point": self.crossing_point,
            "direction": self.direction,
            "at": self.at.isoformat(),
        }


_COLUMNS = (
    Crossing.id,
    Crossing.issuing_state,
    Crossing.document_number,
    Crossing.nationality,
    Crossing.crossing_point,
    Crossing.direction,
    Crossing.at,
)


def _stream(session: Session, statement: Executable) -> Iterator[CrossingEvent]:
    for row in session.execute(statement.execution_options(yield_per=_BATCH)):
        yield CrossingEvent(*row)


def _period(query: RiskQuery) -> list[ColumnElement[bool]]:
    return in_period(query.period, Crossing.at)


def crossings_by_document(session: Session, query: RiskQuery) -> Iterator[CrossingEvent]:
    """The crossings of the documents crossing twice or more in the period, by document, time."""
    document = (Crossing.issuing_state, Crossing.document_number)
    wanted = select(*document).where(*_period(query)).group_by(*document)
    having = [func.count() >= 2]
    if query.period.crossing_point is not None:
        having.append(count_where(Crossing.crossing_point == query.period.crossing_point) > 0)
    if query.nationality is not None:
        having.append(count_where(Crossing.nationality == query.nationality) > 0)
    twice = wanted.having(and_(*having))
    statement = (
        select(*_COLUMNS)
        .where(*_period(query), tuple_(*document).in_(twice))
        .order_by(*document, Crossing.at, Crossing.id)
    )
    return _stream(session, statement)


def crossings_by_state(session: Session, query: RiskQuery) -> Iterator[CrossingEvent]:
    """Every crossing of the period (of the query's nationality), by issuing state, then time."""
    conditions = _period(query)
    if query.nationality is not None:
        conditions.append(Crossing.nationality == query.nationality)
    statement = (
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(Crossing.issuing_state, Crossing.at, Crossing.id)
    )
    return _stream(session, statement)
