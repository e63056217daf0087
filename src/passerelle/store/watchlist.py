"""The watchlist: persons issued by a state's authority, with their names in any script.

A person is identified by the ``id`` its issuer gave it. Loading a watchlist
file (docs/operator-guide.md, "Watchlist file") is idempotent on that id: a new id inserts
the person, the same content again changes nothing (the entry's
``content_hash`` is compared), and different content updates the person, sets
``updated_at`` and keeps ``created_at``. A person's names (NFC, white space
folded: see :mod:`passerelle.records.watchlist`) are stored with it, in the
order the issuer gave them; name screening indexes them in memory.

Withdrawal is final for loads: a withdrawn person is never re-activated by a
file, whatever that file says; such a line counts as *unchanged* and the stored
record keeps the content it had when it was withdrawn.

Changes are audited by the caller, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeAlias, cast

from sqlalchemy import Row, Select, Table, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.names.columns import PersonLike
from passerelle.records.watchlist import (
    WATCHLIST_CATEGORIES,
    WatchlistEntry,
    normalise_name,
    read_entry_cleaned,
)
from passerelle.store.bulk import insert_rows, sqlite_timestamp
from passerelle.store.db import json_text
from passerelle.store.loading import BatchOutcome
from passerelle.store.tables import WatchlistPerson

__all__ = [
    "WATCHLIST_CATEGORIES",
    "ScreenedRow",
    "WatchlistEntry",
    "WatchlistPersonView",
    "WatchlistRegistry",
    "normalise_name",
    "stored_persons_statement",
]

_MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class WatchlistPersonView:
    """A stored watchlist person, as the CLI, the API and screening see it."""

    id: str
    names: tuple[str, ...]
    birth_date: str | None
    birth_year: int | None
    nationalities: tuple[str, ...]
    sex: str | None
    category: str
    issued_by: str
    valid_until: date | None
    status: str
    content_hash: str
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    shareable: bool = True
    """False keeps the person home: never disclosed to a partner node."""
    restricted_matter: str | None = None
    """Political, military, religious or racial: never disclosed to a partner node."""

    def as_dict(self) -> dict[str, Any]:
        """The person as JSON-ready values (dates and times in ISO 8601)."""
        return {
            "id": self.id,
            "names": list(self.names),
            "birth_date": self.birth_date,
            "nationalities": list(self.nationalities),
            "sex": self.sex,
            "category": self.category,
            "issued_by": self.issued_by,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "status": self.status,
            "content_hash": self.content_hash,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
            "shareable": self.shareable,
            "restricted_matter": self.restricted_matter,
        }


_VIEW_FIELDS = tuple(f.name for f in fields(WatchlistPersonView))


def _view(person: WatchlistPerson | Row[Any]) -> WatchlistPersonView:
    """The view of a stored person (an ORM object or a row of the view's columns)."""
    values = {name: getattr(person, name) for name in _VIEW_FIELDS}
    values["names"], values["nationalities"] = tuple(person.names), tuple(person.nationalities)
    return WatchlistPersonView(**values)


class WatchlistRegistry:
    """The node's watchlist of persons (wanted, travel ban, missing, alert)."""

    kind = "watchlist"
    key_field = "id"

    def __init__(self) -> None:
        self.cleaned_lines = 0
        """Lines whose names lost direction or zero-width characters (see ``parse``)."""
        self.begin_load()

    def begin_load(self) -> None:
        """Forget the previous load: what it inserted is now simply stored persons."""
        self._inserted = 0  # persons this registry object inserted in this load
        self._analyzed_at = 0
        self._counted_in: object = None  # the transaction that last counted the persons
        self._all_ours = False

    # -- the loader's Registry protocol ---------------------------------------------------

    def parse(self, record: dict[str, Any]) -> WatchlistEntry:
        """One person from a JSON object; raises ``InvalidInput(field, reason)``. A name's
        direction controls and zero-width characters are removed, the line counted."""
        entry, cleaned = read_entry_cleaned(record)
        if cleaned:
            self.cleaned_lines += 1
        return entry

    def key(self, entry: WatchlistEntry) -> Hashable:
        """The person's identity: the issuer's id."""
        return entry.id

    def fingerprint(self, entry: WatchlistEntry) -> Hashable:
        """The person's content, as its hash."""
        return entry.content_hash

    def apply(self, session: Session, entries: list[WatchlistEntry], now: datetime) -> BatchOutcome:
        """Insert new persons, update changed ones, leave repeats and withdrawn ones alone.

        ``entries`` must name each id once (the loader guarantees it). A withdrawn
        person is reported unchanged, whatever the line says.
        """
        if len({entry.id for entry in entries}) != len(entries):
            raise InvalidInput("id", worded(N_("a batch names the same person twice")))
        transaction = session.get_transaction()
        if transaction is not self._counted_in:  # once per transaction: others may write between
            persons_now = session.scalar(select(func.count()).select_from(WatchlistPerson)) or 0
            # Every stored person came from this load (or none is stored), and the
            # loader keeps a file's ids distinct: nothing to compare.
            self._all_ours = persons_now == self._inserted
            self._counted_in = transaction
        stored: dict[str, tuple[str, str]] = (
            {} if self._all_ours else self._stored(session, [entry.id for entry in entries])
        )
        sqlite = session.connection().dialect.name == "sqlite"
        stamp: Any = sqlite_timestamp(now) if sqlite else now
        new: list[tuple[Any, ...]] = []
        changed: list[dict[str, Any]] = []
        unchanged = 0
        for entry in entries:
            found = stored.get(entry.id) if stored else None
            if found is None:
                new.append(_new_person_row(entry, stamp, sqlite))
            elif found[1] != "active" or found[0] == entry.content_hash:
                unchanged += 1
            else:
                changed.append(_content(entry, now))
        if changed:
            session.execute(update(WatchlistPerson), changed)
        insert_rows(session, _PERSONS, _PERSON_COLUMNS, new, sqlite_ready=sqlite)
        self._inserted += len(new)
        if not sqlite and self._inserted >= max(1000, 2 * self._analyzed_at):
            # keep the planner's row estimates up with a table growing under a load
            session.execute(text("ANALYZE watchlist_persons"))
            self._analyzed_at = self._inserted
        return BatchOutcome(accepted=len(new) + len(changed), unchanged=unchanged)

    def _stored(self, session: Session, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(content hash, status) of the stored persons among ``ids``."""
        found: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            rows = session.execute(stored_persons_statement(chunk))
            for row in rows:
                found[row.id] = (row.content_hash, row.status)
        return found

    # -- single-person operations (the CLI and the API) -----------------------------------

    def get(self, session: Session, person_id: str) -> WatchlistPersonView | None:
        """The stored person with this id (active or withdrawn), or None."""
        person = session.get(WatchlistPerson, person_id.strip())
        return _view(person) if person is not None else None

    def add(self, session: Session, entry: WatchlistEntry, now: datetime) -> WatchlistPersonView:
        """Put a new person on the watchlist; refuses an id already stored (even withdrawn)."""
        existing = session.get(WatchlistPerson, entry.id)
        if existing is not None:
            raise InvalidInput(
                "id",
                worded(
                    N_(
                        "%(id)s is already on the watchlist (%(status)s); use `passerelle"
                        " watchlist update` to change it"
                    ),
                    id=repr(entry.id),
                    status=existing.status,
                ),
            )
        person = WatchlistPerson(
            **_content(entry, now),
            status="active",
            created_at=now,
            withdrawn_at=None,
        )
        session.add(person)
        try:
            session.flush()
        except IntegrityError as exc:
            raise InvalidInput(
                "id", worded(N_("%(id)s was added at the same time"), id=repr(entry.id))
            ) from exc
        return _view(person)

    def update(self, session: Session, entry: WatchlistEntry, now: datetime) -> WatchlistPersonView:
        """Replace an active person's content (names included); the same content changes nothing.

        Refuses an unknown id, and a withdrawn person (withdrawal is final).
        """
        person = session.get(WatchlistPerson, entry.id, with_for_update=True)
        if person is None:
            raise InvalidInput(
                "id", worded(N_("no watchlist person has id %(id)s"), id=repr(entry.id))
            )
        if person.status != "active":
            raise InvalidInput(
                "id", worded(N_("%(id)s was withdrawn and cannot be updated"), id=repr(entry.id))
            )
        if person.content_hash == entry.content_hash:
            return _view(person)
        for name, value in _content(entry, now).items():
            setattr(person, name, value)
        session.flush()
        return _view(person)

    def withdraw(
        self, session: Session, person_id: str, now: datetime, reason: str
    ) -> WatchlistPersonView:
        """Take a person off the active watchlist (status ``withdrawn``, ``withdrawn_at``).

        The record is kept (retention removes it later); ``reason`` is checked here
        and belongs in the caller's audit record, the table has no column for it.
        Refuses an unknown id and a person already withdrawn.
        """
        if not reason.strip():
            raise InvalidInput("reason", worded(N_("must say why the person is withdrawn")))
        if len(reason) > _MAX_REASON:
            raise InvalidInput(
                "reason",
                worded(N_("is longer than %(most)s characters"), most=_MAX_REASON),
            )
        person = session.get(WatchlistPerson, person_id.strip(), with_for_update=True)
        if person is None:
            raise InvalidInput(
                "id",
                worded(N_("no watchlist person has id %(value)s"), value=repr(person_id.strip())),
            )
        if person.status == "withdrawn":
            when = person.withdrawn_at.isoformat() if person.withdrawn_at else "earlier"
            raise InvalidInput(
                "id",
                worded(
                    N_("%(id)s was already withdrawn (%(when)s)"), id=repr(person.id), when=when
                ),
            )
        person.status, person.withdrawn_at, person.updated_at = "withdrawn", now, now
        session.flush()
        return _view(person)

    def active(self, session: Session, as_of: date) -> Iterator[WatchlistPersonView]:
        """Every active person still valid on ``as_of`` (``valid_until`` is inclusive), by id."""
        columns = [getattr(WatchlistPerson, name) for name in _VIEW_FIELDS]
        rows = session.execute(
            select(*columns)
            .where(
                WatchlistPerson.status == "active",
                or_(WatchlistPerson.valid_until.is_(None), WatchlistPerson.valid_until >= as_of),
            )
            .order_by(WatchlistPerson.id)
            .execution_options(yield_per=2000)
        )
        for row in rows:
            yield _view(row)

    def screened(self, session: Session, as_of: date) -> Iterator[ScreenedRow]:
        """What name screening reads of every active person valid on ``as_of``: the
        columns it needs only, streamed (a server-side cursor on PostgreSQL), by id."""
        rows = session.execute(
            select(
                WatchlistPerson.id,
                WatchlistPerson.names,
                WatchlistPerson.birth_date,
                WatchlistPerson.nationalities,
                WatchlistPerson.sex,
            )
            .where(
                WatchlistPerson.status == "active",
                or_(WatchlistPerson.valid_until.is_(None), WatchlistPerson.valid_until >= as_of),
            )
            .order_by(WatchlistPerson.id)
            .execution_options(yield_per=10_000)
        )
        return cast(Iterator[ScreenedRow], iter(rows))


ScreenedRow: TypeAlias = PersonLike
"""A row of :meth:`WatchlistRegistry.screened`: what screening reads of a person."""


_PERSONS: Table = WatchlistPerson.__table__  # type: ignore[assignment]
_PERSON_COLUMNS = (
    "id",
    "names",
    "birth_date",
    "birth_year",
    "nationalities",
    "sex",
    "category",
    "issued_by",
    "valid_until",
    "status",
    "content_hash",
    "created_at",
    "updated_at",
    "shareable",
    "restricted_matter",
)


def stored_persons_statement(ids: Sequence[str]) -> Select[str, str, str]:
    """The load's duplicate check: id, content hash and status of the persons among ``ids``,
    found through the primary key (one index search per id on both backends)."""
    return select(WatchlistPerson.id, WatchlistPerson.content_hash, WatchlistPerson.status).where(
        WatchlistPerson.id.in_(ids)
    )


def _new_person_row(entry: WatchlistEntry, stamp: Any, sqlite: bool) -> tuple[Any, ...]:
    """A new person's row for a bulk insert (JSON columns as text; on SQLite dates too)."""
    valid_until: Any = entry.valid_until
    if sqlite and valid_until is not None:
        valid_until = valid_until.isoformat()
    return (
        entry.id,
        json_text(entry.names),
        entry.birth_date,
        entry.birth_year,
        json_text(entry.nationalities),
        entry.sex,
        entry.category,
        entry.issued_by,
        valid_until,
        "active",
        entry.content_hash,
        stamp,
        stamp,
        entry.shareable,
        entry.restricted_matter,
    )


def _content(entry: WatchlistEntry, now: datetime) -> dict[str, Any]:
    """The person's columns that a load or an update writes."""
    return {
        "id": entry.id,
        "names": list(entry.names),
        "birth_date": entry.birth_date,
        "birth_year": entry.birth_year,
        "nationalities": list(entry.nationalities),
        "sex": entry.sex,
        "category": entry.category,
        "issued_by": entry.issued_by,
        "valid_until": entry.valid_until,
        "content_hash": entry.content_hash,
        "shareable": entry.shareable,
        "restricted_matter": entry.restricted_matter,
        "updated_at": now,
    }


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
