"""What changed on the watchlist since a watermark, by the rows' revisions (migration 0037).

Every insert or update of a person stamps its row with the watchlist's change
counter, in the writing transaction, so that writers stamp in their commit order
(:mod:`passerelle.store.changes`). A host that read the counter ``mark`` *before*
reading anything else has seen every row written since when it later reads the
rows whose ``revision >= mark``, whatever clock the writing host had: the time a
row says it was written plays no part. Both reads use
``ix_watchlist_persons_revision``.

A row deleted (retention removes persons withdrawn or expired long ago) leaves
no revision: only persons no index still holds are deleted that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Protocol, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from passerelle.names.columns import PersonLike
from passerelle.store.changes import WATCHLIST_TABLES, change_marks
from passerelle.store.tables import WatchlistPerson

__all__ = ["ChangedPerson", "changed_count", "changed_persons", "watchlist_mark"]


class ChangedPerson(PersonLike, Protocol):
    """A person written since a watermark: what screening reads, and whether it still may."""

    @property
    def status(self) -> str: ...
    @property
    def valid_until(self) -> date | None: ...


def watchlist_mark(session: Session) -> int:
    """The watchlist's change counter now (read it before the rows it is a watermark of)."""
    (mark,) = change_marks(session, WATCHLIST_TABLES)
    return mark


def changed_count(session: Session, since: int, most: int) -> int:
    """How many persons were written at ``since`` or later, counted up to ``most + 1``."""
    written = (
        select(WatchlistPerson.id).where(WatchlistPerson.revision >= since).limit(most + 1)
    ).subquery()
    return int(session.scalar(select(func.count()).select_from(written)) or 0)


def changed_persons(session: Session, since: int) -> Iterator[ChangedPerson]:
    """The persons written at ``since`` or later (any status), by id."""
    rows = session.execute(
        select(
            WatchlistPerson.id,
            WatchlistPerson.names,
            WatchlistPerson.birth_date,
            WatchlistPerson.nationalities,
            WatchlistPerson.sex,
            WatchlistPerson.status,
            WatchlistPerson.valid_until,
        )
        .where(WatchlistPerson.revision >= since)
        .order_by(WatchlistPerson.id)
    )
    return cast(Iterator[ChangedPerson], iter(rows))
