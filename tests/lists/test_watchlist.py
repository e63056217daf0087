"""The store's watchlist index: patched when the watchlist changes, rebuilt when the day does."""

from __future__ import annotations

import threading
import time

import pytest

from passerelle.lists.watchlist import StoreWatchlist
from passerelle.names import NameQuery
from passerelle.node import Node
from passerelle.store.watchlist import WatchlistRegistry
from tests.conftest import Clock
from tests.screening.test_inspector import add_person

SALMA = NameQuery("LAMRANI<<SALMA", "1990-04-21", "MAR", "F")


def counting(watchlist: StoreWatchlist, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    builds: list[int] = []
    build = watchlist._build

    def counted() -> object:
        builds.append(1)
        return build()

    monkeypatch.setattr(watchlist, "_build", counted)
    return builds


def screen_and_settle(watchlist: StoreWatchlist, query: NameQuery = SALMA) -> list[str]:
    """Screen (which may start a check), then wait for the check to end."""
    found = [m.id for m in watchlist.screen(query, threshold=0.5)]
    deadline = time.monotonic() + 10
    while any(t.name == "watchlist-index" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the check did not end"
        time.sleep(0.01)
    return found


def test_an_unchanged_watchlist_is_not_rebuilt(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    watchlist = StoreWatchlist(node, max_age_s=0.0)
    builds = counting(watchlist, monkeypatch)
    for _ in range(5):
        screen_and_settle(watchlist)
    assert len(builds) == 1


def test_a_listed_person_is_screened_after_the_next_check(
    node: Node, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    watchlist = StoreWatchlist(node, max_age_s=0.0)
    builds = counting(watchlist, monkeypatch)
    assert "MAR-W-0003" not in screen_and_settle(watchlist)
    add_person(node, clock)
    screen_and_settle(watchlist)  # this one sees the change and patches the index

    assert "MAR-W-0003" in screen_and_settle(watchlist)
    assert len(builds) == 1  # patched, not rebuilt
    assert watchlist.delta_persons() == 1


def test_a_withdrawn_person_is_no_longer_screened(
    node: Node, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_person(node, clock)
    watchlist = StoreWatchlist(node, max_age_s=0.0)
    assert "MAR-W-0003" in screen_and_settle(watchlist)
    clock.advance(minutes=1)
    with node.database.write() as session:
        WatchlistRegistry().withdraw(session, "MAR-W-0003", clock(), "listed in error")
    screen_and_settle(watchlist)

    assert "MAR-W-0003" not in screen_and_settle(watchlist)


def test_a_new_day_rebuilds_the_index(
    node: Node, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    watchlist = StoreWatchlist(node, max_age_s=0.0)
    builds = counting(watchlist, monkeypatch)
    screen_and_settle(watchlist)
    clock.advance(days=1)
    screen_and_settle(watchlist)

    assert len(builds) == 2


def test_the_store_is_asked_at_most_every_max_age_s(
    node: Node, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    watchlist = StoreWatchlist(node, max_age_s=3600.0)
    builds = counting(watchlist, monkeypatch)
    screen_and_settle(watchlist)
    add_person(node, clock)

    assert "MAR-W-0003" not in screen_and_settle(watchlist)  # not asked yet
    assert len(builds) == 1
    watchlist.refresh()
    assert "MAR-W-0003" in screen_and_settle(watchlist)


def test_the_index_is_left_out_of_garbage_collections(node: Node) -> None:
    import gc

    gc.unfreeze()
    watchlist = StoreWatchlist(node, max_age_s=None)
    watchlist.refresh()
    try:
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
