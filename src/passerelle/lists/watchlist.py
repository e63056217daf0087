"""The node's watchlist as a name screener: an in-memory index kept close to the store.

Building the index reads every active person (a million take one to three
minutes of one CPU), so it is built once, on first use, and rebuilt only when it no
longer reflects the store: when the watchlist changed (persons added, updated
or withdrawn, through this host or any other host of the node: the table's
change counter moved, ``passerelle.store.changes``) or the day changed (a person
whose ``valid_until`` passed drops out). The counter is one primary-key read,
so the store is asked every ``max_age_s`` seconds (one by default), in a
background thread; a rebuild runs in that thread too, while the previous index
answers. The index is kept out of the cyclic garbage collector's walks
(``gc.freeze``). A watchlist load or change may call :meth:`StoreWatchlist.refresh`
so that a newly listed person is screened from the next inspection on.

Given an :class:`~passerelle.lists.index_cache.IndexCache` (the server
passes ``HOME/cache``), a build first looks for the index saved for the same
watchlist state: the server's workers build it once between them, and a
restart loads it in seconds.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select

from passerelle.lists.index_cache import IndexCache
from passerelle.names import NameMatch, NameQuery, ScreeningIndex
from passerelle.node import Node
from passerelle.store.changes import WATCHLIST_TABLES, change_marks
from passerelle.store.tables import WatchlistPerson
from passerelle.store.watchlist import WatchlistRegistry

__all__ = ["StoreWatchlist", "WatchlistState"]

log = logging.getLogger(__name__)


class WatchlistState(NamedTuple):
    """What the index was built from: the day (validity) and the table's change counter."""

    day: date
    changes: int


class StoreWatchlist:
    """Name screening over the node's active watchlist (``passerelle.names.ScreeningIndex``).

    ``max_age_s``: how often, at most, the store is asked whether the watchlist
    changed (``None``: never; only :meth:`refresh` rebuilds).
    """

    def __init__(
        self, node: Node, *, max_age_s: float | None = 1.0, cache: IndexCache | None = None
    ) -> None:
        self._node = node
        self._max_age_s = max_age_s
        self._cache = cache
        self._index: ScreeningIndex | None = None
        self._state: WatchlistState | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._checking = False

    def refresh(self) -> None:
        """Rebuild the index from the store now (as of the node's today)."""
        with self._build_lock:
            self._build()

    def state(self) -> WatchlistState:
        """The store's watchlist now: today, and the table's change counter."""
        with self._node.database.read() as session:
            (changes,) = change_marks(session, WATCHLIST_TABLES)
        return WatchlistState(self._node.clock().date(), changes)

    def _contents(self) -> tuple[int, datetime | None]:
        """The person count and latest change (a scan: at a build only), so that a saved index
        is not taken for another watchlist that reached the same change counter (a database
        restored from a backup, then written)."""
        with self._node.database.read() as session:
            persons, updated_at = session.execute(
                select(func.count(), func.max(WatchlistPerson.updated_at)).select_from(
                    WatchlistPerson
                )
            ).one()
        return int(persons), updated_at

    def _build(self) -> ScreeningIndex:
        """Build and install a new index (the caller holds the build lock)."""
        state = self.state()  # before reading: a change meanwhile is seen at the next check
        started = time.monotonic()

        def read() -> ScreeningIndex:
            with self._node.database.read() as session:
                return ScreeningIndex.build(WatchlistRegistry().screened(session, state.day))

        if self._cache is None:
            index = read()
        else:  # built once for every worker, and kept across restarts
            key = (self._node.database.safe_url, state, self._contents())
            index = self._cache.load_or_build(key, read)
        with self._lock:
            self._index, self._state, self._checked_at = index, state, time.monotonic()
        # The index is millions of long-lived objects: without this, each full collection
        # of the cyclic garbage collector walks them all, holding the GIL for seconds (a
        # 5 s stall of every request in the worker, at a million persons). Frozen, they
        # are left out of collections; they are freed as usual when a rebuild drops them
        # (the index holds no reference cycles).
        gc.freeze()
        log.info(
            "watchlist.index_built",
            extra={"persons": len(index), "seconds": round(time.monotonic() - started, 2)},
        )
        return index

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        """The persons ``query`` may be, best first (``ScreeningIndex.screen``)."""
        return self._current().screen(query, top=top, threshold=threshold)

    def _current(self) -> ScreeningIndex:
        with self._lock:
            index, checked_at = self._index, self._checked_at
        if index is None:
            with self._build_lock:  # the first inspections wait for one build, not one each
                with self._lock:
                    index = self._index
                return index if index is not None else self._build()
        if self._max_age_s is not None and time.monotonic() - checked_at >= self._max_age_s:
            self._check_in_background()
        return index

    def _check_in_background(self) -> None:
        with self._lock:
            if self._checking:
                return
            self._checking = True
            self._checked_at = time.monotonic()  # one check at a time, and not one a request

        def check() -> None:
            try:
                with self._build_lock:
                    with self._lock:
                        built_from = self._state
                    if self.state() != built_from:
                        self._build()
            except Exception as exc:  # the old index keeps answering; try again next time
                log.warning("watchlist.index_rebuild_failed", extra={"error": type(exc).__name__})
            finally:
                with self._lock:
                    self._checking = False

        threading.Thread(target=check, name="watchlist-index", daemon=True).start()
