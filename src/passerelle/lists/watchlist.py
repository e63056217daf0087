"""The node's watchlist as a name screener: an in-memory index kept close to the store.

Building the index reads every active person (a million take one to three
minutes of one CPU, ten million about ten), so the whole index, the *base*, is
built once, on first use, and patched as the watchlist changes
(:class:`~passerelle.names.patched.PatchedIndex`): a person listed, updated or
withdrawn through this host or any other host of the node moves the table's
change counter (``passerelle.store.changes``) and stamps the row with it
(``passerelle.store.watchlist_revisions``). The counter is one primary-key read,
so the store is asked every ``max_age_s`` seconds (one by default), in a
background thread; when it moved, the rows written since the base's watermark
are read (an index search) and the small *delta* index of them is rebuilt: the
person is screened from the next check on, in a fraction of a second, however
large the list.

The base is rebuilt, in the background while base and delta keep answering, when
the persons written since it was built outnumber :class:`WatchlistPatching`'s
share of it or its most, or the day changed (a person whose ``valid_until``
passed drops out then). The indexes are kept out of the cyclic garbage
collector's walks (``gc.freeze``). A watchlist load or change may call
:meth:`StoreWatchlist.refresh` so that the index follows the store at once.

Given an :class:`~passerelle.lists.index_cache.IndexCache` (the server
passes ``HOME/cache``), a base build first looks for the index saved for the
same watchlist state: the server's workers build it once between them, and a
restart loads it in seconds.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select

from passerelle.exc import InvalidInput
from passerelle.lists.index_cache import IndexCache
from passerelle.names import NameMatch, NameQuery, ScreenedPerson, ScreeningIndex
from passerelle.names.patched import PatchedIndex
from passerelle.node import Node
from passerelle.store.tables import WatchlistPerson
from passerelle.store.watchlist import WatchlistRegistry
from passerelle.store.watchlist_revisions import changed_count, changed_persons, watchlist_mark

__all__ = ["StoreWatchlist", "WatchlistPatching", "WatchlistState"]

log = logging.getLogger(__name__)


class WatchlistState(NamedTuple):
    """What an index was built from: the day (validity) and the table's change counter."""

    day: date
    changes: int


@dataclass(frozen=True, slots=True)
class WatchlistPatching:
    """When the base index is rebuilt rather than patched: when the persons written since
    it was built are more than ``share`` of it, or more than ``most``
    (``PASSERELLE_WATCHLIST_DELTA_SHARE``, ``PASSERELLE_WATCHLIST_DELTA_MOST``)."""

    share: float = 0.01
    most: int = 5000

    def __post_init__(self) -> None:
        if not 0.0 < self.share <= 1.0:
            raise InvalidInput("watchlist_delta_share", "must be in (0, 1]")
        if self.most < 1:
            raise InvalidInput("watchlist_delta_most", "must be 1 or more")

    def limit(self, base_persons: int) -> int:
        """The most persons that patch a base of ``base_persons`` (at least one)."""
        return max(1, min(self.most, int(base_persons * self.share)))


class _Patch(NamedTuple):
    """The persons written since the base's watermark: the active ones, and every id."""

    persons: dict[str, ScreenedPerson]
    written: frozenset[str]


class StoreWatchlist:
    """Name screening over the node's active watchlist (``passerelle.names.ScreeningIndex``).

    ``max_age_s``: how often, at most, the store is asked whether the watchlist
    changed (``None``: never; only :meth:`refresh` follows it). ``patching``: when the
    base is rebuilt (default: the node's settings).
    """

    def __init__(
        self,
        node: Node,
        *,
        max_age_s: float | None = 1.0,
        cache: IndexCache | None = None,
        patching: WatchlistPatching | None = None,
    ) -> None:
        self._node = node
        self._max_age_s = max_age_s
        self._cache = cache
        self._patching = patching or WatchlistPatching(
            node.settings.watchlist_delta_share, node.settings.watchlist_delta_most
        )
        self._index: PatchedIndex | None = None
        self._base_state: WatchlistState | None = None  # the base's day and watermark
        self._seen = -1  # the change counter the patch was read at
        self._checked_at = 0.0
        self._lock = threading.Lock()  # the fields above
        self._patch_lock = threading.Lock()  # one patch (or first build) at a time
        self._base_lock = threading.Lock()  # one base build at a time
        self._checking = False
        self._rebuilding = False
        self.builds = 0
        """Base indexes this object built or loaded (the patches are not counted)."""

    def refresh(self) -> None:
        """Bring the index up to the store now (as of the node's today), in this thread."""
        with self._lock:
            built = self._index is not None
        if not built:
            self._current()
            return
        with self._patch_lock:
            rebuild = self._follow()
        if rebuild:
            self._rebuild_base()

    def state(self) -> WatchlistState:
        """The store's watchlist now: today, and the table's change counter."""
        with self._node.database.read() as session:
            changes = watchlist_mark(session)
        return WatchlistState(self._node.clock().date(), changes)

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        """The persons ``query`` may be, best first (``ScreeningIndex.screen``)."""
        return self._current().screen(query, top=top, threshold=threshold)

    def delta_persons(self) -> int:
        """Persons in the index's patch (written since its base was built)."""
        with self._lock:
            return 0 if self._index is None else len(self._index)

    # -- building, patching -----------------------------------------------------------------

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

    def _build(self) -> tuple[ScreeningIndex, WatchlistState]:
        """A base index of the whole active watchlist, and the state it was read at."""
        state = self.state()  # before reading: what is written meanwhile is read again later
        started = time.monotonic()

        def read() -> ScreeningIndex:
            with self._node.database.read() as session:
                return ScreeningIndex.build(WatchlistRegistry().screened(session, state.day))

        if self._cache is None:
            index = read()
        else:  # built once for every worker, and kept across restarts
            key = (self._node.database.safe_url, state, self._contents())
            index = self._cache.load_or_build(key, read)
        # The index is millions of long-lived objects: without this, each full collection
        # of the cyclic garbage collector walks them all, holding the GIL for seconds (a
        # 5 s stall of every request in the worker, at a million persons). Frozen, they
        # are left out of collections; they are freed as usual when a rebuild drops them
        # (the index holds no reference cycles).
        gc.freeze()
        self.builds += 1
        log.info(
            "watchlist.index_built",
            extra={"persons": len(index), "seconds": round(time.monotonic() - started, 2)},
        )
        return index, state

    def _install_base(self, base: ScreeningIndex, state: WatchlistState) -> None:
        """Make ``base`` the index, patched with what was written since ``state`` (the
        caller holds the patch lock)."""
        patch, seen = self._read_patch(state.changes, state.day)
        index = self._patched(base, patch)
        with self._lock:
            self._index, self._base_state, self._seen = index, state, seen
            self._checked_at = time.monotonic()

    def _read_patch(self, since: int, day: date) -> tuple[_Patch, int]:
        """The persons written at ``since`` or later, and the counter read before them."""
        with self._node.database.read() as session:
            seen = watchlist_mark(session)
            persons: dict[str, ScreenedPerson] = {}
            written: set[str] = set()
            for row in changed_persons(session, since):
                written.add(row.id)
                if row.status == "active" and (row.valid_until is None or row.valid_until >= day):
                    persons[row.id] = ScreenedPerson(
                        row.id, tuple(row.names), row.birth_date, tuple(row.nationalities), row.sex
                    )
        return _Patch(persons, frozenset(written)), seen

    @staticmethod
    def _patched(base: ScreeningIndex, patch: _Patch) -> PatchedIndex:
        delta = (
            ScreeningIndex.build(patch.persons.values(), weights=base.weights, scored_as=base)
            if patch.persons
            else None
        )
        return PatchedIndex(base, delta, patch.written)

    def _follow(self) -> bool:
        """Patch the index with what was written since its base; whether the base is due a
        rebuild (the caller holds the patch lock)."""
        with self._lock:
            index, base_state, seen = self._index, self._base_state, self._seen
        if index is None or base_state is None:
            return False
        today = self._node.clock().date()
        with self._node.database.read() as session:
            mark = watchlist_mark(session)
            if mark == seen:
                return today != base_state.day
            limit = self._patching.limit(len(index.base))
            written = changed_count(session, base_state.changes, 2 * limit)
        if written > 2 * limit:  # a load: a patch would cost as much as the rebuild
            log.info("watchlist.patch_skipped", extra={"written": written})
            return True
        patch, seen = self._read_patch(base_state.changes, base_state.day)
        patched = self._patched(index.base, patch)
        with self._lock:
            if self._base_state is base_state:  # not replaced by a rebuild meanwhile
                self._index, self._seen = patched, seen
        return today != base_state.day or written > limit

    def _rebuild_base(self) -> None:
        """Build a new base (the current index answers meanwhile), then install it."""
        with self._base_lock:
            base, state = self._build()
            with self._patch_lock:
                self._install_base(base, state)

    # -- answering ----------------------------------------------------------------------------

    def _current(self) -> PatchedIndex:
        with self._lock:
            index, checked_at = self._index, self._checked_at
        if index is None:
            with self._base_lock, self._patch_lock:  # the first inspections wait for one build
                with self._lock:
                    index = self._index
                if index is None:
                    self._install_base(*self._build())
                    with self._lock:
                        index = self._index
            assert index is not None
            return index
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
                with self._patch_lock:
                    rebuild = self._follow()
                if rebuild:
                    self._rebuild_in_background()
            except Exception as exc:  # the index keeps answering; try again next time
                log.warning("watchlist.index_patch_failed", extra={"error": type(exc).__name__})
            finally:
                with self._lock:
                    self._checking = False

        threading.Thread(target=check, name="watchlist-index", daemon=True).start()

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._rebuilding:
                return
            self._rebuilding = True

        def rebuild() -> None:
            try:
                self._rebuild_base()
            except Exception as exc:  # base and delta keep answering; try again next time
                log.warning("watchlist.index_rebuild_failed", extra={"error": type(exc).__name__})
            finally:
                with self._lock:
                    self._rebuilding = False

        threading.Thread(target=rebuild, name="watchlist-index", daemon=True).start()
