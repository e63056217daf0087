"""The change counters move with every committed write to a watched table, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, update

from passerelle.store.changes import ALERT_TABLES, WATCHLIST_TABLES, change_marks
from passerelle.store.db import Database
from passerelle.store.tables import StoreChange, WatchlistPerson

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _person(number: int) -> WatchlistPerson:
    return WatchlistPerson(
        id=f"MAR-W-{number:04d}",
        names=["Salma Lamrani"],
        nationalities=["MAR"],
        category="missing",
        issued_by="MAR",
        status="active",
        content_hash="0" * 64,
        created_at=NOW,
        updated_at=NOW,
    )


def _watchlist_mark(database: Database) -> int:
    with database.read() as session:
        return change_marks(session, WATCHLIST_TABLES)[0]


def test_a_table_without_a_counter_row_reads_zero(database: Database) -> None:
    with database.write() as session:
        session.execute(delete(StoreChange))
    with database.read() as session:
        assert change_marks(session, ALERT_TABLES) == (0, 0)


def test_inserts_updates_and_deletes_each_move_the_counter(database: Database) -> None:
    marks = [_watchlist_mark(database)]
    with database.write() as session:
        session.add_all([_person(1), _person(2)])
    marks.append(_watchlist_mark(database))
    with database.write() as session:
        session.execute(update(WatchlistPerson).values(status="withdrawn"))
    marks.append(_watchlist_mark(database))
    with database.write() as session:
        session.execute(delete(WatchlistPerson))
    marks.append(_watchlist_mark(database))
    assert marks == sorted(set(marks))  # each step moved it forward


def test_a_rolled_back_write_leaves_the_counter_where_it_was(database: Database) -> None:
    before = _watchlist_mark(database)

    def give_up() -> None:
        with database.write() as session:
            session.add(_person(3))
            session.flush()
            raise RuntimeError("the writer gives up")

    with pytest.raises(RuntimeError):
        give_up()
    assert _watchlist_mark(database) == before


def test_the_counters_of_other_tables_do_not_move(database: Database) -> None:
    with database.read() as session:
        before = change_marks(session, ALERT_TABLES)
    with database.write() as session:
        session.add(_person(4))
    with database.read() as session:
        assert change_marks(session, ALERT_TABLES) == before
