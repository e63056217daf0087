"""The node's watchlist as a name screener: an in-memory index kept close to the store.

Building the index reads every active person (a million take seconds), so it
is built once, on first use, and rebuilt in a background thread when it is
older than ``max_age_s``: meanwhile the previous index answers. A watchlist
load or change should call :meth:`StoreWatchlist.refresh` so that a newly
listed person is screened from the next inspection on.
"""

from __future__ import annotations

import logging
import threading
import time

from passerelle.names import NameMatch, NameQuery, ScreeningIndex
from passerelle.node import Node
from passerelle.store.watchlist import WatchlistRegistry

__all__ = ["StoreWatchlist"]

log = logging.getLogger(__name__)


class StoreWatchlist:
    """Name screening over the node's active watchlist (``passerelle.names.ScreeningIndex``)."""

    def __init__(self, node: Node, *, max_age_s: float | None = 300.0) -> None:
        self._node = node
        self._max_age_s = max_age_s
        self._index: ScreeningIndex | None = None
        self._built_at = 0.0
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._rebuilding = False

    def refresh(self) -> None:
        """Rebuild the index from the store now (as of the node's today)."""
        with self._build_lock:
            self._build()

    def _build(self) -> ScreeningIndex:
        """Build and install a new index (the caller holds the build lock)."""
        with self._node.database.read() as session:
            index = ScreeningIndex.build(
                WatchlistRegistry().active(session, self._node.clock().date())
            )
        with self._lock:
            self._index, self._built_at = index, time.monotonic()
        log.info("watchlist.index_built", extra={"persons": len(index)})
        return index

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        """The persons ``query`` may be, best first (``ScreeningIndex.screen``)."""
        return self._current().screen(query, top=top, threshold=threshold)

    def _current(self) -> ScreeningIndex:
        with self._lock:
            index, built_at = self._index, self._built_at
        if index is None:
            with self._build_lock:  # the first inspections wait for one build, not one each
                with self._lock:
                    index = self._index
                return index if index is not None else self._build()
        if self._max_age_s is not None and time.monotonic() - built_at > self._max_age_s:
            self._rebuild_in_background()
        return index

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._rebuilding:
                return
            self._rebuilding = True

        def rebuild() -> None:
            try:
                self.refresh()
            except Exception as exc:  # the old index keeps answering; try again next time
                log.warning("watchlist.index_rebuild_failed", extra={"error": type(exc).__name__})
            finally:
                with self._lock:
                    self._rebuilding = False

        threading.Thread(target=rebuild, name="watchlist-index", daemon=True).start()
